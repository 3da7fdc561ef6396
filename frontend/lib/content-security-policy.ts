/**
 * The portal's Content-Security-Policy: scripts only with this response's nonce (and what those
 * scripts load, `'strict-dynamic'`), never inline scripts without it, `eval` only in development
 * (React's dev tools need it); the browser talks to this origin and the gateway alone (its API,
 * event streams and the portal's span uploads, /telemetry/traces); no
 * plugins, no framing, no `<base>` or form posts elsewhere. Styles allow inline `style`
 * attributes (charts and popovers position themselves with them); they cannot run code.
 */
export function contentSecurityPolicy({ nonce, apiUrl, development }: { nonce: string; apiUrl: string; development: boolean }): string {
  const api = new URL(apiUrl);
  const apiOrigin = api.origin;
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self' ${apiOrigin}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  return directives.join('; ');
}

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

import 'server-only';

// Read at request time, not at build time: one image runs against any gateway.

/** The gateway as the portal's server reaches it (inside the cluster: http://gateway:8080). */
export function gatewayUrl(): string {
  return (process.env.API_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
}

/**
 * The gateway as browsers reach it. NEXT_PUBLIC_API_URL is compiled in at build time (the
 * image's build argument); PUBLIC_API_URL, read when the page is served, overrides it, so a
 * build can be pointed at another gateway (the standalone launcher and the tests do).
 */
export function publicApiUrl(): string {
  return (process.env.PUBLIC_API_URL || process.env.NEXT_PUBLIC_API_URL || 'http://localhost:8080').replace(/\/+$/, '');
}

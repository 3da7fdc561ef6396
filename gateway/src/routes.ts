/** The upstream services the gateway routes to. */
export type UpstreamName = 'identity' | 'incident' | 'notification' | 'analytics';

/**
 * Which service owns which public path prefix. `/internal/*` is deliberately absent: those
 * listings exist for services only and are never reachable from outside.
 */
export const ROUTES: { prefix: string; upstream: UpstreamName }[] = [
  { prefix: '/auth', upstream: 'identity' },
  { prefix: '/users', upstream: 'identity' },
  { prefix: '/departments', upstream: 'identity' },
  { prefix: '/service-accounts', upstream: 'identity' },
  // The rest of `/admin` (parked events) is the gateway's own: see admin-events.ts.
  { prefix: '/admin/audit', upstream: 'identity' },
  { prefix: '/.well-known/jwks.json', upstream: 'identity' },
  { prefix: '/.well-known/oauth-authorization-server', upstream: 'identity' },
  { prefix: '/incidents', upstream: 'incident' },
  { prefix: '/categories', upstream: 'incident' },
  { prefix: '/sla-policies', upstream: 'incident' },
  { prefix: '/calendars', upstream: 'incident' },
  { prefix: '/priority-matrix', upstream: 'incident' },
  { prefix: '/availability', upstream: 'incident' },
  { prefix: '/escalation-rules', upstream: 'incident' },
  { prefix: '/attachments', upstream: 'incident' },
  { prefix: '/major-incidents', upstream: 'incident' },
  { prefix: '/satisfaction', upstream: 'incident' },
  { prefix: '/inbound-mails', upstream: 'incident' },
  { prefix: '/notifications', upstream: 'notification' },
  { prefix: '/webhooks', upstream: 'notification' },
  { prefix: '/analytics', upstream: 'analytics' },
];

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

export type Route = (typeof ROUTES)[number];

export function routeFor(path: string): Route | undefined {
  return ROUTES.find((route) => under(path, route.prefix));
}

/** Reachable without a token: signing up and in, tokens, public keys, the OAuth metadata, health and the API reference. */
const PUBLIC: { method: string; path: string }[] = [
  { method: 'POST', path: '/auth/register' },
  { method: 'POST', path: '/auth/login' },
  // The second step of a sign-in: the challenge the password step gave is the credential.
  { method: 'POST', path: '/auth/login/mfa' },
  { method: 'POST', path: '/auth/login/mfa/setup' },
  { method: 'POST', path: '/auth/refresh' },
  { method: 'POST', path: '/auth/logout' },
  // Mailed links and "forgot password" are used by people who cannot sign in.
  { method: 'POST', path: '/auth/verify' },
  { method: 'POST', path: '/auth/password/forgot' },
  { method: 'POST', path: '/auth/password/reset' },
  { method: 'POST', path: '/auth/token' },
  { method: 'GET', path: '/.well-known/jwks.json' },
  { method: 'GET', path: '/.well-known/oauth-authorization-server' },
];

/** Reachable without a token under a prefix: the one-click rating links of resolution mails, whose token is the credential. */
const PUBLIC_PREFIXES: { method: string; prefix: string }[] = [{ method: 'PUT', prefix: '/satisfaction/' }];

export function isPublic(method: string, path: string): boolean {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (PUBLIC_PREFIXES.some((route) => route.method === method && normalized.startsWith(route.prefix) && normalized.length > route.prefix.length)) return true;
  return PUBLIC.some((route) => (route.method === method || (method === 'HEAD' && route.method === 'GET')) && route.path === normalized);
}

/**
 * Sign-up and sign-in endpoints: the tighter per-address rate limit applies, against password
 * guessing. Refreshing is not signing in: a refresh token is long, random and rotated (a reuse
 * revokes its family), so there is nothing to guess, and every page load of the portal may
 * refresh — counted here, one office behind one address would lock itself out. It stays under
 * the per-caller limit like everything else.
 */
// Prefix matches: `/auth/login` covers a sign-in's second step, `/auth/password` changing a
// password, "forgot password" and resets, `/auth/mfa` what needs the password and a code.
export const CREDENTIAL_PATHS = ['/auth/login', '/auth/register', '/auth/token', '/auth/verify', '/auth/password', '/auth/mfa'];

/** File uploads, which take UPLOAD_BODY_LIMIT instead of BODY_LIMIT: `POST /incidents/{id}/attachments`. */
export function isUpload(method: string, path: string): boolean {
  return method === 'POST' && /^\/incidents\/[^/]+\/attachments\/?$/.test(path);
}

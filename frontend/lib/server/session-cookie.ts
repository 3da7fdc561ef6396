// The refresh token's cookie: httpOnly (no script reads it), SameSite=Strict (no other site's
// page sends it), Secure on HTTPS, and scoped to /api/session so it goes nowhere else.

export const SESSION_COOKIE = 'desk_session';
export const SESSION_COOKIE_PATH = '/api/session';
/** identity-service's default REFRESH_TOKEN_TTL; a token that ends sooner is simply refused. */
export const SESSION_COOKIE_MAX_AGE_SECONDS = 30 * 86_400;

export interface CookieOptions {
  httpOnly: true;
  sameSite: 'strict';
  secure: boolean;
  path: string;
  maxAge: number;
}

export function sessionCookieOptions(secure: boolean, maxAge = SESSION_COOKIE_MAX_AGE_SECONDS): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path: SESSION_COOKIE_PATH, maxAge };
}

/** Whether the browser reached the portal over HTTPS: directly, or through a proxy (Traefik) that says so. */
export function isHttps(url: string, forwardedProto: string | null): boolean {
  const proto = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  if (proto) return proto === 'https';
  return new URL(url).protocol === 'https:';
}

/**
 * A state-changing request to the session routes must come from the portal's own pages.
 * SameSite=Strict already keeps the cookie off cross-site requests; this refuses cross-origin
 * sign-in attempts too (login CSRF). Browsers send Origin on every POST and DELETE.
 */
export function isSameOrigin(origin: string | null, host: string | null, forwardedHost: string | null): boolean {
  if (origin === null) return true; // not a browser, or a same-origin GET: nothing to protect
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const expected = (forwardedHost?.split(',')[0]?.trim() || host || '').toLowerCase();
  return originHost.toLowerCase() === expected;
}

const PLACEHOLDER_ORIGIN = 'https://portal.invalid';
const FALLBACK = '/incidents';

/** A backslash, or a control character (browsers drop tabs and line breaks from URLs). */
const readAsAnotherHost = (character: string) => character === '\\' || character.charCodeAt(0) < 0x20 || character.charCodeAt(0) === 0x7f;

/**
 * Where to go after signing in: a path inside the portal only, never another site. Browsers read
 * `/\host` and `/<tab>/host` as `//host` (another host), so a backslash or a control character
 * anywhere refuses the path; what is left is resolved as a browser would, and only a path on the
 * portal's own origin is kept. Anything else, and the sign-in pages themselves, go to the incidents.
 */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || [...next].some(readAsAnotherHost)) return FALLBACK;
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return FALLBACK;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith('//') || /^\/(login|register)(\/|\?|#|$)/.test(path)) return FALLBACK;
  return path;
}

/**
 * The gateway as browsers reach it. NEXT_PUBLIC_API_URL is compiled in at build time (the
 * image's build argument); PUBLIC_API_URL, read when the page is served, overrides it, so a
 * build can be pointed at another gateway (the standalone launcher and the tests do).
 */
export function publicApiUrl(): string {
  return (process.env.PUBLIC_API_URL || process.env.NEXT_PUBLIC_API_URL || 'http://localhost:8080').replace(/\/+$/, '');
}

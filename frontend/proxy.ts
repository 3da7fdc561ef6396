import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from '@/lib/content-security-policy';
import { publicApiUrl } from '@/lib/public-api-url';

/**
 * Runs before every page: a fresh nonce and the Content-Security-Policy that names it. Next.js
 * reads the policy from the request headers and puts the nonce on the scripts it renders; the
 * same policy goes out on the response. Pages are rendered per request (the root layout awaits
 * `connection()`), so every response has a nonce of its own.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newNonce();
  const policy = contentSecurityPolicy({ nonce, apiUrl: publicApiUrl(), development: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages only: not static files, and not prefetches (their response is not a document).
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|icon.svg|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};

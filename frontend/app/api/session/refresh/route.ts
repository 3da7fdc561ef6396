import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/lib/server/session-cookie';
import { callGateway, clearSession, crossOrigin, passOn, signedIn, unreachable } from '@/lib/server/session-routes';

export const dynamic = 'force-dynamic';

/** A new access token for the page, rotating the refresh token in the cookie. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = crossOrigin(request);
  if (refused) return refused;
  const refreshToken = request.cookies.get(SESSION_COOKIE)?.value;
  // Not signed in at all is an answer, not an error: the page then shows the sign-in form.
  if (!refreshToken) return new NextResponse(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
  let response: Response;
  try {
    response = await callGateway(request, '/auth/refresh', { refreshToken });
  } catch {
    return unreachable();
  }
  // A refused token (expired, revoked, reused, account deactivated) ends the session; an
  // outage does not, so the next attempt can still succeed.
  if (response.status === 400 || response.status === 401 || response.status === 403) return clearSession(request, await passOn(response));
  if (!response.ok) return passOn(response);
  return signedIn(request, (await response.json()) as Parameters<typeof signedIn>[1]);
}

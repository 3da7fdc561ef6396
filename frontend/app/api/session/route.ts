import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { SESSION_COOKIE } from '@/lib/server/session-cookie';
import { callGateway, clearSession, crossOrigin, passOn, problem, signedIn, unreachable } from '@/lib/server/session-routes';

export const dynamic = 'force-dynamic';

/** Sign in: the gateway's /auth/login, with the refresh token kept in an httpOnly cookie. */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = crossOrigin(request);
  if (refused) return refused;
  let credentials: unknown;
  try {
    credentials = await request.json();
  } catch {
    return problem(400, 'VALIDATION.FAILED', 'The request body is not JSON', 'Send { "email", "password" }.');
  }
  let response: Response;
  try {
    response = await callGateway(request, '/auth/login', credentials);
  } catch {
    return unreachable();
  }
  if (!response.ok) return passOn(response);
  return signedIn(request, (await response.json()) as Parameters<typeof signedIn>[1]);
}

/** Sign out: ends the sign-in at identity-service (its refresh token family) and drops the cookie. */
export async function DELETE(request: NextRequest): Promise<NextResponse> {
  const refused = crossOrigin(request);
  if (refused) return refused;
  const refreshToken = request.cookies.get(SESSION_COOKIE)?.value;
  if (refreshToken) {
    // Signing out here must work even when the gateway does not answer: the cookie goes regardless.
    await callGateway(request, '/auth/logout', { refreshToken }).catch(() => undefined);
  }
  return clearSession(request, new NextResponse(null, { status: 204 }));
}

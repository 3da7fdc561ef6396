import type { NextRequest, NextResponse } from 'next/server';
import { callGateway, crossOrigin, jsonBody, passOn, signedIn, unreachable } from '@/lib/server/session-routes';

export const dynamic = 'force-dynamic';

/**
 * The second step of a sign-in: the gateway's /auth/login/mfa with the challenge and a code (or a
 * recovery code). Signed in as after a password alone, the refresh token kept in the cookie; a
 * sign-in that enrolled the factor passes its recovery codes on to the page.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = crossOrigin(request);
  if (refused) return refused;
  const parsed = await jsonBody(request, '{ "challengeToken", "code" } or { "challengeToken", "recoveryCode" }');
  if ('refused' in parsed) return parsed.refused;
  let response: Response;
  try {
    response = await callGateway(request, '/auth/login/mfa', parsed.body);
  } catch {
    return unreachable();
  }
  if (!response.ok) return passOn(response);
  return signedIn(request, (await response.json()) as Parameters<typeof signedIn>[1]);
}

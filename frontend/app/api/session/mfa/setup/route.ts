import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { callGateway, crossOrigin, jsonBody, passOn, unreachable } from '@/lib/server/session-routes';

export const dynamic = 'force-dynamic';

/**
 * A sign-in that must enrol a second factor first: the gateway's /auth/login/mfa/setup with the
 * challenge, answered with the secret and its QR code for the authenticator app. Nothing is
 * signed in yet, so no cookie changes.
 */
export async function POST(request: NextRequest): Promise<NextResponse> {
  const refused = crossOrigin(request);
  if (refused) return refused;
  const parsed = await jsonBody(request, '{ "challengeToken" }');
  if ('refused' in parsed) return parsed.refused;
  let response: Response;
  try {
    response = await callGateway(request, '/auth/login/mfa/setup', parsed.body);
  } catch {
    return unreachable();
  }
  if (!response.ok) return passOn(response);
  return new NextResponse(await response.text(), { status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

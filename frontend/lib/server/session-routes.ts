import 'server-only';
import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { PROBLEM_CONTENT_TYPE } from '@desk/contracts';
import { gatewayUrl } from './config';
import { isHttps, isSameOrigin, SESSION_COOKIE, sessionCookieOptions } from './session-cookie';


export function problem(status: number, code: string, title: string, detail: string): NextResponse {
  return NextResponse.json({ type: 'about:blank', title, status, detail, code }, { status, headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' } });
}

/** Refuses requests from other origins (login CSRF). */
export function crossOrigin(request: NextRequest): NextResponse | null {
  if (isSameOrigin(request.headers.get('origin'), request.headers.get('host'), request.headers.get('x-forwarded-host'))) return null;
  return problem(403, 'SESSION.CROSS_ORIGIN', 'Request from another site refused', 'Sign in from the portal itself.');
}

/** Calls the gateway from the server, passing on who the client is so per-address limits apply to them, not to the portal. */
export async function callGateway(request: NextRequest, path: string, body: unknown): Promise<Response> {
  const forwardedFor = request.headers.get('x-forwarded-for');
  const requestId = request.headers.get('x-request-id');
  return fetch(`${gatewayUrl()}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(forwardedFor ? { 'X-Forwarded-For': forwardedFor } : {}),
      ...(requestId ? { 'X-Request-Id': requestId } : {}),
      ...(request.headers.get('user-agent') ? { 'User-Agent': request.headers.get('user-agent')! } : {}),
    },
    body: JSON.stringify(body),
    cache: 'no-store',
    signal: AbortSignal.timeout(15_000),
  });
}

/** The JSON body of a request to a session route, or the problem to answer when it is not JSON. */
export async function jsonBody(request: NextRequest, expected: string): Promise<{ body: unknown } | { refused: NextResponse }> {
  try {
    return { body: await request.json() };
  } catch {
    return { refused: problem(400, 'VALIDATION.FAILED', 'The request body is not JSON', `Send ${expected}.`) };
  }
}

export function unreachable(): NextResponse {
  return problem(503, 'SESSION.GATEWAY_UNREACHABLE', 'The service desk API could not be reached', 'Try again in a moment. If it keeps happening, tell your administrator.');
}

/** Passes a gateway's error answer on to the browser as it was (problem+json, Retry-After). */
export async function passOn(response: Response): Promise<NextResponse> {
  const text = await response.text();
  const headers = new Headers({ 'Content-Type': response.headers.get('content-type') ?? PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store' });
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter) headers.set('Retry-After', retryAfter);
  return new NextResponse(text, { status: response.status, headers });
}

interface TokenAnswer {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: unknown;
}

/**
 * The access token and user for the page; the refresh token only as the cookie. A sign-in that
 * enrolled a second factor also passes its recovery codes on, for the page to show once.
 */
export function signedIn(request: NextRequest, tokens: TokenAnswer & { recoveryCodes?: unknown }): NextResponse {
  const recoveryCodes = Array.isArray(tokens.recoveryCodes) ? { recoveryCodes: tokens.recoveryCodes as unknown[] } : {};
  const response = NextResponse.json({ accessToken: tokens.accessToken, expiresIn: tokens.expiresIn, user: tokens.user, ...recoveryCodes }, { headers: { 'Cache-Control': 'no-store' } });
  response.cookies.set(SESSION_COOKIE, tokens.refreshToken, sessionCookieOptions(isHttps(request.url, request.headers.get('x-forwarded-proto'))));
  return response;
}

export function clearSession(request: NextRequest, response: NextResponse): NextResponse {
  response.cookies.set(SESSION_COOKIE, '', sessionCookieOptions(isHttps(request.url, request.headers.get('x-forwarded-proto')), 0));
  return response;
}

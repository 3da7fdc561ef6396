import { randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_TYPE, accessTokenClaimsSchema, type Role } from '@desk/contracts';
import {
  SignJWT,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import type { Caller } from './caller.js';

/**
 * The one signature algorithm access tokens use. Verification pins it: a token claiming `none`,
 * an HMAC algorithm (signed with the public key as secret) or anything else is refused before
 * any key is looked at (RFC 8725 §3.1).
 */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';

export interface AccessTokenSubject {
  id: string;
  role: Role;
  departmentId?: string | null;
  scopes?: string[];
  /** The sign-in the token belongs to (`sid`), for users: revoking it stops the token. */
  sessionId?: string;
  /** The OAuth client it is issued to (`client_id`, RFC 9068). */
  clientId?: string;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey | KeyObject;
}

export interface SignOptions {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now?: Date;
}

/** Signs an access token (RFC 9068 `at+jwt`) for a user or service account. */
export async function signAccessToken(
  subject: AccessTokenSubject,
  key: SigningKey,
  { issuer, audience, ttlSeconds, now = new Date() }: SignOptions,
): Promise<{ token: string; tokenId: string; expiresAt: Date }> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const tokenId = randomUUID();
  const claims: Record<string, unknown> = { role: subject.role };
  if (subject.departmentId) claims.dept = subject.departmentId;
  if (subject.scopes && subject.scopes.length > 0) claims.scope = subject.scopes.join(' ');
  if (subject.sessionId) claims.sid = subject.sessionId;
  if (subject.clientId) claims.client_id = subject.clientId;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(subject.id)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .setJti(tokenId)
    .sign(key.privateKey);
  return { token, tokenId, expiresAt: new Date((issuedAt + ttlSeconds) * 1000) };
}

/** A token that does not prove who the caller is; `reason` is safe to show to the caller. */
export class InvalidTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /**
   * Where the public keys come from: identity's JWKS URL (fetched, cached, and fetched again
   * when a token names an unknown `kid`, as after a key rotation), or a key resolver.
   */
  keys: { jwksUrl: string } | JWTVerifyGetKey;
  /** Leeway for clocks that disagree a little. */
  clockToleranceSeconds?: number;
  /**
   * Least time between two JWKS fetches: an unknown `kid` triggers a fetch, and a flood of
   * forged kids must not turn into a flood of requests to identity-service.
   */
  jwksCooldownMs?: number;
  /**
   * Verified tokens are remembered this long (and never past their expiry), so a client
   * sending the same token on every request pays for one signature check, not one per request.
   * 0 turns it off.
   */
  cacheMs?: number;
}

const CACHE_ENTRIES = 10_000;

export type AccessTokenVerifier = (token: string) => Promise<Caller>;

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'the token is not valid yet';
    return `the token's "${error.claim}" claim is not accepted`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is not signed with the expected algorithm';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'the token is signed with an unknown key';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof joseErrors.JWTInvalid || error instanceof joseErrors.JWSInvalid) return 'the token is malformed';
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JOSEError) return 'the token could not be verified';
  return 'the token could not be verified';
}

/**
 * Verifies access tokens: signature by a published key, algorithm pinned, `typ` at+jwt, and
 * `iss`, `aud`, `exp`, `sub`, `iat`, `jti` present and right (RFC 8725, RFC 9068 §4).
 */
export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  const keys: JWTVerifyGetKey =
    typeof options.keys === 'function'
      ? options.keys
      : createRemoteJWKSet(new URL(options.keys.jwksUrl), {
          cooldownDuration: options.jwksCooldownMs ?? 10_000,
          cacheMaxAge: 10 * 60_000,
        });
  const cacheMs = options.cacheMs ?? 60_000;
  // Insertion-ordered Map as a small LRU: a hit moves the entry to the end, the oldest goes first.
  const cache = new Map<string, { caller: Caller; until: number }>();
  const verifyOnce = async (token: string): Promise<Caller> => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      }));
    } catch (error) {
      throw new InvalidTokenError(describe(error));
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('the token does not carry the expected claims');
    const { sub, role, dept, scope, jti, iat, exp, sid, client_id: clientId } = claims.data;
    return {
      kind: role === 'service' ? 'service' : 'user',
      id: sub,
      role,
      departmentId: dept ?? null,
      scopes: scope ? scope.split(' ').filter(Boolean) : [],
      tokenId: jti,
      sessionId: sid ?? null,
      clientId: clientId ?? null,
      issuedAt: new Date(iat * 1000),
      expiresAt: new Date(exp * 1000),
    };
  };
  if (cacheMs <= 0) return verifyOnce;
  return async (token: string) => {
    const now = Date.now();
    const hit = cache.get(token);
    if (hit && hit.until > now) {
      cache.delete(token);
      cache.set(token, hit);
      return hit.caller;
    }
    if (hit) cache.delete(token);
    const caller = await verifyOnce(token);
    cache.set(token, { caller, until: Math.min(now + cacheMs, caller.expiresAt.getTime()) });
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
    return caller;
  };
}

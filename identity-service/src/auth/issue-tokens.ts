import { randomUUID } from 'node:crypto';
import { signAccessToken } from '@desk/auth';
import { PEOPLE_CLIENT_ID, type TokenResponse } from '@desk/contracts';
import type { Knex } from 'knex';
import type { IdentityConfig } from '../config.js';
import type { SigningKeyStore } from '../keys/signing-keys.js';
import { toUser, type UserRow } from '../users/users.repository.js';
import { insertRefreshToken, newRefreshTokenValue } from './refresh-tokens.repository.js';

export interface TokenIssuer {
  config: IdentityConfig;
  keys: SigningKeyStore;
}

export async function accessTokenFor(
  { config, keys }: TokenIssuer,
  subject: { id: string; role: UserRow['role'] | 'service'; departmentId?: string | null; scopes?: string[]; sessionId?: string; clientId: string },
): Promise<{ token: string; expiresIn: number }> {
  const ttlSeconds = Math.floor(config.ACCESS_TOKEN_TTL / 1000);
  const { token } = await signAccessToken(subject, await keys.signingKey(), {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds,
  });
  return { token, expiresIn: ttlSeconds };
}

/**
 * Tokens for a user: an access token, and a refresh token in a family (one sign-in). A new
 * sign-in starts a family whose absolute expiry every later refresh keeps.
 */
export async function issueTokens(
  issuer: TokenIssuer,
  db: Knex | Knex.Transaction,
  user: UserRow,
  family: { id: string; expiresAt: Date } = {
    id: randomUUID(),
    expiresAt: new Date(Date.now() + issuer.config.REFRESH_TOKEN_TTL),
  },
): Promise<TokenResponse> {
  const refreshToken = newRefreshTokenValue();
  await insertRefreshToken(db, { token: refreshToken, familyId: family.id, userId: user.id, expiresAt: family.expiresAt });
  const access = await accessTokenFor(issuer, { id: user.id, role: user.role, departmentId: user.department_id, sessionId: family.id, clientId: PEOPLE_CLIENT_ID });
  return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: access.expiresIn, user: toUser(user) };
}

import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';

export interface RefreshTokenRow {
  id: string;
  family_id: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

/** Refresh tokens are 256 random bits; only their SHA-256 is stored, so a database leak yields none. */
export function newRefreshTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export async function insertRefreshToken(
  db: Knex | Knex.Transaction,
  { token, familyId, userId, expiresAt }: { token: string; familyId: string; userId: string; expiresAt: Date },
): Promise<void> {
  await db('refresh_tokens').insert({ family_id: familyId, user_id: userId, token_hash: hashRefreshToken(token), expires_at: expiresAt });
}

/** The token's row, locked for the rest of the transaction so two refreshes cannot both use it. */
export async function findRefreshTokenForUpdate(trx: Knex.Transaction, token: string): Promise<RefreshTokenRow | undefined> {
  return trx('refresh_tokens')
    .select('id', 'family_id', 'user_id', 'created_at', 'expires_at', 'used_at', 'revoked_at')
    .where('token_hash', hashRefreshToken(token))
    .forUpdate()
    .first<RefreshTokenRow | undefined>();
}

export async function markRefreshTokenUsed(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('refresh_tokens').where({ id }).update({ used_at: trx.fn.now() });
}

/** Revokes every live token of one sign-in. */
export async function revokeRefreshTokenFamily(db: Knex | Knex.Transaction, familyId: string, reason: string): Promise<number> {
  return db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now(), revoked_reason: reason });
}

/**
 * Ends every live sign-in (every refresh-token family) of a user, in the caller's transaction
 * when given one: after a role, department or activation change, a password change or reset,
 * the user must sign in again. The one place that ends all of a person's sessions: anything
 * else a session holds (access tokens) is to be revoked from here too.
 */
export async function revokeAllSessionsOfUser(db: Knex | Knex.Transaction, userId: string, reason: string): Promise<number> {
  // Half-finished sign-ins too: a challenge waiting for its second factor is spent.
  await db('mfa_challenges').where({ user_id: userId }).whereNull('used_at').update({ used_at: db.fn.now() });
  return db('refresh_tokens')
    .where({ user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now(), revoked_reason: reason });
}

/** Deletes tokens that expired long ago; they can no longer be presented, reused or not. */
export async function pruneExpiredRefreshTokens(db: Knex, olderThanDays = 7): Promise<number> {
  return db('refresh_tokens').where('expires_at', '<', db.raw('now() - make_interval(days => ?)', [olderThanDays])).delete();
}

import type { Knex } from 'knex';
import { hashSingleUseToken } from '../auth/single-use-tokens.js';

export interface PasswordResetTokenRow {
  id: string;
  user_id: string;
  expires_at: Date;
  used_at: Date | null;
}

/** A new reset token for a user; earlier unused ones stop working (only the newest link resets). */
export async function insertPasswordResetToken(
  trx: Knex.Transaction,
  { userId, token, requestedBy, expiresAt }: { userId: string; token: string; requestedBy: 'self' | 'admin'; expiresAt: Date },
): Promise<void> {
  await trx('password_reset_tokens').where({ user_id: userId }).whereNull('used_at').update({ used_at: trx.fn.now() });
  await trx('password_reset_tokens').insert({ user_id: userId, token_hash: hashSingleUseToken(token), requested_by: requestedBy, expires_at: expiresAt });
}

/** The token's row, locked so two resets cannot both use it. */
export async function findPasswordResetTokenForUpdate(trx: Knex.Transaction, token: string): Promise<PasswordResetTokenRow | undefined> {
  return trx('password_reset_tokens')
    .select('id', 'user_id', 'expires_at', 'used_at')
    .where('token_hash', hashSingleUseToken(token))
    .forUpdate()
    .first<PasswordResetTokenRow | undefined>();
}

/** Marks every open reset token of the user used (after a reset or a change, no old link works). */
export async function usePasswordResetTokensOfUser(trx: Knex.Transaction, userId: string): Promise<void> {
  await trx('password_reset_tokens').where({ user_id: userId }).whereNull('used_at').update({ used_at: trx.fn.now() });
}

export async function pruneExpiredPasswordResetTokens(db: Knex): Promise<number> {
  return db('password_reset_tokens').where('expires_at', '<', db.raw("now() - interval '1 day'")).delete();
}

export async function setPasswordHash(trx: Knex.Transaction, userId: string, passwordHash: string): Promise<void> {
  // The row's version moves on (the trigger); replicas see the same user again, which is harmless.
  await trx('users').where({ id: userId }).update({ password_hash: passwordHash });
}

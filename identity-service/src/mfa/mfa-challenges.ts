import type { Knex } from 'knex';
import { hashSingleUseToken, newSingleUseToken } from '../auth/single-use-tokens.js';

/** How long the step between a sign-in's password and its code may take, and how many wrong codes it takes. */
export const MFA_CHALLENGE_TTL_MS = 5 * 60_000;
export const MFA_CHALLENGE_MAX_FAILURES = 5;

export type ChallengePurpose = 'verify' | 'enrol';

export interface MfaChallengeRow {
  id: string;
  user_id: string;
  purpose: ChallengePurpose;
  address: string;
  failed_attempts: number;
  expires_at: Date;
  used_at: Date | null;
}

/** A challenge for a sign-in whose password was right; only the token's hash is stored. */
export async function createChallenge(db: Knex, userId: string, purpose: ChallengePurpose, address: string): Promise<{ token: string; expiresIn: number }> {
  const token = newSingleUseToken();
  await db('mfa_challenges').insert({
    token_hash: hashSingleUseToken(token),
    user_id: userId,
    purpose,
    address,
    expires_at: new Date(Date.now() + MFA_CHALLENGE_TTL_MS),
  });
  return { token, expiresIn: Math.floor(MFA_CHALLENGE_TTL_MS / 1000) };
}

/** The challenge, locked, when it can still be answered: known, unused, unexpired, with tries left. */
export async function findLiveChallengeForUpdate(trx: Knex.Transaction, token: string): Promise<MfaChallengeRow | undefined> {
  const row = (await trx('mfa_challenges').where('token_hash', hashSingleUseToken(token)).forUpdate().first()) as MfaChallengeRow | undefined;
  if (!row || row.used_at || row.expires_at.getTime() <= Date.now() || row.failed_attempts >= MFA_CHALLENGE_MAX_FAILURES) return undefined;
  return row;
}

export async function countChallengeFailure(db: Knex | Knex.Transaction, id: string): Promise<void> {
  await db('mfa_challenges').where({ id }).increment('failed_attempts', 1);
}

export async function useChallenge(trx: Knex.Transaction, id: string): Promise<void> {
  await trx('mfa_challenges').where({ id }).update({ used_at: trx.fn.now() });
}

/** Answered and expired challenges are kept a day (for support questions), then removed. */
export async function pruneMfaChallenges(db: Knex): Promise<number> {
  return db('mfa_challenges').where('expires_at', '<', new Date(Date.now() - 86_400_000)).delete();
}

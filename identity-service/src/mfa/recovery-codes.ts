import { createHash, randomInt } from 'node:crypto';
import type { Knex } from 'knex';

/** How many recovery codes an account gets: each signs in once in place of a code. */
export const RECOVERY_CODE_COUNT = 10;
// Lower-case letters and digits without the look-alikes (0/o, 1/l/i): 31 symbols, 10 per code ≈ 49 bits.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function newRecoveryCode(): string {
  const symbols = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** Case, spaces and dashes do not matter when a code is typed back. */
function normalise(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function hashRecoveryCode(code: string): Buffer {
  return createHash('sha256').update(`desk recovery code\0${normalise(code)}`, 'utf8').digest();
}

/** Replaces every recovery code of the account with new ones; returns them (the only time they exist in clear). */
export async function replaceRecoveryCodes(trx: Knex.Transaction, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await trx('mfa_recovery_codes').where({ user_id: userId }).delete();
  await trx('mfa_recovery_codes').insert(codes.map((code) => ({ user_id: userId, code_hash: hashRecoveryCode(code) })));
  return codes;
}

/** Uses one recovery code of the account: true when it existed and was unused (it is used now). */
export async function useRecoveryCode(trx: Knex.Transaction, userId: string, code: string): Promise<boolean> {
  const used = await trx('mfa_recovery_codes')
    .where({ user_id: userId, code_hash: hashRecoveryCode(code) })
    .whereNull('used_at')
    .update({ used_at: trx.fn.now() });
  return used === 1;
}

export async function countUnusedRecoveryCodes(db: Knex | Knex.Transaction, userId: string): Promise<number> {
  const row = await db('mfa_recovery_codes').where({ user_id: userId }).whereNull('used_at').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}

export async function deleteRecoveryCodes(trx: Knex.Transaction, userId: string): Promise<void> {
  await trx('mfa_recovery_codes').where({ user_id: userId }).delete();
}

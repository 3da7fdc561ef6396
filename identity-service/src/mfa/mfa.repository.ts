import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface UserMfaRow {
  user_id: string;
  secret_sealed: string;
  enabled_at: Date | null;
  setup_expires_at: Date | null;
  last_used_step: string | number;
  created_at: Date;
}

export async function findUserMfa(db: Db, userId: string): Promise<UserMfaRow | undefined> {
  return db<UserMfaRow>('user_mfa').where({ user_id: userId }).first();
}

export async function findUserMfaForUpdate(trx: Knex.Transaction, userId: string): Promise<UserMfaRow | undefined> {
  return trx<UserMfaRow>('user_mfa').where({ user_id: userId }).forUpdate().first();
}

/** A new setup: the seed waits for its first code until `expiresAt`. Replaces a setup that was waiting (never an enabled factor). */
export async function upsertPendingMfa(trx: Knex.Transaction, userId: string, secretSealed: string, expiresAt: Date): Promise<void> {
  await trx.raw(
    `insert into user_mfa (user_id, secret_sealed, enabled_at, setup_expires_at, last_used_step) values (?, ?, null, ?, 0)
     on conflict (user_id) do update set secret_sealed = excluded.secret_sealed, setup_expires_at = excluded.setup_expires_at,
       last_used_step = 0, created_at = now()
     where user_mfa.enabled_at is null`,
    [userId, secretSealed, expiresAt],
  );
}

export async function enableMfa(trx: Knex.Transaction, userId: string, step: number): Promise<Date> {
  const [row] = await trx<UserMfaRow>('user_mfa')
    .where({ user_id: userId })
    .update({ enabled_at: trx.fn.now() as unknown as Date, setup_expires_at: null, last_used_step: step })
    .returning('enabled_at');
  return row!.enabled_at!;
}

export async function recordUsedStep(trx: Knex.Transaction, userId: string, step: number): Promise<void> {
  await trx('user_mfa').where({ user_id: userId }).update({ last_used_step: step });
}

export async function deleteUserMfa(trx: Knex.Transaction, userId: string): Promise<boolean> {
  return (await trx('user_mfa').where({ user_id: userId }).delete()) > 0;
}

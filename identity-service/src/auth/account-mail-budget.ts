import type { Knex } from 'knex';

/** Mails one address may be sent per hour on anonymous request (registration, forgot password). */
export const ACCOUNT_MAILS_PER_HOUR = 3;

/**
 * Takes one mail from the address's hourly budget, in the caller's transaction; false when it
 * is spent. Decides and counts in one step under a per-address lock, so parallel requests cannot
 * all pass. The request still answers as usual: the caller cannot tell a mail was held back.
 */
export async function takeAccountMail(trx: Knex.Transaction, email: string, kind: string): Promise<boolean> {
  const address = email.toLowerCase();
  await trx.raw("select pg_advisory_xact_lock(hashtext('identity.account_mail:' || ?))", [address]);
  const [{ count }] = (await trx('account_mail_log')
    .where({ email: address })
    .where('sent_at', '>', trx.raw("now() - interval '1 hour'"))
    .count({ count: '*' })) as [{ count: string | number }];
  if (Number(count) >= ACCOUNT_MAILS_PER_HOUR) return false;
  await trx('account_mail_log').insert({ email: address, kind });
  return true;
}

/** Forgets budget entries older than a day. */
export async function pruneAccountMailLog(db: Knex): Promise<number> {
  return db('account_mail_log').where('sent_at', '<', db.raw("now() - interval '1 day'")).delete();
}

import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import { toUser, type UserRow } from './users.repository.js';

/** `user.registered`: a new account, self-registered or created by an admin. */
export async function publishUserRegistered(outbox: Outbox, trx: Knex.Transaction, row: UserRow): Promise<void> {
  await outbox.add(trx, 'user.registered', { subject: row.id, data: { user: toUser(row) } });
}

/**
 * A change to an account: `user.deactivated` when it was switched off (consumers stop
 * notifying and refuse the user's tokens), `user.updated` otherwise, with the changed fields;
 * both name the admin (or service account) who made the change.
 */
export async function publishUserChanged(
  outbox: Outbox,
  trx: Knex.Transaction,
  row: UserRow,
  changedFields: string[],
  actorId: string | null,
): Promise<void> {
  if (changedFields.length === 0) return;
  if (changedFields.includes('isActive') && !row.is_active) {
    await outbox.add(trx, 'user.deactivated', { subject: row.id, data: { user: toUser(row), actorId } });
    return;
  }
  await outbox.add(trx, 'user.updated', { subject: row.id, data: { user: toUser(row), changedFields, actorId } });
}

import type { EventData } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';

// Mail about an account, asked of notification-service through the outbox (it sends all mail).

export async function requestVerificationMail(outbox: Outbox, trx: Knex.Transaction, data: EventData<'account.verification_requested'>): Promise<void> {
  await outbox.add(trx, 'account.verification_requested', { subject: data.email, data });
}

export async function tellOwnerOfRegistrationAttempt(outbox: Outbox, trx: Knex.Transaction, data: EventData<'account.registration_attempted'>): Promise<void> {
  await outbox.add(trx, 'account.registration_attempted', { subject: data.userId, data });
}

export async function requestPasswordResetMail(outbox: Outbox, trx: Knex.Transaction, data: EventData<'account.password_reset_requested'>): Promise<void> {
  await outbox.add(trx, 'account.password_reset_requested', { subject: data.userId, data });
}

export async function tellPasswordChanged(outbox: Outbox, trx: Knex.Transaction, data: EventData<'account.password_changed'>): Promise<void> {
  await outbox.add(trx, 'account.password_changed', { subject: data.userId, data });
}

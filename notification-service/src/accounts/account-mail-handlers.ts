import type { TransactionalHandlers } from '@desk/messaging';
import { currentTraceparent } from '@desk/messaging';
import type { Locale } from '@desk/contracts';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { NotificationConfig } from '../config.js';
import { translator } from '../i18n/catalogue.js';
import { mailDomain } from '../recipients/links.js';
import { ACCOUNT_MAIL_EVENT_TYPES, composeAccountMail, type AccountMailEvent } from './account-mail.js';

/**
 * The language the mail is written in: a registration's own (the browser's, sent with the form:
 * the address is no user yet), else the one the account chose, as the user replica holds it.
 * An account the replica does not know yet, or that chose none, reads the default.
 */
async function readerLocale(event: AccountMailEvent, trx: Knex.Transaction): Promise<Locale | null> {
  if (event.type === 'account.verification_requested') return event.data.locale ?? null;
  const row = await trx('users').select('locale').where({ id: event.data.userId }).first<{ locale: Locale | null } | undefined>();
  return row?.locale ?? null;
}

/**
 * Records the one mail an account event asks for, in the event's inbox transaction (so a
 * redelivered event mails nobody twice); the DeliveryWorker sends it. A registration waiting
 * for verification is no user in the replica, so no other mail can reach its address.
 */
async function recordAccountMail(event: AccountMailEvent, trx: Knex.Transaction, config: Pick<NotificationConfig, 'PUBLIC_APP_URL' | 'MAIL_FROM'>): Promise<void> {
  const mail = composeAccountMail(event, config.PUBLIC_APP_URL, translator(await readerLocale(event, trx)));
  await trx('deliveries').insert({
    event_id: event.id,
    event_type: event.type,
    incident_id: null,
    incident_key: null,
    user_id: 'userId' in event.data ? event.data.userId : null,
    to_address: event.data.email,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html,
    message_id: `<${randomUUID()}@${mailDomain(config.MAIL_FROM)}>`,
    in_reply_to: null,
    traceparent: currentTraceparent() ?? null,
  });
}

export function accountMailHandlers(config: Pick<NotificationConfig, 'PUBLIC_APP_URL' | 'MAIL_FROM'>): TransactionalHandlers {
  const handlers: Record<string, (event: AccountMailEvent, trx: Knex.Transaction) => Promise<void>> = {};
  for (const type of ACCOUNT_MAIL_EVENT_TYPES) handlers[type] = (event, trx) => recordAccountMail(event, trx, config);
  return handlers as TransactionalHandlers;
}

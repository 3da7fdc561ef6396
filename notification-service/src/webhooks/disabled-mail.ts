import { randomUUID } from 'node:crypto';
import type { Locale } from '@desk/contracts';
import { currentTraceparent } from '@desk/messaging';
import { translator } from '../i18n/catalogue.js';
import { letter } from '../mail/letter.js';
import type { Knex } from 'knex';
import { mailDomain } from '../recipients/links.js';

export interface DisabledMailInput {
  webhookId: string;
  url: string;
  ownerId: string;
  /** Since when every attempt failed, how many in a row, and what the last one met (as the receiver or the network said it, untranslated). */
  failingForMs: number;
  consecutiveFailures: number;
  lastError: string;
  publicAppUrl: string;
  mailFrom: string;
}

interface Admin {
  id: string;
  email: string;
  full_name: string;
  locale: Locale | null;
}

/**
 * Tells an endpoint's owner (the admin who registered it) that it was disabled, by mail recorded
 * in the transaction that disabled it, in each reader's language. An owner no longer active is
 * replaced by every active admin, so the news reaches someone who can act. Returns whether any
 * mail was recorded.
 */
export async function recordDisabledMail(trx: Knex.Transaction, input: DisabledMailInput): Promise<boolean> {
  const columns = ['id', 'email', 'full_name', 'locale'];
  let people = (await trx('users').select(columns).where({ id: input.ownerId, is_active: true })) as Admin[];
  if (people.length === 0) people = (await trx('users').select(columns).where({ role: 'admin', is_active: true }).orderBy('full_name').limit(20)) as Admin[];
  if (people.length === 0) return false;
  const link = new URL(`/admin/webhooks/${input.webhookId}`, input.publicAppUrl).toString();
  const domain = mailDomain(input.mailFrom);
  const eventId = randomUUID();
  const rows = people.map((person) => {
    const i18n = translator(person.locale);
    const { t } = i18n;
    const paragraphs = [
      t('webhook.disabled.what', { url: input.url }),
      t('webhook.disabled.why', { duration: i18n.duration(input.failingForMs), failures: input.consecutiveFailures, error: input.lastError }),
      t('webhook.disabled.next'),
    ];
    const { text, html } = letter(t('letter.greeting', { name: person.full_name }), paragraphs, { label: t('webhook.disabled.action'), href: link }, i18n.locale);
    return {
      event_id: eventId,
      event_type: 'webhook.disabled',
      incident_id: null,
      incident_key: null,
      user_id: person.id,
      to_address: person.email,
      subject: t('webhook.disabled.subject'),
      text_body: text,
      html_body: html,
      message_id: `<${randomUUID()}@${domain}>`,
      in_reply_to: null,
      traceparent: currentTraceparent() ?? null,
    };
  });
  await trx('deliveries').insert(rows);
  return true;
}

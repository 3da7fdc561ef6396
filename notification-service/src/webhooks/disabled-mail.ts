import { randomUUID } from 'node:crypto';
import { currentTraceparent } from '@desk/messaging';
import { letter } from '../mail/letter.js';
import type { Knex } from 'knex';
import { mailDomain } from '../recipients/links.js';

export interface DisabledMailInput {
  webhookId: string;
  url: string;
  ownerId: string;
  reason: string;
  publicAppUrl: string;
  mailFrom: string;
}

/**
 * Tells an endpoint's owner (the admin who registered it) that it was disabled, by mail recorded
 * in the transaction that disabled it. An owner no longer active is replaced by every active
 * admin, so the news reaches someone who can act. Returns whether any mail was recorded.
 */
export async function recordDisabledMail(trx: Knex.Transaction, input: DisabledMailInput): Promise<boolean> {
  let people = (await trx('users').select('id', 'email', 'full_name').where({ id: input.ownerId, is_active: true })) as { id: string; email: string; full_name: string }[];
  if (people.length === 0) people = (await trx('users').select('id', 'email', 'full_name').where({ role: 'admin', is_active: true }).orderBy('full_name').limit(20)) as typeof people;
  if (people.length === 0) return false;
  const link = new URL(`/admin/webhooks/${input.webhookId}`, input.publicAppUrl).toString();
  const subject = 'A webhook endpoint was disabled';
  const domain = mailDomain(input.mailFrom);
  const eventId = randomUUID();
  const rows = people.map((person) => {
    const paragraphs = [
      `The webhook endpoint ${input.url} kept failing, so the service desk stopped sending to it.`,
      `${input.reason}.`,
      'Events that happen while it is disabled are not sent to it. Fix the receiver, then enable the endpoint again: the deliveries that were waiting go out then, and failed ones can be redelivered from its delivery log.',
    ];
    const { text, html } = letter(`Hello ${person.full_name},`, paragraphs, { label: 'Open the endpoint', href: link });
    return {
      event_id: eventId,
      event_type: 'webhook.disabled',
      incident_id: null,
      incident_key: null,
      user_id: person.id,
      to_address: person.email,
      subject,
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

import { randomUUID } from 'node:crypto';
import { NOTIFIABLE_EVENT_TYPES, WEBHOOK_EVENT_TYPES, type NotifiableEventType, type NotificationChannel } from '@desk/contracts';
import { currentTraceparent, NotYetError, withInbox, type EventHandler, type EventHandlers, type TransactionalHandlers } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { NotificationConfig } from '../config.js';
import { NOTIFICATION_CHANNEL } from '../inbox/notification-stream.js';
import { departmentPeople, incidentUpsert, upsertIncident } from '../incident-replica/incident-replica.repository.js';
import { replica, type Recipient } from '../replica.js';
import { ACCOUNT_MAIL_EVENT_TYPES } from '../accounts/account-mail.js';
import { accountMailHandlers } from '../accounts/account-mail-handlers.js';
import { translator } from '../i18n/catalogue.js';
import { compose, composeMail } from './compose.js';
import { addWebhookFanOut, type WebhookSubscriptions } from '../webhooks/fan-out.js';
import { incidentLink, mailDomain, preferencesLink, ratingLinks, threadRootId } from './links.js';
import { actorOf, recipientsFor, rulesFor, type AudienceMembers, type NotifiableEvent, type Person } from './rules.js';

export const CONSUMER_NAME = 'notification-service';

/**
 * A person the event must reach is not in the user replica yet: the replica catches up and the
 * event is retried, without spending one of its attempts (it is not the event's fault).
 */
export class ReplicaBehindError extends NotYetError {
  constructor(readonly userIds: string[]) {
    super(`user(s) ${userIds.join(', ')} not in the replica yet; catching up with identity-service before the next attempt`);
    this.name = 'ReplicaBehindError';
  }
}

export interface NotificationHandlerOptions {
  db: Knex;
  config: Pick<NotificationConfig, 'PUBLIC_APP_URL' | 'MAIL_FROM' | 'SATISFACTION_LINK_SECRET'>;
  logger: Logger;
  /** After an event's notifications committed: mail is waiting to be sent. */
  onMailRecorded(): void;
  /** Called when a recipient was missing from the replica, before the event is retried. */
  onReplicaBehind(userIds: string[]): Promise<void>;
  /** How long a webhook delivery is retried (WEBHOOK_RETRY_WINDOW). */
  webhookRetryWindowMs: number;
  /** Which event types endpoints subscribe to. */
  webhookSubscriptions: WebhookSubscriptions;
  /** After an event's webhook deliveries committed: they are waiting to be sent. */
  onWebhooksRecorded(): void;
}

const person = (user: Recipient | undefined): Person | undefined =>
  user && { id: user.id, role: user.role, departmentId: user.department_id, isActive: user.is_active };

interface PreferenceRow {
  user_id: string;
  email: boolean;
  in_app: boolean;
}

type NamedUserRow = Recipient & { preference_email: boolean | null; preference_in_app: boolean | null };

/** Leeway for the clocks of identity-service (accounts) and incident-service (events) disagreeing. */
const CLOCK_LEEWAY_MS = 5 * 60_000;

/**
 * Whether the event happened before the person's account existed: history replayed or imported
 * (the standalone demo's eight weeks, see incident-service's history/replay.ts). Such an event
 * keeps the replicas current, but tells nobody: their inbox and mailbox start when they joined.
 * Live, an event never precedes the accounts it reaches (a recipient must exist to be named).
 */
function predatesAccount(user: Recipient | undefined, happenedAt: number): boolean {
  return user?.created_at != null && happenedAt < user.created_at.getTime() - CLOCK_LEEWAY_MS;
}

/**
 * Turns one incident event into notifications: who is told (rules.ts), minus what each person
 * switched off, as in-app notifications and mail waiting to be sent, all in the transaction
 * that records the event in the inbox, so a redelivered event tells nobody twice. The mail is
 * composed now and sent by the DeliveryWorker after commit; a NOTIFY wakes the live streams.
 */
async function notify(event: NotifiableEvent, trx: Knex.Transaction, options: NotificationHandlerOptions): Promise<void> {
  const incident = event.data.incident;
  const rules = rulesFor(event);
  if (rules.length === 0) {
    await upsertIncident(trx, incident);
    return;
  }

  const audiences = new Set(rules.map((rule) => rule.audience));
  const previousAssigneeId = event.type === 'incident.assigned' ? event.data.previousAssigneeId : null;
  const actorId = actorOf(event);
  // The people the event names besides: watchers, who a comment mentions, who was added as a
  // watcher, who a major incident affects.
  const watcherIds = audiences.has('watchers') ? (incident.watcherIds ?? []) : [];
  const mentionedIds = event.type === 'incident.commented' ? (event.data.mentionedIds ?? []) : [];
  const addedWatcherId = event.type === 'incident.watcher_added' ? event.data.watcherId : null;
  const affectedIds = event.type === 'incident.major_declared' || event.type === 'incident.major_update_posted' ? event.data.affectedUserIds : [];
  const named = [incident.reporterId, incident.assigneeId, previousAssigneeId, actorId, addedWatcherId, ...watcherIds, ...mentionedIds, ...affectedIds].filter((id): id is string => Boolean(id));
  // One round trip: the replica upsert, and the people the event names with their preferences.
  const { rows: namedRows } = await trx.raw<{ rows: NamedUserRow[] }>(
    `with upserted as (?)
     select u.id, u.email, u.full_name, u.role, u.department_id, u.is_active, u.created_at, u.locale, p.email as preference_email, p.in_app as preference_in_app
       from users u left join preferences p on p.user_id = u.id and p.event_type = ?
      where u.id = any(?::uuid[])`,
    [incidentUpsert(trx, incident), event.type, [...new Set(named)]],
  );
  const users = new Map<string, Recipient>(
    namedRows.map(({ id, email, full_name, role, department_id, is_active, created_at, locale }) => [id, { id, email, full_name, role, department_id, is_active, created_at, locale }]),
  );
  const preferences = new Map<string, PreferenceRow>();
  for (const row of namedRows) {
    if (row.preference_email !== null) preferences.set(row.id, { user_id: row.id, email: row.preference_email, in_app: row.preference_in_app! });
  }
  const [departmentAll, managers] = await Promise.all([
    audiences.has('departmentPeople') ? departmentPeople(trx, incident.departmentId, ['staff', 'manager']) : Promise.resolve([]),
    audiences.has('departmentManagers') ? departmentPeople(trx, incident.departmentId, ['manager']) : Promise.resolve([]),
  ]);

  // The reporter, assignee and replaced assignee must be known to tell them anything.
  const needed = [
    audiences.has('reporter') ? incident.reporterId : null,
    audiences.has('assignee') ? incident.assigneeId : null,
    audiences.has('previousAssignee') ? previousAssigneeId : null,
    ...(audiences.has('addedWatcher') ? [addedWatcherId] : []),
    ...watcherIds,
    ...(audiences.has('mentioned') ? mentionedIds : []),
    ...(audiences.has('affected') ? affectedIds : []),
  ].filter((id): id is string => Boolean(id));
  const missing = needed.filter((id) => !users.has(id));
  if (missing.length > 0) throw new ReplicaBehindError(missing);

  const members: AudienceMembers = {
    reporter: person(users.get(incident.reporterId)),
    assignee: incident.assigneeId ? person(users.get(incident.assigneeId)) : undefined,
    previousAssignee: previousAssigneeId ? person(users.get(previousAssigneeId)) : undefined,
    departmentPeople: departmentAll.map((user) => person(user)!),
    departmentManagers: managers.map((user) => person(user)!),
    watchers: watcherIds.map((id) => person(users.get(id))!),
    mentioned: mentionedIds.map((id) => person(users.get(id))).filter((each): each is Person => each !== undefined),
    addedWatcher: addedWatcherId ? person(users.get(addedWatcherId)) : undefined,
    affected: affectedIds.map((id) => person(users.get(id))!),
  };
  const everyone = new Map<string, Recipient>([...users, ...departmentAll.map((user) => [user.id, user] as const), ...managers.map((user) => [user.id, user] as const)]);
  const happenedAt = Date.parse(event.time);
  const recipients = recipientsFor(event, members).filter((recipient) => !predatesAccount(everyone.get(recipient.userId), happenedAt));
  if (recipients.length === 0) return;

  // Preferences of recipients the event does not name (department audiences).
  const others = recipients.map((recipient) => recipient.userId).filter((id) => !users.has(id));
  if (others.length > 0) {
    const rows = (await trx('preferences').select('user_id', 'email', 'in_app').where('event_type', event.type).whereIn('user_id', others)) as PreferenceRow[];
    for (const row of rows) preferences.set(row.user_id, row);
  }
  const wants = (userId: string, channel: NotificationChannel) => {
    const preference = preferences.get(userId);
    return !preference || (channel === 'email' ? preference.email : preference.in_app);
  };

  const names = {
    actor: actorId ? users.get(actorId)?.full_name : undefined,
    assignee: incident.assigneeId ? users.get(incident.assigneeId)?.full_name : undefined,
    reporter: users.get(incident.reporterId)?.full_name,
    people: new Map(mentionedIds.flatMap((id) => (users.has(id) ? [[id, users.get(id)!.full_name] as const] : []))),
  };
  const link = incidentLink(options.config.PUBLIC_APP_URL, incident.key);
  const domain = mailDomain(options.config.MAIL_FROM);
  const root = threadRootId(incident.id, domain);
  const traceparent = currentTraceparent() ?? null;
  const notificationRows: Record<string, unknown>[] = [];
  const deliveryRows: Record<string, unknown>[] = [];
  for (const recipient of recipients) {
    const user = everyone.get(recipient.userId)!;
    // In the recipient's language as it is now: the in-app notification is stored composed.
    const i18n = translator(user.locale);
    const message = compose(event, recipient.audience, names, i18n);
    if (recipient.channels.has('inApp') && wants(user.id, 'inApp')) {
      notificationRows.push({
        user_id: user.id,
        event_id: event.id,
        type: event.type,
        incident_id: incident.id,
        incident_key: incident.key,
        headline: message.headline,
        detail: message.detail,
        actor_id: actorId,
      });
    }
    if (recipient.channels.has('email') && wants(user.id, 'email')) {
      // A resolution tells its reporter how to rate it, with one click per rating.
      const rate = event.type === 'incident.status_changed' && event.data.to === 'RESOLVED' && recipient.audience === 'reporter' ? await ratingLinks(options.config, incident) : undefined;
      const mail = composeMail(event, recipient.audience, message, { incident: link, preferences: preferencesLink(options.config.PUBLIC_APP_URL), ...(rate ? { rate } : {}) }, names, i18n);
      // The receipt starts the incident's thread; every later mail answers it.
      const receipt = event.type === 'incident.created';
      deliveryRows.push({
        event_id: event.id,
        event_type: event.type,
        incident_id: incident.id,
        incident_key: incident.key,
        user_id: user.id,
        to_address: user.email,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
        message_id: receipt ? root : `<${randomUUID()}@${domain}>`,
        in_reply_to: receipt ? null : root,
        traceparent,
      });
    }
  }
  // All recipients' rows in one statement; the live streams' listeners are told in it too
  // (NOTIFY is delivered when, and only if, the transaction commits).
  const insertDeliveries = deliveryRows.length > 0 ? trx('deliveries').insert(deliveryRows).onConflict().ignore() : undefined;
  if (notificationRows.length > 0) {
    const insertNotifications = trx('notifications').insert(notificationRows).onConflict(['event_id', 'user_id']).ignore().returning(['id', 'user_id']);
    await trx.raw(
      `with inserted as (?)${insertDeliveries ? ', mails as (?)' : ''}
       select pg_notify(?, json_build_object('userId', user_id, 'id', id)::text) from inserted`,
      [insertNotifications, ...(insertDeliveries ? [insertDeliveries] : []), NOTIFICATION_CHANNEL],
    );
  } else if (insertDeliveries) {
    await insertDeliveries;
  }
  const mails = deliveryRows.length;
  if (mails > 0) options.logger.debug({ eventId: event.id, mails }, 'mail recorded');
}

export function notificationHandlers(options: NotificationHandlerOptions): EventHandlers {
  const { db } = options;
  const transactional: TransactionalHandlers = {
    // identity's events keep the user and department replica current (@desk/replica).
    ...replica.handlers,
    // Mail about an account (verification, reset links, password changed): to the address the event names.
    ...accountMailHandlers(options.config),
    'incident.updated': (event, trx) => upsertIncident(trx, event.data.incident),
  };
  for (const type of NOTIFIABLE_EVENT_TYPES) {
    (transactional as Record<NotifiableEventType, (event: NotifiableEvent, trx: Knex.Transaction) => Promise<void>>)[type] = (event, trx) => notify(event, trx, options);
  }
  // Every event type webhooks carry also records a delivery per subscribed endpoint (webhooks/).
  const fanOut = addWebhookFanOut(transactional, options.webhookRetryWindowMs, options.webhookSubscriptions);
  const handlers = withInbox(db, CONSUMER_NAME, fanOut.handlers);
  for (const type of WEBHOOK_EVENT_TYPES) {
    const inner = handlers[type] as EventHandler;
    (handlers as Record<string, EventHandler>)[type] = async (event, delivery) => {
      try {
        await inner(event, delivery);
      } finally {
        if (fanOut.recorded.delete(event.id)) options.onWebhooksRecorded();
      }
    };
  }
  // Mail recorded by an event is sent right after its transaction commits; a recipient missing
  // from the replica sends the replica to catch up before the bus retries the event.
  for (const type of NOTIFIABLE_EVENT_TYPES) {
    const inner = handlers[type] as EventHandler;
    (handlers as Record<string, EventHandler>)[type] = async (event, delivery) => {
      try {
        await inner(event, delivery);
        options.onMailRecorded();
      } catch (error) {
        if (error instanceof ReplicaBehindError) await options.onReplicaBehind(error.userIds).catch(() => undefined);
        throw error;
      }
    };
  }
  for (const type of ACCOUNT_MAIL_EVENT_TYPES) {
    const inner = handlers[type] as EventHandler;
    (handlers as Record<string, EventHandler>)[type] = async (event, delivery) => {
      await inner(event, delivery);
      options.onMailRecorded();
    };
  }
  return handlers;
}

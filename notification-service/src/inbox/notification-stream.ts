import type { Caller, CallerCheck } from '@desk/auth';
import type { Notification } from '@desk/contracts';
import { LiveStreamHub, SentIds, type LiveStream } from '@desk/platform';
import type { Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './notifications.repository.js';

export type { StreamClosedReason, StreamResetReason } from '@desk/platform';

/** Postgres NOTIFY channel: `{ userId, id }` of each in-app notification, sent when its transaction commits. */
export const NOTIFICATION_CHANNEL = 'desk_notification_created';

/** Notifications a reconnecting stream is sent at most; further behind, it is told to reload the inbox. */
const CATCH_UP_LIMIT = 100;

type NotificationWithSeq = NotificationRow & { seq: string };

interface InboxState {
  sent: SentIds;
  /** The highest `seq` sent (or the newest at connection): where a catch-up after a gap starts. */
  lastSeq: bigint;
}

type Stream = LiveStream<Caller, InboxState>;

export interface NotificationStreamsOptions {
  databaseUrl: string;
  db: Knex;
  logger: Logger;
  heartbeatMs: number;
  publicAppUrl: string;
  /** The check `authenticate` runs on every request, run again for open streams (deactivation, role change). */
  check: CallerCheck;
  /** How often `check` is run again for every open stream. */
  checkIntervalMs: number;
  /** Streams one user may hold open; one more closes the oldest. */
  maxPerUser: number;
}

/**
 * The live stream behind `GET /notifications/stream`: server-sent events pushing each new
 * notification of the caller. Notifications are announced with Postgres NOTIFY on commit, so a
 * stream held by any replica of the service hears of what any replica recorded; the listening,
 * heartbeats, caps, expiry and re-checks are @desk/platform's LiveStreamHub. After a gap in
 * listening each stream catches up from the inbox.
 *
 * Resuming is exact: every notification has a `seq` (a bigserial), and a client reconnecting
 * with `Last-Event-ID` gets the caller's notifications with a higher `seq`, in that order, and
 * nothing it already had.
 */
export class NotificationStreams {
  private readonly hub: LiveStreamHub<Caller, InboxState>;

  constructor(private readonly options: NotificationStreamsOptions) {
    this.hub = new LiveStreamHub<Caller, InboxState>({
      name: 'notification-service stream',
      databaseUrl: options.databaseUrl,
      channel: NOTIFICATION_CHANNEL,
      logger: options.logger,
      heartbeatMs: options.heartbeatMs,
      check: options.check,
      checkIntervalMs: options.checkIntervalMs,
      maxPerCaller: options.maxPerUser,
      onAnnounced: (payload) => this.announced(payload),
      onListenerRestored: () => {
        for (const stream of this.hub.all()) this.hub.enqueue(stream, () => this.catchUp(stream, stream.state.lastSeq));
      },
    });
  }

  start(): Promise<void> {
    return this.hub.start();
  }

  /** Whether new notifications reach the streams now (for /health). */
  get isListening(): boolean {
    return this.hub.isListening;
  }

  get openStreams(): number {
    return this.hub.openStreams;
  }

  /** Open streams of one user (for tests and metrics). */
  openStreamsOf(userId: string): number {
    return this.hub.openStreamsOf(userId);
  }

  private announced(payload: string): void {
    let parsed: { userId?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    const { userId, id } = parsed;
    if (typeof userId !== 'string' || typeof id !== 'string') return;
    for (const stream of this.hub.streamsOf(userId)) this.hub.enqueue(stream, () => this.sendOne(stream, id));
  }

  /**
   * Serves one stream until the client goes away or the stream is closed. `lastEventId` (the
   * `Last-Event-ID` a reconnecting EventSource sends) resumes after that notification.
   */
  open(caller: Caller, response: Response, lastEventId: string | undefined): void {
    const stream = this.hub.open(caller, response, { sent: new SentIds(), lastSeq: 0n });
    // First in the stream's queue, so live announcements queue up behind where it starts.
    this.hub.enqueue(stream, () => this.begin(stream, lastEventId));
  }

  /** Where the stream starts: after the client's Last-Event-ID, or after the newest notification now. */
  private async begin(stream: Stream, lastEventId: string | undefined): Promise<void> {
    if (lastEventId === undefined || lastEventId === '') {
      stream.state.lastSeq = await this.newestSeq(stream.caller.id);
      return;
    }
    const resumeFrom = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(lastEventId)
      ? await this.options.db('notifications').select('seq').where({ id: lastEventId, user_id: stream.caller.id }).first<{ seq: string } | undefined>()
      : undefined;
    if (!resumeFrom) {
      stream.state.lastSeq = await this.newestSeq(stream.caller.id);
      this.hub.reset(stream, 'unknown-last-event-id', 'Last-Event-ID is not one of your notifications; reload the inbox. New notifications follow on this stream.');
      return;
    }
    await this.catchUp(stream, BigInt(resumeFrom.seq));
  }

  private async newestSeq(userId: string): Promise<bigint> {
    const row = await this.options.db('notifications').max<{ seq: string | null }>('seq as seq').where({ user_id: userId }).first();
    return BigInt(row?.seq ?? 0);
  }

  private async sendOne(stream: Stream, id: string): Promise<void> {
    if (stream.state.sent.has(id)) return;
    const row = await this.options.db('notifications').select([...NOTIFICATION_COLUMNS, 'seq']).where({ id, user_id: stream.caller.id }).first<NotificationWithSeq | undefined>();
    if (row) this.write(stream, toNotification(row, this.options.publicAppUrl), BigInt(row.seq));
  }

  /** Every notification after `afterSeq`, in order; too many, and the client is told to reload instead. */
  private async catchUp(stream: Stream, afterSeq: bigint): Promise<void> {
    const rows = (await this.options.db('notifications')
      .select([...NOTIFICATION_COLUMNS, 'seq'])
      .where('user_id', stream.caller.id)
      .where('seq', '>', afterSeq.toString())
      .orderBy('seq', 'asc')
      .limit(CATCH_UP_LIMIT + 1)) as NotificationWithSeq[];
    if (rows.length > CATCH_UP_LIMIT) {
      stream.state.lastSeq = await this.newestSeq(stream.caller.id);
      this.hub.reset(stream, 'too-far-behind', `More than ${CATCH_UP_LIMIT} notifications arrived since Last-Event-ID; reload the inbox. New notifications follow on this stream.`);
      return;
    }
    if (afterSeq > stream.state.lastSeq) stream.state.lastSeq = afterSeq;
    for (const row of rows) if (!stream.state.sent.has(row.id)) this.write(stream, toNotification(row, this.options.publicAppUrl), BigInt(row.seq));
  }

  private write(stream: Stream, notification: Notification, seq: bigint): void {
    if (!this.hub.send(stream, 'notification', notification, notification.id)) return;
    stream.state.sent.add(notification.id);
    if (seq > stream.state.lastSeq) stream.state.lastSeq = seq;
  }

  /** Ends every stream (clients reconnect to another replica) and the listener. */
  stop(): Promise<void> {
    return this.hub.stop();
  }
}

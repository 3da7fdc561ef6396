import type { Caller, CallerCheck } from '@desk/auth';
import type { Notification } from '@desk/contracts';
import type { Response } from 'express';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './notifications.repository.js';

/** Postgres NOTIFY channel: `{ userId, id }` of each in-app notification, sent when its transaction commits. */
export const NOTIFICATION_CHANNEL = 'desk_notification_created';

/** Notifications a reconnecting stream is sent at most; further behind, it is told to reload the inbox. */
const CATCH_UP_LIMIT = 100;
/** The reconnection delay (`retry:`) sent to a stream closed for being one too many. */
const DO_NOT_RETRY_MS = 3_600_000;
/** Ids a stream remembers having sent, so a notification announced twice is sent once. */
const REMEMBERED = 500;

/**
 * Why the service ends a stream itself (`event: closed`, `data: { reason, detail }`), so that a
 * client knows whether to reconnect: after `token-expired` with a fresh token; after
 * `too-many-streams` or `access-revoked` not at all.
 */
export type StreamClosedReason = 'too-many-streams' | 'token-expired' | 'access-revoked';
/**
 * Why a stream tells its client to reload the inbox (`event: reset`): its `Last-Event-ID` is not
 * one of the caller's notifications, or more than CATCH_UP_LIMIT have arrived since.
 */
export type StreamResetReason = 'unknown-last-event-id' | 'too-far-behind';

type NotificationWithSeq = NotificationRow & { seq: string };

interface Stream {
  caller: Caller;
  response: Response;
  sent: Set<string>;
  /** Sends of this stream, one after another. */
  queue: Promise<void>;
  /** The highest `seq` sent (or the newest at connection): where a catch-up after a gap starts. */
  lastSeq: bigint;
  expiry: NodeJS.Timeout | undefined;
  ended: boolean;
}

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

function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const CLOSED_DETAIL: Record<StreamClosedReason, string> = {
  'too-many-streams': 'You opened another live stream; only the newest few are kept. Do not reconnect this one.',
  'token-expired': 'The access token has expired; reconnect with a fresh one.',
  'access-revoked': 'The access token no longer stands',
};

/**
 * The live stream behind `GET /notifications/stream`: server-sent events pushing each new
 * notification of the caller. Notifications are announced with Postgres NOTIFY on commit, so a
 * stream held by any replica of the service hears of what any replica recorded. The listening
 * connection reconnects by itself; after a gap each stream catches up from the inbox.
 *
 * Resuming is exact: every notification has a `seq` (a bigserial), and a client reconnecting
 * with `Last-Event-ID` gets the caller's notifications with a higher `seq`, in that order, and
 * nothing it already had. A stream lasts no longer than its token, nor than the account check
 * that admitted it (re-run every `checkIntervalMs`), and a user holds at most `maxPerUser`.
 */
export class NotificationStreams {
  private readonly streams = new Map<string, Set<Stream>>();
  private client: pg.Client | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private rechecking = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private listening = false;

  constructor(private readonly options: NotificationStreamsOptions) {}

  async start(): Promise<void> {
    this.heartbeat = setInterval(() => {
      const line = `: heartbeat ${new Date().toISOString()}\n\n`;
      for (const stream of this.all()) if (!stream.ended) stream.response.write(line);
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
    this.recheck = setInterval(() => void this.recheckCallers(), this.options.checkIntervalMs);
    this.recheck.unref();
    await this.listen();
  }

  /** Whether new notifications reach the streams now (for /health). */
  get isListening(): boolean {
    return this.listening;
  }

  get openStreams(): number {
    let count = 0;
    for (const streams of this.streams.values()) count += streams.size;
    return count;
  }

  /** Open streams of one user (for tests and metrics). */
  openStreamsOf(userId: string): number {
    return this.streams.get(userId)?.size ?? 0;
  }

  private *all(): Generator<Stream> {
    for (const streams of this.streams.values()) yield* streams;
  }

  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'notification-service stream' });
    const retry = (error: unknown) => {
      this.listening = false;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      this.options.logger.warn({ err: error, retryInMs: delay }, 'live notification stream lost its database listener; reconnecting');
      this.reconnectTimer = setTimeout(() => void this.listen(attempt + 1), delay);
      this.reconnectTimer.unref();
    };
    try {
      await client.connect();
      client.on('notification', (message) => this.announced(message.payload));
      client.on('error', retry);
      client.on('end', () => retry(new Error('connection ended')));
      await client.query(`listen ${NOTIFICATION_CHANNEL}`);
      this.client = client;
      this.listening = true;
      // Anything recorded while no one listened reaches the streams now.
      if (attempt > 0) for (const stream of this.all()) this.enqueue(stream, () => this.catchUp(stream, stream.lastSeq));
      attempt = 0;
    } catch (error) {
      retry(error);
    }
  }

  private announced(payload: string | undefined): void {
    let parsed: { userId?: unknown; id?: unknown };
    try {
      parsed = JSON.parse(payload ?? '') as typeof parsed;
    } catch {
      return;
    }
    const { userId, id } = parsed;
    if (typeof userId !== 'string' || typeof id !== 'string') return;
    for (const stream of this.streams.get(userId) ?? []) this.enqueue(stream, () => this.sendOne(stream, id));
  }

  /**
   * Serves one stream until the client goes away or the stream is closed. `lastEventId` (the
   * `Last-Event-ID` a reconnecting EventSource sends) resumes after that notification.
   */
  open(caller: Caller, response: Response, lastEventId: string | undefined): void {
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    response.write('retry: 3000\n: connected\n\n');

    // Registered before anything is awaited: a client gone meanwhile must not stay registered,
    // and a notification committed from now on is announced to this stream.
    const stream: Stream = { caller, response, sent: new Set(), queue: Promise.resolve(), lastSeq: 0n, expiry: undefined, ended: false };
    let streams = this.streams.get(caller.id);
    if (!streams) this.streams.set(caller.id, (streams = new Set()));
    // The oldest give way: one user's tabs and scripts cannot hold connections without bound.
    for (const oldest of streams) {
      if (streams.size < this.options.maxPerUser) break;
      this.close(oldest, 'too-many-streams');
    }
    streams.add(stream);
    response.on('close', () => this.forget(stream));
    const expiresInMs = caller.expiresAt.getTime() - Date.now();
    stream.expiry = setTimeout(() => this.close(stream, 'token-expired'), Math.min(Math.max(0, expiresInMs), 2 ** 31 - 1));
    stream.expiry.unref();

    // First in the stream's queue, so live announcements queue up behind where it starts.
    this.enqueue(stream, () => this.begin(stream, lastEventId));
  }

  /** Where the stream starts: after the client's Last-Event-ID, or after the newest notification now. */
  private async begin(stream: Stream, lastEventId: string | undefined): Promise<void> {
    if (lastEventId === undefined || lastEventId === '') {
      stream.lastSeq = await this.newestSeq(stream.caller.id);
      return;
    }
    const resumeFrom = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(lastEventId)
      ? await this.options.db('notifications').select('seq').where({ id: lastEventId, user_id: stream.caller.id }).first<{ seq: string } | undefined>()
      : undefined;
    if (!resumeFrom) {
      stream.lastSeq = await this.newestSeq(stream.caller.id);
      this.reset(stream, 'unknown-last-event-id', 'Last-Event-ID is not one of your notifications; reload the inbox. New notifications follow on this stream.');
      return;
    }
    await this.catchUp(stream, BigInt(resumeFrom.seq));
  }

  private async newestSeq(userId: string): Promise<bigint> {
    const row = await this.options.db('notifications').max<{ seq: string | null }>('seq as seq').where({ user_id: userId }).first();
    return BigInt(row?.seq ?? 0);
  }

  private enqueue(stream: Stream, work: () => Promise<void>): void {
    stream.queue = stream.queue
      .then(() => (stream.ended ? undefined : work()))
      .catch((error: unknown) => this.options.logger.warn({ err: error, userId: stream.caller.id }, 'could not push a notification to a live stream'));
  }

  private async sendOne(stream: Stream, id: string): Promise<void> {
    if (stream.sent.has(id)) return;
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
      stream.lastSeq = await this.newestSeq(stream.caller.id);
      this.reset(stream, 'too-far-behind', `More than ${CATCH_UP_LIMIT} notifications arrived since Last-Event-ID; reload the inbox. New notifications follow on this stream.`);
      return;
    }
    if (afterSeq > stream.lastSeq) stream.lastSeq = afterSeq;
    for (const row of rows) if (!stream.sent.has(row.id)) this.write(stream, toNotification(row, this.options.publicAppUrl), BigInt(row.seq));
  }

  private write(stream: Stream, notification: Notification, seq: bigint): void {
    if (stream.ended || stream.response.writableEnded) return;
    stream.response.write(`id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
    stream.sent.add(notification.id);
    if (stream.sent.size > REMEMBERED) stream.sent.delete(stream.sent.values().next().value!);
    if (seq > stream.lastSeq) stream.lastSeq = seq;
  }

  private reset(stream: Stream, reason: StreamResetReason, detail: string): void {
    if (stream.ended || stream.response.writableEnded) return;
    stream.response.write(sseEvent('reset', { reason, detail }));
  }

  /** Tells the client why, then ends the stream. */
  private close(stream: Stream, reason: StreamClosedReason, why?: string): void {
    if (stream.ended) return;
    if (!stream.response.writableEnded) {
      // A plain EventSource reconnects by itself; told to wait an hour, it stops shoving newer streams out.
      if (reason === 'too-many-streams') stream.response.write(`retry: ${DO_NOT_RETRY_MS}\n`);
      stream.response.write(sseEvent('closed', { reason, detail: why ? `${CLOSED_DETAIL[reason]}: ${why}.` : CLOSED_DETAIL[reason] }));
      stream.response.end();
    }
    this.forget(stream);
  }

  private forget(stream: Stream): void {
    stream.ended = true;
    clearTimeout(stream.expiry);
    const streams = this.streams.get(stream.caller.id);
    if (!streams) return;
    streams.delete(stream);
    if (streams.size === 0) this.streams.delete(stream.caller.id);
  }

  /** The account check again for every open stream: what would refuse a request now ends its streams. */
  private async recheckCallers(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      for (const stream of [...this.all()]) {
        const refused = await this.options.check(stream.caller).catch((error: unknown) => {
          this.options.logger.warn({ err: error }, 'could not re-check the caller of a live stream; keeping it until the next round');
          return undefined;
        });
        if (refused) this.close(stream, 'access-revoked', refused);
      }
    } finally {
      this.rechecking = false;
    }
  }

  /** Ends every stream (clients reconnect to another replica) and the listener. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.recheck);
    clearTimeout(this.reconnectTimer);
    for (const stream of [...this.all()]) {
      stream.ended = true;
      clearTimeout(stream.expiry);
      stream.response.end();
    }
    this.streams.clear();
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
    }
  }
}

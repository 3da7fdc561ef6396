import type { Notification } from '@desk/contracts';
import type { Response } from 'express';
import type { Knex } from 'knex';
import pg from 'pg';
import type { Logger } from 'pino';
import { NOTIFICATION_COLUMNS, toNotification, type NotificationRow } from './notifications.repository.js';

/** Postgres NOTIFY channel: `{ userId, id }` of each in-app notification, sent when its transaction commits. */
export const NOTIFICATION_CHANNEL = 'desk_notification_created';

/** Notifications a reconnecting stream is sent at most (newest kept); the inbox has the rest. */
const CATCH_UP_LIMIT = 100;
/** Ids a stream remembers having sent, so catching up after a gap sends nothing twice. */
const REMEMBERED = 500;

interface Stream {
  userId: string;
  response: Response;
  sent: Set<string>;
  /** Sends of this stream, one after another. */
  queue: Promise<void>;
  /** Time of the newest notification sent (or seen at connection): where a catch-up starts. */
  since: Date;
}

export interface NotificationStreamsOptions {
  databaseUrl: string;
  db: Knex;
  logger: Logger;
  heartbeatMs: number;
  publicAppUrl: string;
}

/**
 * The live stream behind `GET /notifications/stream`: server-sent events pushing each new
 * notification of the caller. Notifications are announced with Postgres NOTIFY on commit, so a
 * stream held by any replica of the service hears of what any replica recorded. The listening
 * connection reconnects by itself; after a gap each stream catches up from the inbox (as it
 * does for a client reconnecting with `Last-Event-ID`).
 */
export class NotificationStreams {
  private readonly streams = new Map<string, Set<Stream>>();
  private client: pg.Client | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private listening = false;

  constructor(private readonly options: NotificationStreamsOptions) {}

  async start(): Promise<void> {
    this.heartbeat = setInterval(() => {
      const line = `: heartbeat ${new Date().toISOString()}\n\n`;
      for (const streams of this.streams.values()) for (const stream of streams) stream.response.write(line);
    }, this.options.heartbeatMs);
    this.heartbeat.unref();
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
      if (attempt > 0) for (const streams of this.streams.values()) for (const stream of streams) this.enqueue(stream, () => this.catchUp(stream));
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
   * Serves one stream until the client goes away. `lastEventId` (the `Last-Event-ID` a
   * reconnecting EventSource sends) resumes after that notification.
   */
  async open(userId: string, response: Response, lastEventId: string | undefined): Promise<void> {
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    response.write('retry: 3000\n: connected\n\n');

    // Registered before anything is awaited: a client gone meanwhile must not stay registered.
    const stream: Stream = { userId, response, sent: new Set(lastEventId ? [lastEventId] : []), queue: Promise.resolve(), since: new Date() };
    let streams = this.streams.get(userId);
    if (!streams) this.streams.set(userId, (streams = new Set()));
    streams.add(stream);
    const registered = streams;
    response.on('close', () => {
      registered.delete(stream);
      if (registered.size === 0 && this.streams.get(userId) === registered) this.streams.delete(userId);
    });

    // Where the stream starts: after the client's Last-Event-ID, or after the newest notification now.
    const resumeFrom = lastEventId && /^[0-9a-f-]{36}$/i.test(lastEventId)
      ? await this.options.db('notifications').select('created_at').where({ id: lastEventId, user_id: userId }).first<{ created_at: Date } | undefined>()
      : undefined;
    const newest = resumeFrom
      ? undefined
      : await this.options.db('notifications').select('created_at').where({ user_id: userId }).orderBy([{ column: 'created_at', order: 'desc' }]).first<{ created_at: Date } | undefined>();
    stream.since = resumeFrom?.created_at ?? newest?.created_at ?? stream.since;
    if (resumeFrom) this.enqueue(stream, () => this.catchUp(stream));
  }

  private enqueue(stream: Stream, work: () => Promise<void>): void {
    stream.queue = stream.queue.then(work).catch((error: unknown) => this.options.logger.warn({ err: error, userId: stream.userId }, 'could not push a notification to a live stream'));
  }

  private async sendOne(stream: Stream, id: string): Promise<void> {
    if (stream.sent.has(id)) return;
    const row = await this.options.db('notifications').select(NOTIFICATION_COLUMNS).where({ id, user_id: stream.userId }).first<NotificationRow | undefined>();
    if (row) this.write(stream, toNotification(row, this.options.publicAppUrl), row.created_at);
  }

  /** What the stream may have missed: newer than its last, a second of overlap, nothing sent twice. */
  private async catchUp(stream: Stream): Promise<void> {
    const rows = (await this.options.db('notifications')
      .select(NOTIFICATION_COLUMNS)
      .where('user_id', stream.userId)
      .where('created_at', '>=', new Date(stream.since.getTime() - 1_000))
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(CATCH_UP_LIMIT)) as NotificationRow[];
    for (const row of rows.reverse()) if (!stream.sent.has(row.id)) this.write(stream, toNotification(row, this.options.publicAppUrl), row.created_at);
  }

  private write(stream: Stream, notification: Notification, createdAt: Date): void {
    if (stream.response.writableEnded) return;
    stream.response.write(`id: ${notification.id}\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`);
    stream.sent.add(notification.id);
    if (stream.sent.size > REMEMBERED) stream.sent.delete(stream.sent.values().next().value!);
    if (createdAt > stream.since) stream.since = createdAt;
  }

  /** Ends every stream (clients reconnect to another replica) and the listener. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.reconnectTimer);
    for (const streams of this.streams.values()) for (const stream of streams) stream.response.end();
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

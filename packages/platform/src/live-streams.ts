import type { Response } from 'express';
import pg from 'pg';
import type { Logger } from 'pino';
import type { HealthCheck } from './health.js';

/**
 * Why a service (or the gateway) ends a live stream itself (`event: closed`, `data: { reason,
 * detail }`), so that a client knows whether to reconnect: after `token-expired` with a fresh
 * token; after `too-many-streams` or `access-revoked` not at all.
 */
export type StreamClosedReason = 'too-many-streams' | 'token-expired' | 'access-revoked';

/**
 * Why a stream tells its client to reload what it shows (`event: reset`): its `Last-Event-ID`
 * is unknown, or more has happened since than a catch-up sends.
 */
export type StreamResetReason = 'unknown-last-event-id' | 'too-far-behind';

export const STREAM_CLOSED_DETAIL: Record<StreamClosedReason, string> = {
  'too-many-streams': 'You opened another live stream; only the newest few are kept. Do not reconnect this one.',
  'token-expired': 'The access token has expired; reconnect with a fresh one.',
  'access-revoked': 'The access token no longer stands',
};

/** The reconnection delay (`retry:`) sent to a stream closed for being one too many. */
export const DO_NOT_RETRY_MS = 3_600_000;

/** One server-sent event, as written on the wire. */
export function serverSentEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Who holds a stream: what the hub needs of a caller (an `@desk/auth` Caller fits). */
export interface StreamHolder {
  id: string;
  expiresAt: Date;
}

/** One open stream and what its service keeps about it (`state`). */
export interface LiveStream<C extends StreamHolder, S> {
  readonly caller: C;
  readonly state: S;
  readonly response: Response;
  /** Work for this stream, one piece after another: a catch-up, then what was announced meanwhile. */
  queue: Promise<void>;
  expiry: NodeJS.Timeout | undefined;
  ended: boolean;
}

export interface LiveStreamHubOptions<C extends StreamHolder> {
  /** A name for logs and the listening connection's application_name, e.g. `notification-service stream`. */
  name: string;
  databaseUrl: string;
  /** The Postgres NOTIFY channel whose announcements reach `onAnnounced`. */
  channel: string;
  logger: Logger;
  heartbeatMs: number;
  /** The check `authenticate` runs on every request, run again for open streams (deactivation, role change). */
  check: (caller: C) => Promise<string | undefined>;
  /** How often `check` is run again for every open stream. */
  checkIntervalMs: number;
  /** Streams one caller may hold open; one more closes the oldest. */
  maxPerCaller: number;
  /** An announcement on `channel` (its payload). */
  onAnnounced: (payload: string) => void;
  /** The listener is back after a loss: announcements made meanwhile were missed; catch up. */
  onListenerRestored: () => void;
}

/**
 * The machinery every live stream of the platform shares: server-sent events to callers, fed by
 * Postgres LISTEN on a dedicated connection (NOTIFY is delivered on commit only, to every replica,
 * so a stream hears of what any replica committed and never of what rolled back). The listening
 * connection reconnects by itself with backoff and says so (`onListenerRestored`), so its owner
 * can catch up. Heartbeats keep proxies from timing streams out. A stream lasts no longer than
 * its token, nor than the account check that admitted it (re-run every `checkIntervalMs`), and a
 * caller holds at most `maxPerCaller`; each end is told why (`event: closed`).
 *
 * What a stream sends, and to whom, is its owner's: the hub only registers, queues and writes.
 */
export class LiveStreamHub<C extends StreamHolder, S> {
  private readonly streams = new Map<string, Set<LiveStream<C, S>>>();
  private client: pg.Client | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private rechecking = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private listening = false;

  constructor(private readonly options: LiveStreamHubOptions<C>) {}

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

  /** Whether announcements reach the streams now (for /health). */
  get isListening(): boolean {
    return this.listening;
  }

  get openStreams(): number {
    let count = 0;
    for (const streams of this.streams.values()) count += streams.size;
    return count;
  }

  /** Open streams of one caller (for tests and metrics). */
  openStreamsOf(callerId: string): number {
    return this.streams.get(callerId)?.size ?? 0;
  }

  /** Every open stream. */
  *all(): Generator<LiveStream<C, S>> {
    for (const streams of this.streams.values()) yield* streams;
  }

  /** The open streams of one caller. */
  streamsOf(callerId: string): Iterable<LiveStream<C, S>> {
    return this.streams.get(callerId) ?? [];
  }

  private async listen(attempt = 0): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: this.options.name });
    const retry = (error: unknown) => {
      this.listening = false;
      if (this.client === client) this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopped) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      this.options.logger.warn({ err: error, retryInMs: delay, stream: this.options.name }, 'a live stream lost its database listener; reconnecting');
      this.reconnectTimer = setTimeout(() => void this.listen(attempt + 1), delay);
      this.reconnectTimer.unref();
    };
    try {
      await client.connect();
      client.on('notification', (message) => {
        if (message.channel === this.options.channel) this.options.onAnnounced(message.payload ?? '');
      });
      client.on('error', retry);
      client.on('end', () => retry(new Error('connection ended')));
      await client.query(`listen ${pg.escapeIdentifier(this.options.channel)}`);
      this.client = client;
      this.listening = true;
      // Anything committed while no one listened reaches the streams now.
      if (attempt > 0) this.options.onListenerRestored();
      attempt = 0;
    } catch (error) {
      retry(error);
    }
  }

  /**
   * Starts serving one stream: headers, the reconnection delay, registration (before anything is
   * awaited: a client gone meanwhile must not stay registered, and what is announced from now on
   * reaches it), the per-caller cap and the token's expiry. The owner then enqueues where the
   * stream starts.
   */
  open(caller: C, response: Response, state: S): LiveStream<C, S> {
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();
    response.write('retry: 3000\n: connected\n\n');

    const stream: LiveStream<C, S> = { caller, state, response, queue: Promise.resolve(), expiry: undefined, ended: false };
    let streams = this.streams.get(caller.id);
    if (!streams) this.streams.set(caller.id, (streams = new Set()));
    // The oldest give way: one caller's tabs and scripts cannot hold connections without bound.
    for (const oldest of streams) {
      if (streams.size < this.options.maxPerCaller) break;
      this.close(oldest, 'too-many-streams');
    }
    streams.add(stream);
    response.on('close', () => this.forget(stream));
    const expiresInMs = caller.expiresAt.getTime() - Date.now();
    stream.expiry = setTimeout(() => this.close(stream, 'token-expired'), Math.min(Math.max(0, expiresInMs), 2 ** 31 - 1));
    stream.expiry.unref();
    return stream;
  }

  /** Queues work for one stream; a failure is logged and the stream goes on. */
  enqueue(stream: LiveStream<C, S>, work: () => Promise<void> | void): void {
    stream.queue = stream.queue
      .then(() => (stream.ended ? undefined : work()))
      .catch((error: unknown) => this.options.logger.warn({ err: error, callerId: stream.caller.id, stream: this.options.name }, 'could not push to a live stream'));
  }

  /** Writes one event, unless the stream has ended; returns whether it was written. */
  send(stream: LiveStream<C, S>, event: string, data: unknown, id?: string): boolean {
    if (stream.ended || stream.response.writableEnded) return false;
    stream.response.write(serverSentEvent(event, data, id));
    return true;
  }

  /** Tells the client to reload what it shows; the stream goes on. */
  reset(stream: LiveStream<C, S>, reason: StreamResetReason, detail: string): void {
    this.send(stream, 'reset', { reason, detail });
  }

  /** Tells the client why, then ends the stream. */
  close(stream: LiveStream<C, S>, reason: StreamClosedReason, why?: string): void {
    if (stream.ended) return;
    if (!stream.response.writableEnded) {
      // A plain EventSource reconnects by itself; told to wait an hour, it stops shoving newer streams out.
      if (reason === 'too-many-streams') stream.response.write(`retry: ${DO_NOT_RETRY_MS}\n`);
      const detail = why ? `${STREAM_CLOSED_DETAIL[reason]}: ${why}.` : STREAM_CLOSED_DETAIL[reason];
      stream.response.write(serverSentEvent('closed', { reason, detail }));
      stream.response.end();
    }
    this.forget(stream);
  }

  private forget(stream: LiveStream<C, S>): void {
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

/**
 * Remembers the ids a stream has sent, at most `limit`, so an event announced twice (a live
 * announcement and a catch-up after a listener loss) is sent once.
 */
export class SentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit = 500) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value!);
  }
}

/**
 * A live stream needs its database listener: without it nothing new would arrive. The API serves
 * without it (everything is read from the database), so it is reported, never unready.
 */
export function liveStreamHealthCheck(name: string, streams: { isListening: boolean; openStreams: number }, what: string): HealthCheck {
  return {
    name,
    role: 'detail',
    check: () => {
      if (!streams.isListening) return Promise.reject(new Error(`not listening for ${what}; reconnecting`));
      return Promise.resolve({ openStreams: streams.openStreams });
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { Caller, CallerCheck } from '@desk/auth';
import { DO_NOT_RETRY_MS, serverSentEvent, STREAM_CLOSED_DETAIL, type StreamClosedReason } from '@desk/platform';
import type { Response } from 'express';
import type { Logger } from 'pino';

/**
 * GET paths that answer server-sent events: proxied on an upstream pool of their own, and held
 * to the stream limits (opens per minute, streams per caller, expiry, account re-checks).
 */
export const EVENT_STREAM_PATHS = new Set(['/notifications/stream', '/incidents/stream']);

function streamPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export function isEventStreamRequest(method: string, path: string): boolean {
  return method === 'GET' && EVENT_STREAM_PATHS.has(streamPath(path));
}

/** Why the gateway ended a stream: the same names and `event: closed` as the services' (@desk/platform). */
export type { StreamClosedReason } from '@desk/platform';

interface HeldStream {
  key: string;
  caller: Caller;
  upstream: IncomingMessage;
  response: Response;
  /** Whether the bytes passed on so far end between two events, where one more may be written. */
  atBoundary: boolean;
  expiry: NodeJS.Timeout;
  ended: boolean;
}

export interface EventStreamSupervisorOptions {
  /** The check `authenticate` runs (accountCheck): run again for every stream held open. */
  check: CallerCheck;
  checkIntervalMs: number;
  maxPerCaller: number;
  logger: Logger;
}

/**
 * The event streams the gateway holds open for its callers. The service behind a stream checks
 * its caller too, but the gateway does not rely on it: a stream it holds ends when the token
 * expires, when the gateway's own account check (the one every request meets) refuses the
 * caller — re-run every `checkIntervalMs` — and when the caller opens more than `maxPerCaller`
 * (the oldest goes). Each is told why in an `event: closed` before the connection ends.
 */
export class EventStreamSupervisor {
  private readonly byCaller = new Map<string, Set<HeldStream>>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(private readonly options: EventStreamSupervisorOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.recheck(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Streams held open now, of one caller (on every path) or of all. */
  count(callerId?: string): number {
    let total = 0;
    for (const streams of this.byCaller.values()) {
      for (const held of streams) if (callerId === undefined || held.caller.id === callerId) total += 1;
    }
    return total;
  }

  /**
   * Takes charge of an event stream the proxy has started passing on. The cap counts per stream
   * path: a portal tab follows several (notifications, incident changes), and opening one must not
   * push the caller's other kind out.
   */
  hold(caller: Caller, upstream: IncomingMessage, response: Response, path = ''): void {
    const key = `${caller.kind}:${caller.id}:${streamPath(path)}`;
    let streams = this.byCaller.get(key);
    if (!streams) this.byCaller.set(key, (streams = new Set()));
    for (const oldest of streams) {
      if (streams.size < this.options.maxPerCaller) break;
      this.close(oldest, 'too-many-streams');
    }
    const expiresInMs = Math.min(Math.max(0, caller.expiresAt.getTime() - Date.now()), 2 ** 31 - 1);
    const held: HeldStream = { key, caller, upstream, response, atBoundary: true, expiry: setTimeout(() => this.close(held, 'token-expired'), expiresInMs), ended: false };
    held.expiry.unref();
    streams.add(held);
    upstream.on('data', (chunk: Buffer) => {
      held.atBoundary = chunk.length >= 2 ? chunk.subarray(-2).toString() === '\n\n' : held.atBoundary && chunk.toString() === '\n';
    });
    const forget = () => {
      held.ended = true;
      this.forget(held);
    };
    response.once('close', forget);
    upstream.once('close', forget);
  }

  private forget(held: HeldStream): void {
    clearTimeout(held.expiry);
    const streams = this.byCaller.get(held.key);
    streams?.delete(held);
    if (streams?.size === 0) this.byCaller.delete(held.key);
  }

  private close(held: HeldStream, reason: StreamClosedReason, why?: string): void {
    if (held.ended) return;
    held.ended = true;
    this.forget(held);
    const { upstream, response } = held;
    upstream.unpipe(response);
    // Only between two events: a half-written one would reach the client cut short.
    if (held.atBoundary && !response.writableEnded) {
      // A plain EventSource reconnects by itself; told to wait an hour, it stops shoving newer streams out.
      const retry = reason === 'too-many-streams' ? `retry: ${DO_NOT_RETRY_MS}\n` : '';
      response.write(`${retry}${serverSentEvent('closed', { reason, detail: why ? `${STREAM_CLOSED_DETAIL[reason]}: ${why}.` : STREAM_CLOSED_DETAIL[reason] })}`);
    }
    response.end();
    upstream.destroy();
    this.options.logger.info({ callerId: held.caller.id, reason }, 'ended a live event stream');
  }

  private async recheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const streams of [...this.byCaller.values()]) {
        for (const held of [...streams]) {
          const refused = await this.options.check(held.caller).catch((error: unknown) => {
            this.options.logger.warn({ err: error }, 'could not re-check the caller of a live stream; keeping it until the next round');
            return undefined;
          });
          if (refused) this.close(held, 'access-revoked', refused);
        }
      }
    } finally {
      this.checking = false;
    }
  }
}

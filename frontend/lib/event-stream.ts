import { ApiError, type ApiClient } from './api-client';
import { parseServerSentEvents, type ServerSentEvent } from './sse';

/** Why the server ended a stream (`event: closed`): whether following it again makes sense. */
export type ClosedReason = 'too-many-streams' | 'token-expired' | 'access-revoked';

/** Where a followed stream stands, for an indicator: connecting, open, or waiting to try again. */
export type StreamState = 'connecting' | 'open' | 'waiting' | 'stopped';

export interface FollowOptions {
  /** Every event but `closed` (which the loop handles), in order. */
  onEvent: (event: ServerSentEvent) => void;
  /**
   * The stream is open (again). `resumed` is false on the first connection and whenever the
   * server could not be asked to resume (no event seen yet): a client refreshes what it shows then,
   * as changes made while it was away may not be sent.
   */
  onOpen?: (resumed: boolean) => void;
  onState?: (state: StreamState) => void;
  signal: AbortSignal;
}

const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/**
 * Follows a server-sent event stream of the platform until `signal` aborts. EventSource cannot
 * send an Authorization header, so the stream is read with fetch; it reconnects with backoff
 * (longer when the gateway says so with `Retry-After` on a 429 or 503) and resumes after the last
 * event it saw (`Last-Event-ID`). `event: closed` says whether to come back: at once with a fresh
 * token when the token expired, never when newer streams of this person took its place or their
 * access changed (the next request signs them out). A 401 ends it too: the shell signs them out.
 */
export async function followEventStream(api: ApiClient, path: string, options: FollowOptions): Promise<void> {
  const { signal } = options;
  let lastEventId: string | undefined;
  let delay = FIRST_DELAY_MS;
  const state = (next: StreamState) => options.onState?.(next);

  while (!signal.aborted) {
    let wait = delay;
    try {
      state('connecting');
      const response = await api.send(path, {
        headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
        signal,
      });
      delay = FIRST_DELAY_MS;
      state('open');
      options.onOpen?.(lastEventId !== undefined);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let closed: ClosedReason | undefined;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const parsed = parseServerSentEvents(buffer + value);
        buffer = parsed.rest;
        for (const event of parsed.events) {
          if (event.id) lastEventId = event.id;
          if (event.event === 'reset') lastEventId = undefined;
          if (event.event === 'closed') closed = closedReason(event.data);
          else options.onEvent(event);
        }
      }
      if (closed === 'too-many-streams' || closed === 'access-revoked') {
        state('stopped');
        return;
      }
      // An expired token: the next request refreshes it, so reconnect at once.
      if (closed === 'token-expired') continue;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && error.status === 401) {
        state('stopped');
        return;
      }
      // Too many opens, or the service is away: wait at least as long as the gateway asks.
      if (error instanceof ApiError && (error.status === 429 || error.status === 503) && error.retryAfterSeconds) {
        wait = Math.max(wait, Math.min(error.retryAfterSeconds * 1000, 10 * MAX_DELAY_MS));
      }
    }
    if (signal.aborted) return;
    state('waiting');
    await sleep(wait, signal);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

function closedReason(data: string): ClosedReason | undefined {
  try {
    return (JSON.parse(data) as { reason?: ClosedReason }).reason;
  } catch {
    return undefined;
  }
}

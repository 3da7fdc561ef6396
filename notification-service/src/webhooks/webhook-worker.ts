import http from 'node:http';
import https from 'node:https';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromHeaders } from '@desk/messaging';
import { SERVICE_ATTRIBUTE, runInContext } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { ClaimLoop } from '../claim-loop.js';
import { SERVICE_NAME } from '../config.js';
import { type AddressGuard, BlockedAddressError } from './address-guard.js';
import { recordDisabledMail } from './disabled-mail.js';
import { signedHeaders } from './signing.js';

const tracer = trace.getTracer('@desk/notification-service');

/** Response bytes kept for the delivery log. */
const EXCERPT_BYTES = 1024;
export const WEBHOOK_USER_AGENT = 'IncidentDesk-Webhooks/1.0 (+https://www.standardwebhooks.com)';

interface ClaimedRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  attempts: number;
  traceparent: string | null;
  retry_until: Date;
  url: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

/** What one attempt came to. */
export interface AttemptOutcome {
  ok: boolean;
  remoteAddress: string | null;
  responseStatus: number | null;
  durationMs: number;
  responseBodyExcerpt: string | null;
  error: string | null;
}

export interface WebhookWorkerOptions {
  db: Knex;
  logger: Logger;
  guard: AddressGuard;
  timeoutMs: number;
  concurrency: number;
  perEndpoint: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  disableAfterMs: number;
  disableFailures: number;
  pollIntervalMs: number;
  publicAppUrl: string;
  mailFrom: string;
  /** Mail was recorded (an endpoint was disabled and its owner is told). */
  onMailRecorded(): void;
}

/**
 * Sends webhook deliveries: each due delivery is claimed (`SENDING`, with a lease) by one sender
 * across all replicas (`FOR UPDATE SKIP LOCKED`), POSTed with its Standard Webhooks signature,
 * and its outcome recorded with the attempt's log row in one transaction. At most
 * `perEndpoint` deliveries to one endpoint are in flight in a replica, so a slow or hanging
 * receiver holds only its own share of the senders. A failed attempt is retried with
 * exponential backoff and jitter until the delivery's retry window ends; an endpoint whose
 * every attempt failed for long enough is disabled and its owner told by mail.
 *
 * A delivery is sent at least once: a sender that dies between the receiver's answer and the
 * record sends it again when its lease ends, with the same `webhook-id`, which receivers use
 * to ignore repeats (as the specification asks of them).
 */
export class WebhookWorker {
  private readonly loop: ClaimLoop<ClaimedRow>;
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  private readonly sends = new Set<Promise<void>>();
  private readonly leaseMs: number;
  private readonly agents: { http: http.Agent; https: https.Agent };
  /** Deliveries the receivers took, waiting to be recorded together. */
  private successes: { items: { row: ClaimedRow; headers: Record<string, string>; outcome: AttemptOutcome }[]; done: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  private flushing: Promise<void> | undefined;

  constructor(private readonly options: WebhookWorkerOptions) {
    this.leaseMs = options.timeoutMs + 60_000;
    // Kept-alive connections; every new socket goes through the guard's lookup. Sockets are not
    // capped per host here (the per-endpoint cap is the claim's): endpoints on one host must not
    // queue behind each other's hanging requests. An idle socket is let go after 4 s, or a second
    // before the `Keep-Alive: timeout` an endpoint announces (Node reads it only when the agent has
    // a timeout): under the 5 s many servers keep one, so no delivery is sent on a connection the
    // endpoint is closing (a reset, and a retry the endpoint did not need).
    const agentOptions = { keepAlive: true, timeout: 4_000, maxSockets: options.concurrency, lookup: options.guard.lookup } as http.AgentOptions;
    this.agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
    this.loop = new ClaimLoop({
      pollIntervalMs: options.pollIntervalMs,
      pokeDelayMs: 5,
      free: () => this.options.concurrency - this.total,
      claim: (limit) => this.claim(limit),
      launch: (row) => this.launch(row),
      onPoll: () => void this.releaseExpiredLeases(),
      onClaimError: (error) => this.options.logger.warn({ err: error }, 'could not claim webhook deliveries; will try again'),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Looks for deliveries to send (after an event recorded some, or on the timer). */
  poke(): void {
    this.loop.poke();
  }

  async stop(): Promise<void> {
    this.loop.stop();
    while (this.loop.isClaiming || this.sends.size > 0) await Promise.race([...this.sends, new Promise((resolve) => setTimeout(resolve, 20))]);
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async releaseExpiredLeases(): Promise<void> {
    try {
      await this.options.db('webhook_deliveries').where('status', 'SENDING').andWhere('lease_until', '<', this.options.db.fn.now()).update({ status: 'PENDING', lease_until: null });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not release webhook deliveries whose sender stopped; will try again');
    }
  }

  /**
   * Claims up to `limit` due deliveries, at most as many per endpoint as it has free senders
   * here; each endpoint's due deliveries oldest first, read by its own index range.
   */
  private async claim(limit: number): Promise<ClaimedRow[]> {
    const busy = [...this.inFlight.entries()];
    const { rows } = await this.options.db.raw<{ rows: ClaimedRow[] }>(
      `update webhook_deliveries d
          set status = 'SENDING', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => ?)
         from (select picked.id, w.url, w.secret, w.previous_secret, w.previous_secret_expires_at
                 from webhooks w
                 cross join lateral (
                   select x.id from webhook_deliveries x
                    where x.webhook_id = w.id and x.status = 'PENDING' and x.next_attempt_at <= now()
                    order by x.next_attempt_at
                    limit greatest(0, ? - coalesce((select b.n from unnest(?::uuid[], ?::int[]) as b(id, n) where b.id = w.id), 0))
                    for update of x skip locked) picked
                where w.status = 'ACTIVE'
                limit ?) due
        where d.id = due.id
        returning d.id, d.webhook_id, d.event_id, d.event_type, d.payload, d.attempts, d.traceparent, d.retry_until,
                  due.url, due.secret, due.previous_secret, due.previous_secret_expires_at`,
      [this.leaseMs / 1000, this.options.perEndpoint, busy.map(([id]) => id), busy.map(([, n]) => n), limit],
    );
    return rows;
  }

  private launch(row: ClaimedRow): void {
    this.total += 1;
    this.inFlight.set(row.webhook_id, (this.inFlight.get(row.webhook_id) ?? 0) + 1);
    // The sender's slot (and the endpoint's share) is freed once the receiver answered: the
    // record that follows is the database's work, and waiting for it would idle the senders.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.inFlight.get(row.webhook_id) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(row.webhook_id);
      else this.inFlight.set(row.webhook_id, left);
      this.poke();
    };
    const sending = this.send(row, release)
      .catch((error: unknown) => this.options.logger.error({ err: error, deliveryId: row.id }, 'could not record the outcome of a webhook delivery; it is sent again when its lease ends'))
      .finally(() => {
        release();
        this.sends.delete(sending);
      });
    this.sends.add(sending);
  }

  /** One attempt, as a span in the trace of the request that caused the event. */
  private async send(row: ClaimedRow, release: () => void): Promise<void> {
    const parent = row.traceparent ? contextFromHeaders({ traceparent: row.traceparent }) : context.active();
    const traceId = row.traceparent?.split('-')[1];
    await runInContext({ eventId: row.event_id, ...(traceId ? { traceId } : {}) }, () =>
      tracer.startActiveSpan(
        'webhook deliver',
        {
          kind: SpanKind.CLIENT,
          attributes: { [SERVICE_ATTRIBUTE]: SERVICE_NAME, 'desk.webhook.id': row.webhook_id, 'desk.webhook.delivery.id': row.id, 'desk.webhook.delivery.attempt': row.attempts, 'desk.event.type': row.event_type },
        },
        parent,
        async (span) => {
          const secrets = [row.secret];
          if (row.previous_secret && row.previous_secret_expires_at && row.previous_secret_expires_at.getTime() > Date.now()) secrets.push(row.previous_secret);
          const headers = {
            'content-type': 'application/json',
            'user-agent': WEBHOOK_USER_AGENT,
            ...signedHeaders(secrets, row.event_id, Math.floor(Date.now() / 1000), row.payload),
          };
          const outcome = await this.post(row.url, headers, row.payload);
          release();
          if (outcome.responseStatus !== null) span.setAttribute('http.response.status_code', outcome.responseStatus);
          if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error ?? 'failed' });
          span.end();
          await (outcome.ok ? this.recordSuccess(row, headers, outcome) : this.record(row, headers, outcome));
        },
      ),
    );
  }

  /** POSTs one delivery; never throws: every way it can go is an outcome for the log. */
  async post(target: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome> {
    const startedAt = performance.now();
    const elapsed = () => Math.round(performance.now() - startedAt);
    const url = new URL(target);
    const refusal = this.options.guard.urlRefusal(url);
    if (refusal) return { ok: false, remoteAddress: null, responseStatus: null, durationMs: 0, responseBodyExcerpt: null, error: `refused before connecting: ${refusal}` };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<AttemptOutcome>((resolve) => {
      let remoteAddress: string | null = null;
      let settled = false;
      const finish = (outcome: Omit<AttemptOutcome, 'durationMs' | 'remoteAddress'>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ...outcome, remoteAddress, durationMs: elapsed() });
      };
      const request = client.request(url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: url.protocol === 'https:' ? this.agents.https : this.agents.http,
        lookup: this.options.guard.lookup,
      } as http.RequestOptions);
      const timer = setTimeout(() => {
        request.destroy();
        finish({ ok: false, responseStatus: null, responseBodyExcerpt: null, error: `no answer within ${this.options.timeoutMs} ms` });
      }, this.options.timeoutMs);
      request.on('socket', (socket) => {
        const remember = () => {
          remoteAddress = socket.remoteAddress ?? remoteAddress;
        };
        if (socket.remoteAddress) remember();
        else socket.once('connect', remember);
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        const reason = error instanceof BlockedAddressError ? `refused before connecting: ${error.message}` : [error.code, error.message].filter(Boolean).join(' ');
        finish({ ok: false, responseStatus: null, responseBodyExcerpt: null, error: reason });
      });
      request.on('response', (response) => {
        remoteAddress = response.socket.remoteAddress ?? remoteAddress;
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const status = response.statusCode ?? 0;
          const excerpt = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
          const ok = status >= 200 && status < 300;
          const error = ok
            ? null
            : status >= 300 && status < 400
              ? `answered ${status}${response.headers.location ? ` (to ${String(response.headers.location).slice(0, 300)})` : ''}: redirects are not followed; register the final URL`
              : `answered ${status}`;
          finish({ ok, responseStatus: status, responseBodyExcerpt: excerpt, error });
        };
        response.on('data', (chunk: Buffer) => {
          if (kept < EXCERPT_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
          // Enough of the body for the log: the rest is not read (the socket is not reused then).
          if (kept >= EXCERPT_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      });
      request.end(body);
    });
  }

  /**
   * A delivery the receiver took: marked SUCCEEDED with its attempt logged, together with the
   * others that succeeded meanwhile, in one statement (at 100 events a second, one transaction
   * of several statements per delivery kept the senders waiting on the database). Resolves
   * once this delivery's record committed.
   */
  private recordSuccess(row: ClaimedRow, headers: Record<string, string>, outcome: AttemptOutcome): Promise<void> {
    if (!this.successes) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.successes = { items: [], done, resolve, reject };
      if (!this.flushing) this.flushing = this.flushSuccesses();
    }
    this.successes.items.push({ row, headers, outcome });
    return this.successes.done;
  }

  private async flushSuccesses(): Promise<void> {
    // Let the deliveries that succeed in the next few milliseconds join the batch.
    await new Promise((resolve) => setTimeout(resolve, 10));
    while (this.successes) {
      const batch = this.successes;
      this.successes = undefined;
      const items = batch.items;
      try {
        await this.options.db.raw(
          `with done as (
             select * from unnest(?::uuid[], ?::int[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[])
               as t(id, attempt, url, headers, remote, status, duration, excerpt)),
           marked as (
             update webhook_deliveries d
                set status = 'SUCCEEDED', delivered_at = now(), lease_until = null, next_attempt_at = null, last_error = null
               from done
              where d.id = any(?::uuid[]) and d.id = done.id and d.attempts = done.attempt and d.status = 'SENDING'
             returning d.webhook_id),
           logged as (
             insert into webhook_attempts (delivery_id, attempt, request_url, request_headers, remote_address, response_status, duration_ms, response_excerpt, error)
             select done.id, done.attempt, done.url, done.headers::jsonb, done.remote, done.status, done.duration, done.excerpt, null
               from done where exists (select 1 from webhook_deliveries x where x.id = done.id)
             on conflict (delivery_id, attempt) do nothing)
           update webhooks w set failing_since = null, consecutive_failures = 0
            where w.id in (select webhook_id from marked) and w.failing_since is not null`,
          [
            items.map((item) => item.row.id),
            items.map((item) => item.row.attempts),
            items.map((item) => item.row.url),
            items.map((item) => JSON.stringify(item.headers)),
            items.map((item) => item.outcome.remoteAddress),
            items.map((item) => item.outcome.responseStatus),
            items.map((item) => item.outcome.durationMs),
            items.map((item) => item.outcome.responseBodyExcerpt?.replaceAll('\u0000', '') ?? null),
            items.map((item) => item.row.id),
          ] as Knex.RawBinding[],
        );
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.flushing = undefined;
  }

  /**
   * A failed attempt: its log row and the delivery's new state in one transaction, with the endpoint's
   * failure streak; an endpoint failing for too long is disabled and its owner told, in the same
   * transaction. Applies only while this sender's claim holds.
   */
  private async record(row: ClaimedRow, headers: Record<string, string>, outcome: AttemptOutcome): Promise<void> {
    const { db, logger } = this.options;
    const next = this.nextAttempt(row);
    let ownerTold = false;
    await db.transaction(async (trx) => {
      // Logged unless the endpoint (and with it the delivery) was deleted meanwhile.
      const { rowCount } = await trx.raw<{ rowCount: number }>(
        `insert into webhook_attempts (delivery_id, attempt, request_url, request_headers, remote_address, response_status, duration_ms, response_excerpt, error)
         select id, ?, ?, ?::jsonb, ?, ?, ?, ?, ? from webhook_deliveries where id = ?
         on conflict (delivery_id, attempt) do nothing`,
        [
          row.attempts,
          row.url,
          JSON.stringify(headers),
          outcome.remoteAddress,
          outcome.responseStatus,
          outcome.durationMs,
          outcome.responseBodyExcerpt?.replaceAll('\u0000', '') ?? null,
          outcome.error,
          row.id,
        ],
      );
      if (rowCount === 0) return;
      const claimed = trx('webhook_deliveries').where({ id: row.id, attempts: row.attempts, status: 'SENDING' });
      if (next) await claimed.update({ status: 'PENDING', lease_until: null, next_attempt_at: next, last_error: outcome.error });
      else await claimed.update({ status: 'FAILED', lease_until: null, next_attempt_at: null, last_error: `gave up after ${row.attempts} attempts: ${outcome.error ?? 'failed'}` });
      const [streak] = (await trx('webhooks')
        .where({ id: row.webhook_id })
        .update({ failing_since: trx.raw('coalesce(failing_since, now())'), consecutive_failures: trx.raw('consecutive_failures + 1') })
        .returning<{ status: string; failing_since: Date; consecutive_failures: number }[]>(['status', 'failing_since', 'consecutive_failures']));
      if (
        streak &&
        streak.status === 'ACTIVE' &&
        streak.consecutive_failures >= this.options.disableFailures &&
        Date.now() - streak.failing_since.getTime() >= this.options.disableAfterMs
      ) {
        const hours = Math.max(1, Math.round((Date.now() - streak.failing_since.getTime()) / 3600_000));
        const reason = `Every attempt failed for ${hours} hour${hours === 1 ? '' : 's'} (${streak.consecutive_failures} in a row); the last: ${outcome.error ?? 'failed'}`;
        const [disabled] = (await trx('webhooks')
          .where({ id: row.webhook_id, status: 'ACTIVE' })
          .update({ status: 'DISABLED', disabled_reason: reason, disabled_at: trx.fn.now(), updated_at: trx.fn.now() })
          .returning<{ id: string; url: string; created_by: string }[]>(['id', 'url', 'created_by']));
        if (disabled) {
          ownerTold = await recordDisabledMail(trx, {
            webhookId: disabled.id,
            url: disabled.url,
            ownerId: disabled.created_by,
            failingForMs: hours * 3600_000,
            consecutiveFailures: streak.consecutive_failures,
            lastError: outcome.error ?? 'failed',
            publicAppUrl: this.options.publicAppUrl,
            mailFrom: this.options.mailFrom,
          });
          logger.warn({ webhookId: disabled.id, failures: streak.consecutive_failures }, 'webhook endpoint disabled after failing for too long; its owner is told');
        }
      }
    });
    logger.info({ deliveryId: row.id, webhookId: row.webhook_id, attempt: row.attempts, error: outcome.error, retryAt: next?.toISOString() ?? null }, next ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good');
    if (ownerTold) this.options.onMailRecorded();
  }

  /** When to try again (exponential backoff with ±20 % jitter), or undefined when the retry window is over. */
  private nextAttempt(row: ClaimedRow): Date | undefined {
    const now = Date.now();
    if (now >= row.retry_until.getTime()) return undefined;
    const delayMs = Math.round(backoffDelay(row.attempts, this.options.retryDelayMs, this.options.retryMaxDelayMs) * (0.8 + Math.random() * 0.4));
    // The last try lands at the window's end rather than past it.
    return new Date(Math.min(now + delayMs, row.retry_until.getTime()));
  }
}

/** Deletes finished deliveries (and their attempt logs) older than the retention; waiting ones stay. */
export async function pruneWebhookDeliveries(db: Knex, olderThanDays = 30): Promise<number> {
  return db('webhook_deliveries')
    .whereIn('status', ['SUCCEEDED', 'FAILED'])
    .andWhere('created_at', '<', db.raw('now() - make_interval(days => ?)', [olderThanDays]))
    .delete();
}

/** The wait after the `attempt`-th failed attempt, before jitter: `base` doubling, up to `max`. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(30, attempt - 1));
}

/**
 * The waits between the attempts of a delivery that always fails, before jitter: the schedule
 * the worker follows, ending with the last try at the end of the retry window.
 */
export function retryDelays({ retryDelayMs, retryMaxDelayMs, windowMs }: { retryDelayMs: number; retryMaxDelayMs: number; windowMs: number }): number[] {
  const delays: number[] = [];
  let elapsed = 0;
  for (let attempt = 1; elapsed < windowMs; attempt++) {
    const delay = Math.min(backoffDelay(attempt, retryDelayMs, retryMaxDelayMs), windowMs - elapsed);
    delays.push(delay);
    elapsed += delay;
  }
  return delays;
}

import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { contextFromHeaders } from '@desk/messaging';
import { SERVICE_ATTRIBUTE, runInContext } from '@desk/platform';
import type { Knex } from 'knex';
import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { ClaimLoop } from '../claim-loop.js';
import { SERVICE_NAME } from '../config.js';

const tracer = trace.getTracer('@desk/notification-service');

/** A claim on a mail: the row, and the attempt that claimed it (each claim counts one up). */
interface Claim {
  id: string;
  attempts: number;
}

/** The mark after an accepted mail is retried this often, at most, until it lands. */
const MARK_RETRY_MAX_MS = 5_000;

interface DeliveryRow {
  id: string;
  event_id: string;
  incident_key: string | null;
  user_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  message_id: string;
  in_reply_to: string | null;
  traceparent: string | null;
  attempts: number;
}

export interface DeliveryWorkerOptions {
  db: Knex;
  logger: Logger;
  transport: Transporter;
  from: string;
  /** Where replies go, when not to `from` (the desk's inbound address behind a no-reply sender). */
  replyTo?: string | undefined;
  maxAttempts: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  /** Mails in flight at once. */
  concurrency: number;
  pollIntervalMs: number;
  /** A claimed mail not reported sent or failed by then (its sender died) is claimed again. */
  leaseMs?: number;
  /**
   * How long a poke waits for more, so that mail recorded close together is claimed in one
   * statement; also how long an accepted mail waits for others to be marked SENT with (20 ms).
   */
  pokeDelayMs?: number;
}

/** An SMTP reply in the 5xx range: the server will not take this mail, retrying does not help. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

const describe = (error: unknown) => {
  const { message, code, responseCode } = error as { message?: string; code?: string; responseCode?: number };
  return [responseCode ?? code, message ?? String(error)].filter(Boolean).join(' ').slice(0, 1000);
};

/**
 * Sends the mail the event handlers recorded. Each mail is claimed (`SENDING`, with a lease)
 * by one sender across all replicas (`FOR UPDATE SKIP LOCKED`), sent over a pooled SMTP
 * connection, then marked `SENT`; an SMTP server that is down or answers 4xx is retried with
 * exponential backoff until `maxAttempts`, a 5xx is final. Either way the outcome is `FAILED`
 * with the reason, for admins to see. Due mails are claimed several at a time in one statement,
 * and mails accepted close together are marked `SENT` together in one statement. A mail is sent
 * at most once unless this process dies between the server's acceptance and the `SENT` mark
 * (then once more when its lease ends, with the same Message-ID, which mail systems use to drop
 * duplicates).
 */
export class DeliveryWorker {
  private inFlight = 0;
  private readonly sends = new Set<Promise<void>>();
  private readonly leaseMs: number;
  private readonly loop: ClaimLoop<DeliveryRow>;
  private readonly pokeDelayMs: number;
  /** Mails the server accepted, waiting to be marked SENT together in one statement. */
  private sentBatch: { claims: Claim[]; done: Promise<void>; resolve: () => void; reject: (error: unknown) => void } | undefined;
  private marking: Promise<void> | undefined;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pokeDelayMs = options.pokeDelayMs ?? 20;
    this.loop = new ClaimLoop({
      pollIntervalMs: options.pollIntervalMs,
      pokeDelayMs: this.pokeDelayMs,
      free: () => this.options.concurrency - this.inFlight,
      claim: (limit) => this.claim(limit),
      launch: (row) => this.launch(row),
      onClaimError: (error) => this.options.logger.warn({ err: error }, 'could not claim mail to send; will try again'),
    });
  }

  start(): void {
    this.loop.start();
  }

  /**
   * Looks for mail to send (after an event recorded some, or on the timer). Pokes arriving
   * within a few milliseconds of each other lead to one claim.
   */
  poke(): void {
    this.loop.poke();
  }

  /** Stops claiming and waits for the mails in flight. */
  async stop(): Promise<void> {
    this.loop.stop();
    while (this.loop.isClaiming || this.sends.size > 0) await Promise.race([...this.sends, new Promise((resolve) => setTimeout(resolve, 20))]);
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const { rows } = await this.options.db.raw<{ rows: DeliveryRow[] }>(
      `update deliveries d
          set status = 'SENDING', attempts = d.attempts + 1, lease_until = now() + make_interval(secs => ?)
         from (select id from deliveries
                where (status = 'PENDING' and next_attempt_at <= now()) or (status = 'SENDING' and lease_until < now())
                order by next_attempt_at
                limit ? for update skip locked) due
        where d.id = due.id
        returning d.id, d.event_id, d.incident_key, d.user_id, d.to_address, d.subject, d.text_body, d.html_body,
                  d.message_id, d.in_reply_to, d.traceparent, d.attempts`,
      [this.leaseMs / 1000, limit],
    );
    return rows;
  }

  private launch(row: DeliveryRow): void {
    this.inFlight += 1;
    const sending = this.send(row)
      .catch((error: unknown) => this.options.logger.error({ err: error, deliveryId: row.id }, 'could not record the outcome of a mail'))
      .finally(() => {
        this.inFlight -= 1;
        this.sends.delete(sending);
        this.poke();
      });
    this.sends.add(sending);
  }

  /** One attempt, as a span in the trace of the request that caused the mail. */
  private async send(row: DeliveryRow): Promise<void> {
    const parent = row.traceparent ? contextFromHeaders({ traceparent: row.traceparent }) : context.active();
    const traceId = row.traceparent?.split('-')[1];
    await runInContext({ eventId: row.event_id, ...(traceId ? { traceId } : {}) }, () =>
      tracer.startActiveSpan(
        'smtp send',
        { kind: SpanKind.CLIENT, attributes: { [SERVICE_ATTRIBUTE]: SERVICE_NAME, 'desk.delivery.id': row.id, 'desk.delivery.attempt': row.attempts, ...(row.incident_key ? { 'desk.incident.key': row.incident_key } : {}) } },
        parent,
        async (span) => {
          const startedAt = performance.now();
          let accepted = false;
          try {
            await this.options.transport.sendMail({
              from: this.options.from,
              ...(this.options.replyTo && row.incident_key ? { replyTo: this.options.replyTo } : {}),
              to: row.to_address,
              subject: row.subject,
              text: row.text_body,
              html: row.html_body,
              messageId: row.message_id,
              ...(row.in_reply_to ? { inReplyTo: row.in_reply_to, references: [row.in_reply_to] } : {}),
              headers: {
                // RFC 3834: an automatic message; out-of-office replies should not answer it.
                'Auto-Submitted': 'auto-generated',
                'X-Auto-Response-Suppress': 'All',
                ...(row.incident_key ? { 'X-Incident-Key': row.incident_key } : {}),
                'X-Desk-Event-Id': row.event_id,
              },
            });
            accepted = true;
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
            await this.failed(row, error);
          } finally {
            span.end();
          }
          // The server has the mail: from here on it is only ever marked SENT, never sent again
          // by this process, however long the mark takes to land.
          if (accepted) {
            await this.markSentUntilDone(row);
            this.options.logger.info({ deliveryId: row.id, userId: row.user_id, attempt: row.attempts, durationMs: Math.round(performance.now() - startedAt) }, 'mail sent');
          }
        },
      ),
    );
  }

  /**
   * Marks an accepted mail SENT, retrying a failed mark (the database away, say) with backoff
   * until it lands. Only a stop gives up: the mail is then claimed again when its lease ends and
   * sent once more with the same Message-ID, the one duplicate left (docs/ARCHITECTURE.md).
   */
  private async markSentUntilDone(row: DeliveryRow): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.markSent({ id: row.id, attempts: row.attempts });
        return;
      } catch (error) {
        if (this.loop.isStopped) {
          this.options.logger.error({ err: error, deliveryId: row.id }, 'stopping before an accepted mail was marked SENT; it will be sent again, with the same Message-ID, when its lease ends');
          return;
        }
        const delayMs = Math.min(MARK_RETRY_MAX_MS, 100 * 2 ** (attempt - 1));
        this.options.logger.warn({ err: error, deliveryId: row.id, retryInMs: delayMs }, 'the mail server accepted a mail but it could not be marked SENT; marking again (it is not sent again)');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  /**
   * Marks a mail SENT together with the others accepted meanwhile: one statement while the
   * previous one runs collects the next batch. Resolves once this mail's mark committed. The
   * mark applies only while this process's claim holds (status SENDING, same attempt): a claim
   * taken over after its lease ended belongs to the sender that took it.
   */
  private markSent(claim: Claim): Promise<void> {
    if (!this.sentBatch) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.sentBatch = { claims: [], done, resolve, reject };
      if (!this.marking) this.marking = this.flushSent();
    }
    this.sentBatch.claims.push(claim);
    return this.sentBatch.done;
  }

  private async flushSent(): Promise<void> {
    // Let the mails accepted in the next few milliseconds join the batch: fewer statements, and
    // the latency that counts (until the server accepted the mail) is not affected.
    await new Promise((resolve) => setTimeout(resolve, this.pokeDelayMs));
    while (this.sentBatch) {
      const batch = this.sentBatch;
      this.sentBatch = undefined;
      try {
        await this.options.db.raw(
          // `id = any(…)` finds the rows by their key (joining the unnest instead lets the planner
          // scan the whole table, which grows with every mail); the pairs then check the claims.
          `update deliveries d set status = 'SENT', sent_at = now(), lease_until = null, next_attempt_at = null, last_error = null
            where d.id = any(?::uuid[]) and d.status = 'SENDING'
              and (d.id, d.attempts) in (select * from unnest(?::uuid[], ?::int[]))`,
          [batch.claims.map((claim) => claim.id), batch.claims.map((claim) => claim.id), batch.claims.map((claim) => claim.attempts)],
        );
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.marking = undefined;
  }

  /** The row while this process's claim on it holds. */
  private claimed(row: DeliveryRow) {
    return this.options.db('deliveries').where({ id: row.id, attempts: row.attempts, status: 'SENDING' });
  }

  private async failed(row: DeliveryRow, error: unknown): Promise<void> {
    const reason = describe(error);
    const final = isPermanent(error) || row.attempts >= this.options.maxAttempts;
    if (final) {
      const lastError = isPermanent(error) ? `refused by the mail server: ${reason}` : `gave up after ${row.attempts} attempts: ${reason}`;
      await this.claimed(row).update({ status: 'FAILED', last_error: lastError, lease_until: null, next_attempt_at: null });
      this.options.logger.error({ deliveryId: row.id, userId: row.user_id, attempts: row.attempts, reason }, 'mail failed for good');
      return;
    }
    const base = Math.min(this.options.retryMaxDelayMs, this.options.retryDelayMs * 2 ** (row.attempts - 1));
    const delayMs = Math.round(base * (0.8 + Math.random() * 0.4));
    await this.claimed(row)
      .update({ status: 'PENDING', last_error: reason, lease_until: null, next_attempt_at: this.options.db.raw('now() + make_interval(secs => ?)', [delayMs / 1000]) });
    this.options.logger.warn({ deliveryId: row.id, userId: row.user_id, attempt: row.attempts, retryInMs: delayMs, reason }, 'mail not sent; will retry');
  }
}

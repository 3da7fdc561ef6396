import { buildEvent, consumersOf, isEventType, type EventEnvelope, type EventData, type EventType } from '@desk/contracts';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { exponentialBackoff, PublishError, type EventBus } from './bus.js';
import { context, contextFromHeaders, currentTraceparent } from './trace-context.js';

interface OutboxRow {
  id: string;
  subject: string;
  type: string;
  payload: EventEnvelope;
  attempts: number;
}

export interface OutboxOptions {
  db: Knex;
  bus: EventBus;
  logger: Logger;
  /** CloudEvents `source` of every event this service writes, e.g. `/incident-service`. */
  source: string;
  /** Rows published per round. */
  batchSize?: number;
  /** How often the relay looks for rows left behind (a crash, a broker outage, another replica). */
  pollIntervalMs?: number;
  /** Backoff before retrying a row whose publish failed, by its attempt count. */
  retryDelayMs?: (attempts: number) => number;
  /** Published rows are kept this long for inspection, then pruned. */
  retentionDays?: number;
  /** The services that consume a type: the event catalogue's (tests stand in a catalogue change). */
  consumersOf?: (type: EventType) => readonly string[];
}

export interface RelayRound {
  published: number;
  failed: number;
}

/**
 * The transactional outbox (https://microservices.io/patterns/data/transactional-outbox.html).
 *
 * `add` writes an event into the `outbox` table inside the caller's transaction, so the event
 * exists if and only if the change it describes committed. The relay publishes committed rows in
 * id order — right after the commit that wrote them, and on a timer for anything left over — and
 * marks a row published only after the bus confirmed it. A row whose publish failed is retried
 * with backoff, and later rows of the same subject wait for it, so consumers see one subject's
 * events in the order they were written. Publishing can repeat (a crash between confirm and
 * commit), never skip: consumers deduplicate with their inbox.
 *
 * Several replicas may run a relay: a transaction-scoped advisory lock lets one at a time work.
 */
export class Outbox {
  private readonly batchSize: number;
  private readonly retryDelayMs: (attempts: number) => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private lastPrune = 0;

  constructor(private readonly options: OutboxOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.retryDelayMs = options.retryDelayMs ?? exponentialBackoff(500, 60_000);
  }

  /**
   * Writes an event in the caller's transaction and returns it. The event carries the current
   * trace context, so its consumers join the trace of the request that caused it.
   */
  async add<T extends EventType>(
    trx: Knex.Transaction,
    type: T,
    input: { subject: string; data: EventData<T>; time?: Date | string },
  ): Promise<EventEnvelope<T>> {
    const traceparent = currentTraceparent();
    const event = buildEvent(type, {
      source: this.options.source,
      subject: input.subject,
      data: input.data,
      ...(input.time ? { time: input.time } : {}),
      ...(traceparent ? { traceparent } : {}),
    });
    await trx('outbox').insert({
      event_id: event.id,
      type: event.type,
      subject: event.subject,
      payload: JSON.stringify(event),
    });
    // Publish as soon as the transaction commits; on rollback the row never existed.
    trx.executionPromise.then(
      () => this.wake(),
      () => undefined,
    );
    return event;
  }

  /** Starts relaying: one round now, then one every `pollIntervalMs`. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const interval = this.options.pollIntervalMs ?? 1000;
    this.timer = setInterval(() => this.wake(), interval);
    this.timer.unref();
    this.wake();
  }

  /** Asks for a relay round soon; rounds never overlap, a request during one runs another after. */
  wake(): void {
    if (!this.started) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'outbox relay round failed'))
      .finally(() => {
        this.running = null;
        if (this.again && this.started) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Stops the timer and waits for the round in progress. Unpublished rows stay for next start. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const round = await this.relayOnce();
      if (round.published + round.failed < this.batchSize || round.published === 0 || !this.started) break;
    }
    if (Date.now() - this.lastPrune > 3_600_000) {
      this.lastPrune = Date.now();
      await this.prune();
    }
  }

  /** One relay round: publishes up to `batchSize` due rows. Exposed for tests and tooling. */
  async relayOnce(): Promise<RelayRound> {
    const { db, logger, bus } = this.options;
    // While the bus cannot publish (not connected, or blocked by a broker alarm) the rows simply
    // wait: no attempt is spent and no backoff grows, so the backlog drains on the first round after.
    if (!bus.canPublish()) return { published: 0, failed: 0 };
    return db.transaction(async (trx) => {
      const lock = await trx.raw<{ rows: { locked: boolean }[] }>(
        "select pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox')) as locked",
      );
      if (!lock.rows[0]?.locked) return { published: 0, failed: 0 };

      // Due rows whose subject has no earlier row still waiting out a retry delay.
      const rows = await trx('outbox as o')
        .select<OutboxRow[]>('o.id', 'o.subject', 'o.type', 'o.payload', 'o.attempts')
        .whereNull('o.published_at')
        .where('o.next_attempt_at', '<=', trx.fn.now())
        .whereNotExists(
          trx('outbox as earlier')
            .select(trx.raw('1'))
            .whereRaw('earlier.subject = o.subject')
            .whereNull('earlier.published_at')
            .whereRaw('earlier.id < o.id')
            .whereRaw('earlier.next_attempt_at > now()')
            .whereRaw("coalesce(earlier.last_failure, '') <> 'unroutable'"),
        )
        .orderBy('o.id')
        .limit(this.batchSize);
      if (rows.length === 0) return { published: 0, failed: 0 };

      const bySubject = new Map<string, OutboxRow[]>();
      for (const row of rows) {
        const list = bySubject.get(row.subject);
        if (list) list.push(row);
        else bySubject.set(row.subject, [row]);
      }

      const published: string[] = [];
      const retired: OutboxRow[] = [];
      const failures: { row: OutboxRow; error: unknown }[] = [];
      let brokerDown = false;
      // Subjects go in parallel; one subject's rows go one after another and stop at a failure.
      await Promise.all(
        [...bySubject.values()].map(async (subjectRows) => {
          for (const row of subjectRows) {
            // Once the bus says it is not connected, the rest of the round would fail the same way.
            if (brokerDown) return;
            try {
              await this.publishRow(row);
              published.push(row.id);
            } catch (error) {
              if (error instanceof PublishError && error.failure === 'not-connected') brokerDown = true;
              // Nothing is bound to a type no service of the platform consumes: retire it
              // rather than retry it forever (a type with consumers waits for them instead).
              if (error instanceof PublishError && error.failure === 'unroutable' && isEventType(row.type) && (this.options.consumersOf ?? consumersOf)(row.type).length === 0) {
                retired.push(row);
                continue;
              }
              failures.push({ row, error });
              // Nobody receives an unroutable event, so the subject's later events go on.
              if (error instanceof PublishError && error.failure === 'unroutable') continue;
              return;
            }
          }
        }),
      );

      if (published.length > 0) {
        await trx('outbox').whereIn('id', published).update({ published_at: trx.fn.now(), last_error: null });
      }
      if (retired.length > 0) {
        // Done with, like a published row (and pruned like one); `last_failure` says why.
        await trx('outbox')
          .whereIn('id', retired.map((row) => row.id))
          .update({ published_at: trx.fn.now(), last_failure: 'retired', last_error: 'no consumer is bound, and no service of the platform consumes this type' });
        logger.debug({ retired: retired.length, types: [...new Set(retired.map((row) => row.type))] }, 'outbox retired events nothing consumes');
      }
      for (const { row, error } of failures) {
        // Lost the connection mid-round: not the row's failure; it goes again when the bus is back.
        if (error instanceof PublishError && error.failure === 'not-connected') continue;
        const attempts = row.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        await trx('outbox')
          .where('id', row.id)
          .update({
            attempts,
            last_error: message.slice(0, 2000),
            last_failure: error instanceof PublishError ? error.failure : 'error',
            next_attempt_at: trx.raw(`now() + make_interval(secs => ?)`, [this.retryDelayMs(attempts) / 1000]),
          });
      }
      if (failures.length > 0) {
        // One line per round, not per row: an outage would otherwise flood the log.
        const first = failures[0]!;
        // Nobody bound to a type yet (a consumer not deployed) is a state, not an incident: the
        // rows wait, retried with growing delays, and say so at info.
        const onlyUnroutable = failures.every(({ error }) => error instanceof PublishError && error.failure === 'unroutable');
        logger[onlyUnroutable ? 'info' : 'warn'](
          {
            failed: failures.length,
            published: published.length,
            failure: first.error instanceof PublishError ? first.error.failure : 'error',
            reason: first.error instanceof Error ? first.error.message : String(first.error),
            firstEventId: first.row.payload.id,
            firstEventType: first.row.type,
          },
          'outbox could not publish some events; they will be retried',
        );
      }
      return { published: published.length, failed: failures.length };
    });
  }

  private publishRow(row: OutboxRow): Promise<void> {
    const event = row.payload;
    // Continue the trace of the request that wrote the event: the bus's publish span is its child.
    return context.with(contextFromHeaders(event.traceparent ? { traceparent: event.traceparent } : {}), () => this.options.bus.publish(event));
  }

  /** Deletes published rows past the retention period, in chunks. */
  async prune(): Promise<number> {
    const days = this.options.retentionDays ?? 7;
    let total = 0;
    for (;;) {
      const deleted = await this.options.db('outbox')
        .whereIn(
          'id',
          this.options.db('outbox')
            .select('id')
            .whereNotNull('published_at')
            .where('published_at', '<', this.options.db.raw(`now() - make_interval(days => ?)`, [days]))
            .limit(5000),
        )
        .delete();
      total += deleted;
      if (deleted < 5000) return total;
    }
  }

  /** Rows not yet published, for health and metrics. */
  async pendingCount(): Promise<number> {
    const row = await this.options.db('outbox').whereNull('published_at').count<{ count: string }[]>('* as count').first();
    return Number(row?.count ?? 0);
  }
}

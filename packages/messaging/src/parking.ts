import type { Migration } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DeadLetter, EventBus } from './bus.js';

/**
 * The parking lot: events a consumer could not handle after all its attempts (or could never
 * handle, such as one that breaks its contract), kept in the consumer's own database with the
 * reason, until an admin replays or discards them. Add to the service's migration list.
 */
export const parkedEventsMigration: Migration = {
  name: 'messaging_0003_parked_events',
  async up(knex: Knex) {
    await knex.raw(`create table parked_events (
      id uuid primary key default gen_random_uuid(),
      consumer text not null,
      event_id uuid,
      event_type text,
      subject text,
      body text not null,
      reason text not null,
      attempts integer not null,
      first_failed_at timestamptz not null,
      parked_at timestamptz not null default now(),
      status text not null default 'parked' check (status in ('parked', 'replay_requested', 'replayed', 'discarded')),
      resolved_at timestamptz,
      resolved_by text,
      discard_reason text,
      replays integer not null default 0
    )`);
    await knex.raw("create index parked_events_parked on parked_events (parked_at desc) where status = 'parked'");
    await knex.raw("create index parked_events_replay_requested on parked_events (consumer) where status = 'replay_requested'");
  },
};

/** `replay_requested`: asked for from outside the running service (a command, another replica); it replays it within about a second. */
export type ParkedStatus = 'parked' | 'replay_requested' | 'replayed' | 'discarded';

export interface ParkedEvent {
  id: string;
  consumer: string;
  eventId: string | null;
  eventType: string | null;
  subject: string | null;
  reason: string;
  attempts: number;
  firstFailedAt: string;
  parkedAt: string;
  status: ParkedStatus;
  resolvedAt: string | null;
  resolvedBy: string | null;
  discardReason: string | null;
  replays: number;
}

export interface ParkedFilter {
  status?: ParkedStatus;
  eventType?: string;
  subject?: string;
  limit?: number;
}

interface ParkedRow {
  id: string;
  consumer: string;
  event_id: string | null;
  event_type: string | null;
  subject: string | null;
  reason: string;
  attempts: number;
  first_failed_at: Date;
  parked_at: Date;
  status: ParkedStatus;
  resolved_at: Date | null;
  resolved_by: string | null;
  discard_reason: string | null;
  replays: number;
  body: string;
}

function toParked(row: ParkedRow): ParkedEvent {
  return {
    id: row.id,
    consumer: row.consumer,
    eventId: row.event_id,
    eventType: row.event_type,
    subject: row.subject,
    reason: row.reason,
    attempts: row.attempts,
    firstFailedAt: row.first_failed_at.toISOString(),
    parkedAt: row.parked_at.toISOString(),
    status: row.status,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    discardReason: row.discard_reason,
    replays: row.replays,
  };
}

function subjectOf(body: string): string | null {
  try {
    const subject = (JSON.parse(body) as { subject?: unknown }).subject;
    return typeof subject === 'string' ? subject : null;
  } catch {
    return null;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One consumer's parking lot in its database: `park` is what `subscribe({ park })` takes. A
 * running service `start`s it so that replays requested through the database (the `events`
 * command, any replica) are handed to its bus.
 */
export class ParkingLot {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Knex,
    readonly consumer: string,
    /** The bus the consumer subscribes on: needed to replay (the `events` command only requests replays). */
    private readonly options: { bus?: EventBus; logger?: Logger } = {},
  ) {}

  private get logger(): Logger | undefined {
    return this.options.logger;
  }

  private get bus(): EventBus {
    if (!this.options.bus) throw new Error('this parking lot has no bus to replay on; request the replay instead (requestReplay)');
    return this.options.bus;
  }

  start(intervalMs = 1_000): void {
    this.timer = setInterval(() => {
      this.running ??= this.replayRequested()
        .catch((error: unknown) => {
          this.logger?.warn({ err: error, consumer: this.consumer }, 'could not replay the requested parked events; will try again');
          return 0;
        })
        .finally(() => (this.running = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Asks for replays without a bus at hand: marks the parked events (one by id, or every one
   * matching the filter) `replay_requested`; the running service replays them. Returns how many.
   */
  async requestReplay(selection: { id: string } | Omit<ParkedFilter, 'status' | 'limit'>, by: string): Promise<number> {
    if ('id' in selection && !UUID.test(selection.id)) return 0;
    const query = this.db('parked_events').where({ consumer: this.consumer, status: 'parked' });
    if ('id' in selection) void query.where({ id: selection.id });
    else {
      if (selection.eventType) void query.where('event_type', selection.eventType);
      if (selection.subject) void query.where('subject', selection.subject);
    }
    return query.update({ status: 'replay_requested', resolved_by: by });
  }

  /** Hands every requested replay to the bus, one transaction per event. Returns how many. */
  async replayRequested(): Promise<number> {
    let replayed = 0;
    for (;;) {
      const done = await this.db.transaction(async (trx) => {
        const row = await trx('parked_events')
          .select<ParkedRow[]>('*')
          .where({ consumer: this.consumer, status: 'replay_requested' })
          .orderBy('parked_at')
          .forUpdate()
          .skipLocked()
          .first();
        if (!row) return false;
        await this.bus.redeliver(this.consumer, row.body);
        await trx('parked_events').where({ id: row.id }).update({ status: 'replayed', resolved_at: trx.fn.now(), replays: trx.raw('replays + 1') });
        return true;
      });
      if (!done) break;
      replayed += 1;
    }
    if (replayed > 0) this.logger?.info({ consumer: this.consumer, replayed }, 'replayed parked events on request');
    return replayed;
  }

  /** Sets a dead letter aside (the bus calls it; acknowledges the message once it resolved). */
  readonly park = async (letter: DeadLetter): Promise<void> => {
    await this.db('parked_events').insert({
      consumer: letter.consumer,
      event_id: letter.eventId && UUID.test(letter.eventId) ? letter.eventId : null,
      event_type: letter.type,
      subject: subjectOf(letter.body),
      body: letter.body,
      reason: letter.reason.slice(0, 4000),
      attempts: letter.attempts,
      first_failed_at: letter.firstFailedAt,
      parked_at: letter.deadLetteredAt,
    });
  };

  async list(filter: ParkedFilter = {}): Promise<ParkedEvent[]> {
    const query = this.db('parked_events')
      .select<ParkedRow[]>('*')
      .where({ consumer: this.consumer, status: filter.status ?? 'parked' })
      .orderBy('parked_at', 'desc')
      .limit(Math.min(filter.limit ?? 100, 1000));
    if (filter.eventType) void query.where('event_type', filter.eventType);
    if (filter.subject) void query.where('subject', filter.subject);
    return (await query).map(toParked);
  }

  /** One event of this lot in any status, with the event as the consumer received it. */
  async get(id: string): Promise<(ParkedEvent & { body: string }) | undefined> {
    if (!UUID.test(id)) return undefined;
    const row = await this.db('parked_events').select<ParkedRow[]>('*').where({ id, consumer: this.consumer }).first();
    return row ? { ...toParked(row), body: row.body } : undefined;
  }

  async count(): Promise<number> {
    const row = await this.db('parked_events').where({ consumer: this.consumer, status: 'parked' }).count<{ count: string }[]>('* as count').first();
    return Number(row?.count ?? 0);
  }

  /**
   * Hands a parked event to the consumer again, as a first attempt, and marks it replayed. The
   * consumer's inbox makes a replay idempotent: an event it handled meanwhile has no second effect.
   * Undefined when there is no such parked event.
   */
  async replay(id: string, by: string): Promise<ParkedEvent | undefined> {
    if (!UUID.test(id)) return undefined;
    return this.db.transaction(async (trx) => {
      const row = await trx('parked_events').select<ParkedRow[]>('*').where({ id, consumer: this.consumer, status: 'parked' }).forUpdate().first();
      if (!row) return undefined;
      await this.bus.redeliver(this.consumer, row.body);
      const [updated] = await trx('parked_events')
        .where({ id })
        .update({ status: 'replayed', resolved_at: trx.fn.now(), resolved_by: by, replays: trx.raw('replays + 1') })
        .returning<ParkedRow[]>('*');
      return toParked(updated!);
    });
  }

  /** Drops a parked event for good, keeping the row with who discarded it and why. */
  async discard(id: string, by: string, reason: string): Promise<ParkedEvent | undefined> {
    if (!UUID.test(id)) return undefined;
    const [updated] = await this.db('parked_events')
      .where({ id, consumer: this.consumer, status: 'parked' })
      .update({ status: 'discarded', resolved_at: this.db.fn.now(), resolved_by: by, discard_reason: reason })
      .returning<ParkedRow[]>('*');
    return updated ? toParked(updated) : undefined;
  }
}

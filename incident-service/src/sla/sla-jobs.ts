import { decideTransition, type SlaTarget } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { rowStamp, systemClock, type Clock } from '../clock.js';
import { factsOf } from '../incidents/actor.js';
import { INCIDENT_COLUMNS, toIncidentSnapshot, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { appendTimeline } from '../timeline/timeline.repository.js';

export interface SlaJobsOptions {
  db: Knex;
  outbox: Outbox;
  logger: Logger;
  autoCloseDays: number;
  intervalMs: number;
}

const BATCH = 200;

/** Which incidents still have a running clock for a target, matching the partial indexes. */
const RUNNING_CLOCK: Record<SlaTarget, { dueColumn: string; breachedColumn: string; where: string }> = {
  response: {
    dueColumn: 'response_due_at',
    breachedColumn: 'response_breached_at',
    where: "responded_at is null and response_breached_at is null and status = 'OPEN'",
  },
  resolution: {
    dueColumn: 'resolution_due_at',
    breachedColumn: 'resolution_breached_at',
    where: "resolved_at is null and resolution_breached_at is null and status in ('OPEN', 'IN_PROGRESS')",
  },
};

/**
 * The background work of SLAs: marking targets missed, and closing incidents left RESOLVED for
 * AUTO_CLOSE_DAYS. Every replica may run it: rows are claimed with SKIP LOCKED and a breach is
 * marked only while its column is still empty, so each incident and target is reported once,
 * also across restarts.
 */
export class SlaJobs {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: SlaJobsOptions) {}

  /** Whether the periodic rounds run (start() was called, stop() was not since). */
  get started(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.runSoon(), this.options.intervalMs);
    this.timer.unref();
    this.runSoon();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  private runSoon(): void {
    if (this.running) return;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'SLA jobs failed; retrying next round'))
      .finally(() => {
        this.running = null;
      });
  }

  /**
   * One round of both jobs; returns what it did (tests call it directly). On a clock set in the
   * past (clock.ts) the round runs as it would have at that instant: a replayed history has its
   * breaches marked, and its incidents closed, when they were due; `db` is then the replay's
   * transaction (each round a savepoint in it).
   */
  async runOnce(clock: Clock = systemClock, db: Knex = this.options.db): Promise<{ breaches: number; autoClosed: number }> {
    let breaches = 0;
    for (const target of ['response', 'resolution'] as const) {
      for (let marked = BATCH; marked === BATCH; ) {
        marked = await this.markBreaches(target, clock, db);
        breaches += marked;
      }
    }
    let autoClosed = 0;
    for (let closed = BATCH; closed === BATCH; ) {
      closed = await this.autoClose(clock, db);
      autoClosed += closed;
    }
    if (breaches + autoClosed > 0) this.options.logger.info({ breaches, autoClosed }, 'SLA jobs round');
    return { breaches, autoClosed };
  }

  private async markBreaches(target: SlaTarget, clock: Clock, db: Knex): Promise<number> {
    const { outbox } = this.options;
    const running = RUNNING_CLOCK[target];
    return db.transaction(async (trx) => {
      const now = clock.fixed ? clock.now() : trx.fn.now();
      const rows: IncidentRow[] = await trx('incidents')
        // A breach changes the incident (its breach time is part of it): the version its event
        // carries is bumped like any other change's, so replicas that keep the newest take it.
        .update({ [running.breachedColumn]: now, version: trx.raw('version + 1'), updated_at: rowStamp(clock) ?? trx.raw('clock_timestamp()') })
        .whereIn(
          'id',
          trx('incidents')
            .select('id')
            .whereRaw(running.where)
            .where(running.dueColumn, '<', now)
            .orderBy(running.dueColumn)
            .limit(BATCH)
            .forUpdate()
            .skipLocked(),
        )
        .returning(INCIDENT_COLUMNS);
      for (const row of rows) {
        const dueAt = (target === 'response' ? row.response_due_at : row.resolution_due_at)!.toISOString();
        const breachedAt = (target === 'response' ? row.response_breached_at : row.resolution_breached_at)!.toISOString();
        await appendTimeline(trx, { incidentId: row.id, action: 'sla_breached', actorId: null, newValue: { target, dueAt }, at: rowStamp(clock) });
        await outbox.add(trx, 'incident.sla_breached', {
          subject: row.id,
          time: breachedAt,
          data: { incident: toIncidentSnapshot(row), target, dueAt, breachedAt },
        });
      }
      return rows.length;
    });
  }

  private async autoClose(clock: Clock, db: Knex): Promise<number> {
    const { outbox, autoCloseDays } = this.options;
    return db.transaction(async (trx) => {
      const due = await trx('incidents')
        .select<IncidentRow[]>(INCIDENT_COLUMNS)
        .where('status', 'RESOLVED')
        .where('resolved_at', '<', clock.fixed ? new Date(clock.now().getTime() - autoCloseDays * 86_400_000) : trx.raw('now() - make_interval(days => ?)', [autoCloseDays]))
        .orderBy('resolved_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked();
      const reason = `closed automatically after ${autoCloseDays} day${autoCloseDays === 1 ? '' : 's'} resolved`;
      for (const row of due) {
        if (!decideTransition({ kind: 'system' }, factsOf(row), 'CLOSED').allowed) continue;
        const closed = await updateIncident(trx, row.id, { status: 'CLOSED', closed_at: clock.now() }, rowStamp(clock));
        await appendTimeline(trx, { incidentId: row.id, action: 'status_changed', actorId: null, oldValue: row.status, newValue: { status: 'CLOSED', reason }, at: rowStamp(clock) });
        await outbox.add(trx, 'incident.status_changed', {
          subject: row.id,
          time: closed.closed_at!,
          data: { incident: toIncidentSnapshot(closed), actorId: null, from: row.status, to: 'CLOSED', reason },
        });
      }
      return due.length;
    });
  }
}

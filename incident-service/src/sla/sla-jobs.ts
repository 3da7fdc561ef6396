import { decideTransition, type SlaTarget } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { rowStamp, systemClock, type Clock } from '../clock.js';
import { factsOf } from '../incidents/actor.js';
import { INCIDENT_COLUMNS, toIncidentSnapshot, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { effectiveCalendar, incidentCalendar } from '../calendars/calendars.repository.js';
import { ESCALATION_BATCH, fireAtBreach, fireDueEscalations, scheduleEscalations } from '../escalations/escalations.js';
import { reassignDeparted } from '../routing/reassign-job.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { findSlaPolicy } from './sla-policies.repository.js';
import { recountClock } from './sla.js';
import { resolveChildren } from '../collaboration/status-moves.js';

export interface SlaJobsOptions {
  db: Knex;
  outbox: Outbox;
  logger: Logger;
  autoCloseDays: number;
  /** Working days an incident waits on its reporter before it is resolved without a reply. */
  waitingDays: number;
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
 * The background work of SLAs and routing: marking targets missed, recounting due times after a
 * calendar change, resolving incidents that waited on their reporter too long, handing on the
 * open incidents of people who left, and closing incidents left RESOLVED for AUTO_CLOSE_DAYS. Every replica may run it: rows are claimed with SKIP LOCKED and a breach is
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
  async runOnce(
    clock: Clock = systemClock,
    db: Knex = this.options.db,
  ): Promise<{ breaches: number; autoClosed: number; recounted: number; waitsExpired: number; reassigned: number; escalations: number }> {
    // Open incidents of people who left their department go back to the routing.
    const reassigned = await reassignDeparted(db, this.options.outbox, clock);
    // Recounts first: a calendar that gave more time must not let the old due time mark a breach.
    let recounted = 0;
    for (let done: number | null = 0; done !== null; ) {
      done = await this.recount(clock, db);
      recounted += done ?? 0;
    }
    let waitsExpired = 0;
    for (let ended = BATCH; ended === BATCH; ) {
      ended = await this.expireWaits(clock, db);
      waitsExpired += ended;
    }
    // Escalations before the breach (a share of a target's working time passed).
    let escalations = 0;
    for (let claimed = ESCALATION_BATCH; claimed === ESCALATION_BATCH; ) {
      const batch = await fireDueEscalations(db, this.options.outbox, clock);
      claimed = batch.claimed;
      escalations += batch.fired;
    }
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
    if (breaches + autoClosed + recounted + waitsExpired + reassigned + escalations > 0) {
      this.options.logger.info({ breaches, autoClosed, recounted, waitsExpired, reassigned, escalations }, 'SLA jobs round');
    }
    return { breaches, autoClosed, recounted, waitsExpired, reassigned, escalations };
  }

  /**
   * One batch of a department waiting to be recounted (sla_recounts): its open incidents move to
   * the calendar the department uses now. The minutes used so far were counted on the calendar
   * they ran on; the rest count on the new one. Null when no department waits. The department's
   * request is held locked while its batch runs, so replicas work on different departments, and
   * is removed only once none of its incidents is left on another calendar.
   */
  private async recount(clock: Clock, db: Knex): Promise<number | null> {
    const { outbox } = this.options;
    return db.transaction(async (trx) => {
      const queued = await trx('sla_recounts').select('department_id').orderBy('requested_at').limit(1).forUpdate().skipLocked().first<{ department_id: string } | undefined>();
      if (!queued) return null;
      const target = await effectiveCalendar(trx, queued.department_id);
      const rows = await trx('incidents')
        .select<IncidentRow[]>(INCIDENT_COLUMNS)
        .where('department_id', queued.department_id)
        .whereIn('status', ['OPEN', 'IN_PROGRESS', 'RESOLVED'])
        .where((query) => query.whereNot('sla_calendar_id', target.id).orWhereNot('sla_calendar_version', target.version).orWhereNull('sla_calendar_id'))
        .orderBy('id')
        .limit(BATCH)
        .forUpdate();
      const now = clock.now();
      for (const row of rows) {
        const used = await incidentCalendar(trx, row);
        const clockChanges = recountClock(row, { used, next: target.calendar, targets: await findSlaPolicy(trx, row.priority), now, waiting: row.waiting_since !== null });
        const updated = await updateIncident(trx, row.id, { ...clockChanges, sla_calendar_id: target.id, sla_calendar_version: target.version }, rowStamp(clock));
        await scheduleEscalations(trx, updated);
        const newValue = {
          calendar: { id: target.id, name: target.name, version: target.version },
          responseDueAt: updated.response_due_at?.toISOString() ?? null,
          resolutionDueAt: updated.resolution_due_at?.toISOString() ?? null,
        };
        const oldValue = { calendarId: row.sla_calendar_id, responseDueAt: row.response_due_at?.toISOString() ?? null, resolutionDueAt: row.resolution_due_at?.toISOString() ?? null };
        await appendTimeline(trx, { incidentId: row.id, action: 'sla_recalculated', actorId: null, oldValue, newValue, at: rowStamp(clock) });
        await outbox.add(trx, 'incident.sla_recalculated', {
          subject: row.id,
          time: now,
          data: { incident: toIncidentSnapshot(updated), calendar: { id: target.id, name: target.name, version: target.version } },
        });
      }
      if (rows.length < BATCH) await trx('sla_recounts').where({ department_id: queued.department_id }).delete();
      return rows.length;
    });
  }

  /**
   * Incidents that waited on their reporter for WAITING_AUTO_RESOLVE_DAYS working days without a
   * reply: resolved with a note that says so (the reporter is told, as of any resolution).
   */
  private async expireWaits(clock: Clock, db: Knex): Promise<number> {
    const { outbox, waitingDays } = this.options;
    return db.transaction(async (trx) => {
      const now = clock.now();
      const due = await trx('incidents')
        .select<IncidentRow[]>(INCIDENT_COLUMNS)
        .whereNotNull('waiting_since')
        .where('waiting_expires_at', '<=', clock.fixed ? now : trx.fn.now())
        .orderBy('waiting_expires_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked();
      const reason = `resolved automatically: no reply from the reporter in ${waitingDays} working day${waitingDays === 1 ? '' : 's'}`;
      for (const row of due) {
        if (row.status !== 'IN_PROGRESS' || !decideTransition({ kind: 'system' }, factsOf(row), 'RESOLVED').allowed) continue;
        const calendar = await incidentCalendar(trx, row);
        const clockChanges = recountClock(row, { used: calendar, next: calendar, targets: await findSlaPolicy(trx, row.priority), now, waiting: false });
        const resolved = await updateIncident(
          trx,
          row.id,
          { ...clockChanges, status: 'RESOLVED', resolved_at: now, waiting_since: null, waiting_message: null, waiting_by: null, waiting_expires_at: null },
          rowStamp(clock),
        );
        await appendTimeline(trx, { incidentId: row.id, action: 'waiting_ended', actorId: null, oldValue: { since: row.waiting_since!.toISOString(), message: row.waiting_message }, newValue: { reason: 'expired' }, at: rowStamp(clock) });
        await appendTimeline(trx, { incidentId: row.id, action: 'status_changed', actorId: null, oldValue: row.status, newValue: { status: 'RESOLVED', reason }, at: rowStamp(clock) });
        const snapshot = toIncidentSnapshot(resolved);
        await outbox.add(trx, 'incident.waiting_changed', { subject: row.id, time: now, data: { incident: snapshot, actorId: null, waiting: false, message: row.waiting_message ?? '', reason: 'expired' } });
        await outbox.add(trx, 'incident.status_changed', {
          subject: row.id,
          time: now,
          data: { incident: snapshot, actorId: null, from: row.status, to: 'RESOLVED', reason },
        });
        await resolveChildren({ clock, outbox }, trx, resolved, null);
      }
      return due.length;
    });
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
        // The rules for this breach, once each (they may raise the priority or reassign).
        await fireAtBreach(trx, outbox, clock, row, target);
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
        // A major incident closes only once its post-incident review is written.
        .whereRaw('(not is_major or exists (select 1 from major_incidents m where m.incident_id = incidents.id and m.reviewed_at is not null))')
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

import type { Caller } from '@desk/auth';
import { type Incident, mayAskReporter, mayEndWaiting } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Knex } from 'knex';
import { incidentCalendar } from '../calendars/calendars.repository.js';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { insertComment } from '../comments/comments.repository.js';
import { scheduleEscalations } from '../escalations/escalations.js';
import { findSlaPolicy } from '../sla/sla-policies.repository.js';
import { recountClock } from '../sla/sla.js';
import { endOfWorkingDays } from '../sla/working-time.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { actorOf, factsOf } from './actor.js';
import { incidentErrors } from './incident-errors.js';
import { findIncidentForUpdate, toIncident, toIncidentSnapshot, updateIncident, type IncidentChanges, type IncidentRow } from './incidents.repository.js';
import { maySee } from './visibility.js';
import { assertVersion, type VersionPrecondition } from './version-precondition.js';

export type WaitingEndReason = 'replied' | 'stopped' | 'status_changed';

/**
 * What ending a wait changes: the resolution clock resumes from now with the minutes it had used
 * (its due time moves on by the working time it was paused), and the flag goes.
 */
export async function endWaitingChanges(trx: Knex.Transaction, row: IncidentRow, now: Date): Promise<IncidentChanges> {
  const calendar = await incidentCalendar(trx, row);
  const clock = recountClock(row, { used: calendar, next: calendar, targets: await findSlaPolicy(trx, row.priority), now, waiting: false });
  return { ...clock, waiting_since: null, waiting_message: null, waiting_by: null, waiting_expires_at: null };
}

/** The timeline entry and event of a wait that ended, in the transaction that ended it. */
export async function recordWaitingEnded(
  deps: Pick<IncidentDependencies, 'clock' | 'outbox'>,
  trx: Knex.Transaction,
  before: IncidentRow,
  after: IncidentRow,
  actorId: string | null,
  reason: WaitingEndReason,
): Promise<void> {
  await scheduleEscalations(trx, after);
  const at = rowStamp(deps.clock);
  await appendTimeline(trx, {
    incidentId: before.id,
    action: 'waiting_ended',
    actorId,
    oldValue: { since: before.waiting_since!.toISOString(), message: before.waiting_message },
    newValue: { reason, resolutionDueAt: after.resolution_due_at?.toISOString() ?? null },
    at,
  });
  await deps.outbox.add(trx, 'incident.waiting_changed', {
    subject: before.id,
    time: deps.clock.now(),
    data: { incident: toIncidentSnapshot(after), actorId, waiting: false, message: before.waiting_message ?? '', reason },
  });
}

/**
 * `POST /incidents/{id}/waiting`: staff ask the reporter something. The question is posted as a
 * public comment (the reporter is told of it as of any comment), the incident is flagged as
 * waiting, and its resolution clock pauses. The reporter's next comment ends the wait; without
 * one, the incident is resolved after WAITING_AUTO_RESOLVE_DAYS working days (sla-jobs.ts).
 */
export async function startWaiting(
  deps: IncidentDependencies,
  caller: Caller,
  idOrKey: string,
  message: string,
  expectedVersion: VersionPrecondition | undefined,
): Promise<Incident> {
  const actor = actorOf(caller);
  const row = await deps.db.transaction(async (trx) => {
    const current = await findIncidentForUpdate(trx, idOrKey);
    if (!current || !maySee(actor, factsOf(current), caller.scopes)) throw incidentErrors.notFound();
    assertVersion(expectedVersion, current.version);
    if (current.status !== 'IN_PROGRESS') {
      if (!mayAskReporter(actor, { ...factsOf(current), status: 'IN_PROGRESS' })) throw incidentErrors.forbidden('wait on the reporter');
      throw AppError.conflict('INCIDENT.NOT_IN_PROGRESS', `Only an incident IN_PROGRESS can wait on its reporter; this one is ${current.status}.`);
    }
    if (!mayAskReporter(actor, factsOf(current))) throw incidentErrors.forbidden('wait on the reporter');
    if (current.waiting_since) {
      throw AppError.conflict('INCIDENT.ALREADY_WAITING', 'The incident already waits on its reporter: stop waiting first to ask something else, or add a comment.');
    }
    const now = deps.clock.now();
    const stamp = rowStamp(deps.clock);
    const calendar = await incidentCalendar(trx, current);
    const clock = recountClock(current, { used: calendar, next: calendar, targets: await findSlaPolicy(trx, current.priority), now, waiting: true });
    const comment = await insertComment(trx, { incidentId: current.id, authorId: caller.id, content: message, isInternal: false }, stamp);
    const updated = await updateIncident(
      trx,
      current.id,
      { ...clock, waiting_since: now, waiting_message: message, waiting_by: caller.id, waiting_expires_at: endOfWorkingDays(calendar, now, deps.config.WAITING_AUTO_RESOLVE_DAYS) },
      stamp,
    );
    await scheduleEscalations(trx, updated);
    const snapshot = toIncidentSnapshot(updated);
    await appendTimeline(trx, { incidentId: current.id, action: 'commented', actorId: caller.id, newValue: { commentId: comment.id, isInternal: false }, at: stamp });
    await appendTimeline(trx, {
      incidentId: current.id,
      action: 'waiting_started',
      actorId: caller.id,
      oldValue: { resolutionDueAt: current.resolution_due_at?.toISOString() ?? null },
      newValue: { message, commentId: comment.id, expiresAt: updated.waiting_expires_at!.toISOString() },
      at: stamp,
    });
    await deps.outbox.add(trx, 'incident.commented', {
      subject: current.id,
      time: now,
      data: { incident: snapshot, actorId: caller.id, commentId: comment.id, isInternal: false, content: comment.content, createdAt: comment.created_at.toISOString() },
    });
    await deps.outbox.add(trx, 'incident.waiting_changed', {
      subject: current.id,
      time: now,
      data: { incident: snapshot, actorId: caller.id, waiting: true, message, reason: 'asked' },
    });
    return updated;
  });
  deps.logger.info({ incidentId: row.id }, 'incident waits on its reporter');
  return toIncident(row);
}

/** `DELETE /incidents/{id}/waiting`: staff (or the reporter, who answered another way) end the wait. */
export async function stopWaiting(deps: IncidentDependencies, caller: Caller, idOrKey: string, expectedVersion: VersionPrecondition | undefined): Promise<Incident> {
  const actor = actorOf(caller);
  const row = await deps.db.transaction(async (trx) => {
    const current = await findIncidentForUpdate(trx, idOrKey);
    if (!current || !maySee(actor, factsOf(current), caller.scopes)) throw incidentErrors.notFound();
    if (!mayEndWaiting(actor, factsOf(current))) throw incidentErrors.forbidden('stop waiting on the reporter');
    assertVersion(expectedVersion, current.version);
    if (!current.waiting_since) return current;
    const updated = await updateIncident(trx, current.id, await endWaitingChanges(trx, current, deps.clock.now()), rowStamp(deps.clock));
    await recordWaitingEnded(deps, trx, current, updated, caller.id, 'stopped');
    return updated;
  });
  return toIncident(row);
}

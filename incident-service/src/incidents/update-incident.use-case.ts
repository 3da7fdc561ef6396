import type { Caller } from '@desk/auth';
import { type Actor, assigneeWhenStarting, decideTransition, type Incident, type IncidentStatus, isFinal, mayChangePriority, mayEditFields, type UpdateIncidentBody } from '@desk/contracts';
import type { Knex } from 'knex';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { incidentCalendar } from '../calendars/calendars.repository.js';
import { priorityFor } from '../priority/priority-matrix.js';
import { findSlaPolicy } from '../sla/sla-policies.repository.js';
import { retarget } from '../sla/sla.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { actorOf, factsOf } from './actor.js';
import { incidentErrors } from './incident-errors.js';
import {
  findIncidentForUpdate,
  toIncident,
  toIncidentSnapshot,
  updateIncident as writeIncident,
  type IncidentChanges,
  type IncidentRow,
} from './incidents.repository.js';
import { scheduleEscalations } from '../escalations/escalations.js';
import { maySee } from './visibility.js';
import { endWaitingChanges, recordWaitingEnded } from './waiting.use-case.js';
import { assertVersion, type VersionPrecondition } from './version-precondition.js';
import { hasReview, majorErrors } from '../collaboration/major-rules.js';
import { lateTargets, recordLateTargets } from './late-targets.js';
import { resolveChildren } from '../collaboration/status-moves.js';

/** What a status change sets besides the status itself. */
function statusEffects(row: IncidentRow, to: IncidentStatus, actor: Actor, now: Date): IncidentChanges {
  const changes: IncidentChanges = { status: to };
  if (to === 'IN_PROGRESS') {
    if (!row.responded_at) changes.responded_at = now;
    if (row.status === 'RESOLVED') {
      // Re-opened: the resolution clock runs on, and the rejected resolution is counted.
      changes.resolved_at = null;
      changes.reopen_count = row.reopen_count + 1; // the row is locked: no lost update
      changes.reopened_at = now;
    }
    const assignee = assigneeWhenStarting(actor, { ...factsOf(row), assigneeId: row.assignee_id });
    if (assignee !== row.assignee_id) changes.assignee_id = assignee;
  }
  if (to === 'RESOLVED') changes.resolved_at = now;
  if (to === 'CLOSED' || to === 'CANCELLED') changes.closed_at = now;
  return changes;
}

/**
 * PATCH /incidents/{id}: fields, priority and status in one all-or-nothing change under the
 * incident's row lock. Each kind of change writes its own timeline entry and event.
 */
export async function updateIncident(
  deps: IncidentDependencies,
  caller: Caller,
  idOrKey: string,
  body: UpdateIncidentBody,
  expectedVersion: VersionPrecondition | undefined,
): Promise<Incident> {
  const actor = actorOf(caller);
  const row = await deps.db.transaction(async (trx: Knex.Transaction) => {
    const current = await findIncidentForUpdate(trx, idOrKey);
    if (!current || !maySee(actor, factsOf(current), caller.scopes)) throw incidentErrors.notFound();
    assertVersion(expectedVersion, current.version);

    const facts = factsOf(current);
    const now = deps.clock.now();
    const at = rowStamp(deps.clock);
    const changes: IncidentChanges = {};
    const editedFields = (['title', 'description'] as const).filter((field) => body[field] !== undefined && body[field] !== current[field]);
    const rated = (body.impact !== undefined && body.impact !== current.impact) || (body.urgency !== undefined && body.urgency !== current.urgency);
    const impact = rated ? (body.impact ?? current.impact ?? 'MEDIUM') : current.impact;
    const urgency = rated ? (body.urgency ?? current.urgency ?? 'MEDIUM') : current.urgency;
    // A priority given wins; otherwise a new impact or urgency gives the matrix's.
    const wanted = body.priority ?? (rated ? await priorityFor(trx, impact!, urgency!) : undefined);
    const newPriority = wanted !== undefined && wanted !== current.priority ? wanted : undefined;
    const newStatus = body.status !== undefined && body.status !== current.status ? body.status : undefined;
    if (editedFields.length === 0 && !newPriority && !newStatus && !rated) return current;

    // Decide everything before writing anything.
    if (isFinal(current.status)) throw incidentErrors.final(current.status);
    if (editedFields.length > 0 && !mayEditFields(actor, facts)) throw incidentErrors.forbidden('edit the title or description');
    if ((newPriority || rated) && !mayChangePriority(actor, facts)) throw incidentErrors.forbidden(rated ? 'change the impact or urgency' : 'change the priority');
    if (newStatus) {
      const decision = decideTransition(actor, facts, newStatus);
      if (decision.allowed && newStatus === 'CLOSED' && current.is_major && !(await hasReview(trx, current.id))) throw majorErrors.reviewRequired();
      if (!decision.allowed) {
        throw decision.reason === 'invalid-transition'
          ? incidentErrors.invalidTransition(current.status, newStatus)
          : incidentErrors.forbidden(`move it from ${current.status} to ${newStatus}`);
      }
    }

    for (const field of editedFields) changes[field] = body[field];
    if (rated) Object.assign(changes, { impact, urgency });
    if (newPriority) {
      const calendar = await incidentCalendar(trx, current);
      Object.assign(changes, { priority: newPriority, ...retarget(current, calendar, await findSlaPolicy(trx, newPriority)) });
    }
    // A status change ends a wait on the reporter (resolved, cancelled or back to OPEN).
    const endsWait = newStatus !== undefined && current.waiting_since !== null;
    if (endsWait) Object.assign(changes, await endWaitingChanges(trx, current, now));
    if (newStatus) Object.assign(changes, statusEffects(current, newStatus, actor, now));
    const late = lateTargets(current, changes, now);
    for (const target of late) changes[target === 'response' ? 'response_breached_at' : 'resolution_breached_at'] = now;

    const updated = await writeIncident(trx, current.id, changes, at);
    // New targets: when the escalation rules next apply moves too (a wait that ended reschedules
    // in recordWaitingEnded).
    if (newPriority && !endsWait) await scheduleEscalations(trx, updated);
    const snapshot = toIncidentSnapshot(updated);
    const actorId = caller.id;

    if (rated && !newPriority) {
      await deps.outbox.add(trx, 'incident.updated', { subject: current.id, time: now, data: { incident: snapshot, actorId, changedFields: [...(changes.impact !== current.impact ? ['impact' as const] : []), ...(changes.urgency !== current.urgency ? ['urgency' as const] : [])] } });
    }
    if (editedFields.length > 0) {
      await appendTimeline(trx, {
        incidentId: current.id,
        action: 'updated',
        actorId,
        oldValue: Object.fromEntries(editedFields.map((field) => [field, current[field]])),
        newValue: Object.fromEntries(editedFields.map((field) => [field, updated[field]])),
        at,
      });
      await deps.outbox.add(trx, 'incident.updated', { subject: current.id, time: now, data: { incident: snapshot, actorId, changedFields: [...editedFields] } });
    }
    if (rated) {
      await appendTimeline(trx, { incidentId: current.id, action: 'rated', actorId, oldValue: { impact: current.impact, urgency: current.urgency }, newValue: { impact, urgency }, at });
    }
    if (newPriority) {
      // By hand (with the reason, if given) or by the matrix from the new impact and urgency.
      const newValue = body.priority !== undefined ? (body.priorityReason ? { priority: newPriority, reason: body.priorityReason } : newPriority) : { priority: newPriority, rule: 'matrix', impact, urgency };
      await appendTimeline(trx, { incidentId: current.id, action: 'priority_changed', actorId, oldValue: current.priority, newValue, at });
      await deps.outbox.add(trx, 'incident.priority_changed', { subject: current.id, time: now, data: { incident: snapshot, actorId, from: current.priority, to: newPriority } });
    }
    if (newStatus) {
      const reason = body.reason ?? null;
      await appendTimeline(trx, {
        incidentId: current.id,
        action: 'status_changed',
        actorId,
        oldValue: current.status,
        newValue: reason ? { status: newStatus, reason } : { status: newStatus },
        at,
      });
      await deps.outbox.add(trx, 'incident.status_changed', { subject: current.id, time: now, data: { incident: snapshot, actorId, from: current.status, to: newStatus, reason } });
      if (updated.assignee_id !== current.assignee_id) {
        await appendTimeline(trx, { incidentId: current.id, action: 'assigned', actorId, oldValue: current.assignee_id, newValue: updated.assignee_id, at });
        await deps.outbox.add(trx, 'incident.assigned', {
          subject: current.id,
          time: now,
          data: { incident: snapshot, actorId, previousAssigneeId: current.assignee_id, assigneeId: updated.assignee_id },
        });
      }
    }
    if (endsWait) await recordWaitingEnded(deps, trx, current, updated, actorId, 'status_changed');
    await recordLateTargets(deps, trx, current, updated, late, now, at);
    if (newStatus === 'RESOLVED') await resolveChildren(deps, trx, updated, actorId);
    return updated;
  });
  return toIncident(row);
}

import { createHash } from 'node:crypto';
import type { Caller } from '@desk/auth';
import type { CreateIncidentBody, Incident } from '@desk/contracts';
import { AppError } from '@desk/platform';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { findCategory } from '../catalog/categories.repository.js';
import { scheduleEscalations } from '../escalations/escalations.js';
import { decideAssignee, lockDepartmentRouting, routes } from '../routing/routing.js';
import { effectiveCalendar } from '../calendars/calendars.repository.js';
import { priorityFor } from '../priority/priority-matrix.js';
import { findSlaPolicy } from '../sla/sla-policies.repository.js';
import { dueTimes } from '../sla/sla.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import type { Knex } from 'knex';
import { findIncident, insertIncident, toIncident, toIncidentSnapshot, updateIncident, type IncidentRow } from './incidents.repository.js';

/**
 * Assigns a new incident by its category's routing, under the department's routing lock (taken
 * here, held to the commit), on the category as it is now: the assignment is a change of its
 * own (version 2, `incident.assigned` with `actorId: null`, an `assigned` timeline entry naming
 * the rule). When the category routes but nobody can take it, the timeline says why.
 */
async function routeNew(deps: IncidentDependencies, trx: Knex.Transaction, incident: IncidentRow, categoryId: string): Promise<IncidentRow> {
  await lockDepartmentRouting(trx, incident.department_id);
  const category = await findCategory(trx, categoryId);
  if (!category || !routes(category)) return incident;
  const routing = await decideAssignee(trx, category);
  const stamp = rowStamp(deps.clock);
  if (!routing.assigneeId || !routing.rule) {
    if (routing.skipped) {
      await appendTimeline(trx, {
        incidentId: incident.id,
        action: 'assigned',
        actorId: null,
        oldValue: null,
        newValue: { assigneeId: null, rule: category.assignment === 'none' ? 'default_assignee' : category.assignment, categoryId: category.id, categoryName: category.name, skipped: routing.skipped },
        at: stamp,
      });
    }
    return incident;
  }
  const assigned = await updateIncident(trx, incident.id, { assignee_id: routing.assigneeId }, stamp);
  await appendTimeline(trx, { incidentId: incident.id, action: 'assigned', actorId: null, oldValue: null, newValue: { assigneeId: routing.assigneeId, ...routing.rule }, at: stamp });
  await deps.outbox.add(trx, 'incident.assigned', {
    subject: incident.id,
    time: deps.clock.now(),
    data: { incident: toIncidentSnapshot(assigned), actorId: null, previousAssigneeId: null, assigneeId: routing.assigneeId },
  });
  return assigned;
}

/** Thrown inside the transaction when a concurrent request with the same key won the race. */
class IdempotentReplay extends Error {}

function requestHash(body: CreateIncidentBody): string {
  const levels = body.impact !== undefined || body.urgency !== undefined ? [body.impact ?? null, body.urgency ?? null] : [];
  return createHash('sha256').update(JSON.stringify([body.title, body.description, body.categoryId, body.priority ?? null, ...levels])).digest('base64url');
}

/**
 * Files an incident: its department comes from the category; its priority is the one given, or
 * the priority matrix's for its impact and urgency (an unnamed one counts as MEDIUM), or MEDIUM;
 * its SLA due times count the priority's targets in the working time of the department's
 * calendar. With an Idempotency-Key, a retry (a timeout, a double click) returns the
 * incident the first request made instead of filing it twice.
 */
export async function createIncident(
  deps: IncidentDependencies,
  caller: Caller,
  body: CreateIncidentBody,
  idempotencyKey?: string,
  options: { within?: (trx: Knex.Transaction, incident: IncidentRow) => Promise<void> } = {},
): Promise<{ incident: Incident; replayed: boolean }> {
  const category = await findCategory(deps.db, body.categoryId);
  if (!category) throw AppError.unprocessable('INCIDENT.CATEGORY_NOT_FOUND', 'There is no category with this id.', { errors: [{ location: 'body', path: '/categoryId', message: 'is not a category' }] });
  if (!category.is_active) throw AppError.unprocessable('INCIDENT.CATEGORY_INACTIVE', `The category "${category.name}" no longer takes new incidents.`, { errors: [{ location: 'body', path: '/categoryId', message: 'is deactivated' }] });

  const hash = requestHash(body);
  const replay = async (): Promise<{ incident: Incident; replayed: boolean } | undefined> => {
    if (!idempotencyKey) return undefined;
    const previous = await deps.db('idempotency_keys').where({ caller_id: caller.id, key: idempotencyKey }).first<{ request_hash: string; incident_id: string } | undefined>();
    if (!previous) return undefined;
    if (previous.request_hash !== hash) {
      throw AppError.unprocessable('INCIDENT.IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request; use a new key for a new incident.');
    }
    const row = await findIncident(deps.db, previous.incident_id);
    return row ? { incident: toIncident(row), replayed: true } : undefined;
  };

  const earlier = await replay();
  if (earlier) return earlier;

  const rated = body.impact !== undefined || body.urgency !== undefined;
  const impact = rated ? (body.impact ?? 'MEDIUM') : null;
  const urgency = rated ? (body.urgency ?? 'MEDIUM') : null;
  try {
    const row = await deps.db.transaction(async (trx) => {
      const priority = body.priority ?? (impact && urgency ? await priorityFor(trx, impact, urgency) : 'MEDIUM');
      const policy = await findSlaPolicy(trx, priority);
      const calendar = await effectiveCalendar(trx, category.department_id);
      const createdAt = deps.clock.now();
      const due = dueTimes(calendar.calendar, createdAt, policy);
      const inserted = await insertIncident(trx, {
        title: body.title,
        description: body.description,
        priority,
        impact,
        urgency,
        assigneeId: null,
        slaCalendarId: calendar.id,
        slaCalendarVersion: calendar.version,
        reporterId: caller.id,
        departmentId: category.department_id,
        categoryId: category.id,
        responseDueAt: due.responseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        createdAt,
      });
      await scheduleEscalations(trx, inserted);
      if (idempotencyKey) {
        const claimed = await trx('idempotency_keys')
          .insert({ caller_id: caller.id, key: idempotencyKey, request_hash: hash, incident_id: inserted.id })
          .onConflict(['caller_id', 'key'])
          .ignore()
          .returning('incident_id');
        if (claimed.length === 0) throw new IdempotentReplay();
      }
      await appendTimeline(trx, {
        incidentId: inserted.id,
        action: 'created',
        actorId: caller.id,
        newValue: {
          title: inserted.title,
          status: inserted.status,
          priority: inserted.priority,
          categoryId: inserted.category_id,
          ...(impact ? { impact, urgency, priorityFrom: body.priority ? 'given' : 'matrix' } : {}),
          slaCalendar: { id: calendar.id, name: calendar.name },
        },
        at: rowStamp(deps.clock),
      });
      await deps.outbox.add(trx, 'incident.created', {
        subject: inserted.id,
        time: createdAt,
        data: { incident: toIncidentSnapshot(inserted), actorId: caller.id },
      });
      // What the caller records with the incident (a mail filed as it), in the same transaction.
      await options.within?.(trx, inserted);
      // Routing last: the department's lock is held from the decision to the commit, so as little
      // as possible comes after it.
      return routes(category) ? routeNew(deps, trx, inserted, category.id) : inserted;
    });
    deps.logger.info({ incidentId: row.id, number: row.number }, 'incident created');
    return { incident: toIncident(row), replayed: false };
  } catch (error) {
    if (!(error instanceof IdempotentReplay)) throw error;
    const winner = await replay();
    if (!winner) throw error;
    return winner;
  }
}

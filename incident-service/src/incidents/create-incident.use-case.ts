import { createHash } from 'node:crypto';
import type { Caller } from '@desk/auth';
import type { CreateIncidentBody, Incident } from '@desk/contracts';
import { AppError } from '@desk/platform';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { findCategory } from '../catalog/categories.repository.js';
import { findSlaPolicy } from '../sla/sla-policies.repository.js';
import { dueTimes } from '../sla/sla.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { findIncident, insertIncident, toIncident, toIncidentSnapshot } from './incidents.repository.js';

/** Thrown inside the transaction when a concurrent request with the same key won the race. */
class IdempotentReplay extends Error {}

function requestHash(body: CreateIncidentBody): string {
  return createHash('sha256').update(JSON.stringify([body.title, body.description, body.categoryId, body.priority ?? null])).digest('base64url');
}

/**
 * Files an incident: its department comes from the category, its SLA due times from the
 * priority's policy. With an Idempotency-Key, a retry (a timeout, a double click) returns the
 * incident the first request made instead of filing it twice.
 */
export async function createIncident(
  deps: IncidentDependencies,
  caller: Caller,
  body: CreateIncidentBody,
  idempotencyKey?: string,
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

  const priority = body.priority ?? 'MEDIUM';
  try {
    const row = await deps.db.transaction(async (trx) => {
      const policy = await findSlaPolicy(trx, priority);
      const createdAt = deps.clock.now();
      const due = dueTimes(createdAt, policy);
      const inserted = await insertIncident(trx, {
        title: body.title,
        description: body.description,
        priority,
        reporterId: caller.id,
        departmentId: category.department_id,
        categoryId: category.id,
        responseDueAt: due.responseDueAt,
        resolutionDueAt: due.resolutionDueAt,
        createdAt,
      });
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
        newValue: { title: inserted.title, status: inserted.status, priority: inserted.priority, categoryId: inserted.category_id },
        at: rowStamp(deps.clock),
      });
      await deps.outbox.add(trx, 'incident.created', {
        subject: inserted.id,
        time: createdAt,
        data: { incident: toIncidentSnapshot(inserted), actorId: caller.id },
      });
      return inserted;
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

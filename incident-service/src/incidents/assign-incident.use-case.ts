import type { Caller } from '@desk/auth';
import { type Incident, isFinal, mayAssign } from '@desk/contracts';
import { AppError } from '@desk/platform';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { replica } from '../replica.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { actorOf, factsOf } from './actor.js';
import { incidentErrors } from './incident-errors.js';
import { findIncidentForUpdate, toIncident, toIncidentSnapshot, updateIncident } from './incidents.repository.js';
import { maySee } from './visibility.js';
import { assertVersion, type VersionPrecondition } from './version-precondition.js';

/** PATCH /incidents/{id}/assign: the department's manager or an admin hands it to someone who works there. */
export async function assignIncident(
  deps: IncidentDependencies,
  caller: Caller,
  idOrKey: string,
  assigneeId: string | null,
  expectedVersion: VersionPrecondition | undefined,
): Promise<Incident> {
  const actor = actorOf(caller);
  const row = await deps.db.transaction(async (trx) => {
    const current = await findIncidentForUpdate(trx, idOrKey);
    if (!current || !maySee(actor, factsOf(current), caller.scopes)) throw incidentErrors.notFound();
    if (!mayAssign(actor, factsOf(current))) throw incidentErrors.forbidden('assign it');
    assertVersion(expectedVersion, current.version);
    if (isFinal(current.status)) throw incidentErrors.final(current.status);
    if (assigneeId === current.assignee_id) return current;

    if (assigneeId !== null) {
      const assignee = await replica.findUser(trx, assigneeId);
      const worksThere = assignee?.is_active && (assignee.role === 'staff' || assignee.role === 'manager') && assignee.department_id === current.department_id;
      if (!worksThere) {
        throw AppError.unprocessable('INCIDENT.INVALID_ASSIGNEE', "The assignee must be an active staff member or manager of the incident's department.", {
          errors: [{ location: 'body', path: '/assigneeId', message: "is not active staff or a manager of the incident's department" }],
        });
      }
    }
    const stamp = rowStamp(deps.clock);
    const updated = await updateIncident(trx, current.id, { assignee_id: assigneeId }, stamp);
    await appendTimeline(trx, { incidentId: current.id, action: 'assigned', actorId: caller.id, oldValue: current.assignee_id, newValue: assigneeId, at: stamp });
    await deps.outbox.add(trx, 'incident.assigned', {
      subject: current.id,
      time: deps.clock.now(),
      data: { incident: toIncidentSnapshot(updated), actorId: caller.id, previousAssigneeId: current.assignee_id, assigneeId },
    });
    return updated;
  });
  return toIncident(row);
}

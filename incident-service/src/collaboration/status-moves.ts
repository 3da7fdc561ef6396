import { incidentKey } from '@desk/contracts';
import type { Knex } from 'knex';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { findIncidentForUpdate, toIncidentSnapshot, updateIncident, type IncidentChanges, type IncidentRow } from '../incidents/incidents.repository.js';
import { lateTargets, recordLateTargets } from '../incidents/late-targets.js';
import { endWaitingChanges, recordWaitingEnded } from '../incidents/waiting.use-case.js';
import { appendTimeline } from '../timeline/timeline.repository.js';

type Deps = Pick<IncidentDependencies, 'clock' | 'outbox'>;

/**
 * A status change the platform makes because of a link, outside the lifecycle's own moves: a
 * duplicate closes from any open status, and a child resolves with its parent even from OPEN.
 * Everything else is as for any status change: a wait on the reporter ends, a target met late is
 * marked breached, and the timeline entry and `incident.status_changed` (with the reason, which
 * is what the reporter is told) commit with it. The row must be locked.
 */
export async function moveByLink(deps: Deps, trx: Knex.Transaction, row: IncidentRow, to: 'RESOLVED' | 'CLOSED', actorId: string | null, reason: string): Promise<IncidentRow> {
  const now = deps.clock.now();
  const at = rowStamp(deps.clock);
  const changes: IncidentChanges = { status: to, ...(to === 'RESOLVED' ? { resolved_at: now } : { closed_at: now }) };
  const endsWait = row.waiting_since !== null;
  if (endsWait) Object.assign(changes, await endWaitingChanges(trx, row, now));
  const late = lateTargets(row, changes, now);
  for (const target of late) changes[target === 'response' ? 'response_breached_at' : 'resolution_breached_at'] = now;
  const updated = await updateIncident(trx, row.id, changes, at);
  await appendTimeline(trx, { incidentId: row.id, action: 'status_changed', actorId, oldValue: row.status, newValue: { status: to, reason }, at });
  await deps.outbox.add(trx, 'incident.status_changed', {
    subject: row.id,
    time: now,
    data: { incident: toIncidentSnapshot(updated), actorId, from: row.status, to, reason },
  });
  if (endsWait) await recordWaitingEnded(deps, trx, row, updated, actorId, 'status_changed');
  await recordLateTargets(deps, trx, row, updated, late, now, at);
  return updated;
}

/**
 * Resolving a parent resolves its open children (OPEN or IN_PROGRESS), each with a reason that
 * names the parent, and theirs in turn; the links allow no loops. Runs in the parent's
 * transaction, after it was resolved.
 */
export async function resolveChildren(deps: Deps, trx: Knex.Transaction, parent: IncidentRow, actorId: string | null): Promise<number> {
  const childIds = (await trx('incident_links').where({ source_id: parent.id, type: 'parent_of' }).orderBy('created_at').pluck('target_id')) as string[];
  let resolved = 0;
  for (const childId of childIds) {
    const child = await findIncidentForUpdate(trx, childId);
    if (!child || (child.status !== 'OPEN' && child.status !== 'IN_PROGRESS')) continue;
    const updated = await moveByLink(deps, trx, child, 'RESOLVED', actorId, `resolved with its parent incident ${incidentKey(parent.number)}`);
    resolved += 1 + (await resolveChildren(deps, trx, updated, actorId));
  }
  return resolved;
}

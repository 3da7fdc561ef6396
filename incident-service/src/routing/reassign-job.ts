import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import { rowStamp, type Clock } from '../clock.js';
import { findCategory } from '../catalog/categories.repository.js';
import { INCIDENT_COLUMNS, toIncidentSnapshot, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { decideAssignee, lockDepartmentRouting, routes } from './routing.js';

const WATERMARK = 'routing.departed_assignees';
/** Users written to the replica this long before the watermark are read again (commits land late). */
const OVERLAP_MS = 60_000;
const BATCH = 200;

/**
 * Open incidents whose assignee no longer works their department (deactivated, moved, no longer
 * staff or a manager) go back to the category's routing: to the next person its rule picks, or to
 * no one. The job follows the user replica's changes (`users.replicated_at`) from a watermark, so a
 * round reads only the people who changed; rows are claimed with SKIP LOCKED, so replicas share
 * the work and each incident is handed on once.
 */
export async function reassignDeparted(db: Knex, outbox: Outbox, clock: Clock): Promise<number> {
  const mark = await db('job_watermarks').where({ name: WATERMARK }).first<{ at: Date } | undefined>();
  const since = mark ? new Date(mark.at.getTime() - OVERLAP_MS) : new Date(0);
  const changed = await db('users').select('id', 'replicated_at').where('replicated_at', '>=', since).orderBy('replicated_at');
  let moved = 0;
  for (let index = 0; index < changed.length; index += BATCH) {
    const ids = changed.slice(index, index + BATCH).map((user: { id: string }) => user.id);
    for (let handed = BATCH; handed === BATCH; ) {
      handed = await handOn(db, outbox, clock, ids);
      moved += handed;
    }
  }
  if (changed.length > 0) {
    const newest = (changed[changed.length - 1] as { replicated_at: Date }).replicated_at;
    await db('job_watermarks').insert({ name: WATERMARK, at: newest }).onConflict('name').merge();
  }
  return moved;
}

async function handOn(db: Knex, outbox: Outbox, clock: Clock, userIds: string[]): Promise<number> {
  return db.transaction(async (trx) => {
    const rows = await trx('incidents as i')
      .select<IncidentRow[]>(INCIDENT_COLUMNS.map((column) => `i.${column}`))
      .join('users as u', 'u.id', 'i.assignee_id')
      .whereIn('i.assignee_id', userIds)
      .whereIn('i.status', ['OPEN', 'IN_PROGRESS'])
      .whereRaw("not (u.is_active and u.role in ('staff', 'manager') and u.department_id = i.department_id)")
      .orderBy('i.id')
      .limit(BATCH)
      .forUpdate('i')
      .skipLocked();
    for (const row of rows) {
      const departed = row.assignee_id!;
      await lockDepartmentRouting(trx, row.department_id);
      const category = await findCategory(trx, row.category_id);
      const decision = category && routes(category) ? await decideAssignee(trx, category, [departed]) : { assigneeId: null, rule: null };
      const stamp = rowStamp(clock);
      const updated = await updateIncident(trx, row.id, { assignee_id: decision.assigneeId }, stamp);
      const reason = 'the assignee no longer works in the department';
      await appendTimeline(trx, {
        incidentId: row.id,
        action: 'assigned',
        actorId: null,
        oldValue: departed,
        newValue: { assigneeId: decision.assigneeId, ...(decision.rule ?? {}), reason, ...('skipped' in decision && decision.skipped ? { skipped: decision.skipped } : {}) },
        at: stamp,
      });
      await outbox.add(trx, 'incident.assigned', {
        subject: row.id,
        time: clock.now(),
        data: { incident: toIncidentSnapshot(updated), actorId: null, previousAssigneeId: departed, assigneeId: decision.assigneeId },
      });
    }
    return rows.length;
  });
}

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

/**
 * The open incidents of these people that they no longer may hold, found person by person in
 * the index of open work (assignee, department, id): `offset 0` keeps Postgres from folding the
 * per-person look-up into one scan of every open incident, which it prefers at any size and
 * which reads each one's row (at ten million incidents 0.9 s per batch, and a minute with the
 * `order by id` this query once had: a walk of the whole table in id order).
 */
const DEPARTED = `select c.id from unnest(?::uuid[]) as a(id)
  join users cu on cu.id = a.id
  cross join lateral (select o.id, o.department_id from incidents o where o.assignee_id = a.id and o.status in ('OPEN', 'IN_PROGRESS') offset 0) c
  where not (cu.is_active and cu.role in ('staff', 'manager') and cu.department_id = c.department_id)`;

async function handOn(db: Knex, outbox: Outbox, clock: Clock, userIds: string[]): Promise<number> {
  return db.transaction(async (trx) => {
    // Checked again on the locked rows: an incident may have moved since the look-up.
    const rows = await trx('incidents as i')
      .select<IncidentRow[]>(INCIDENT_COLUMNS.map((column) => `i.${column}`))
      .join('users as u', 'u.id', 'i.assignee_id')
      .whereRaw(`i.id in (${DEPARTED})`, [userIds])
      .whereIn('i.status', ['OPEN', 'IN_PROGRESS'])
      .whereRaw("not (u.is_active and u.role in ('staff', 'manager') and u.department_id = i.department_id)")
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

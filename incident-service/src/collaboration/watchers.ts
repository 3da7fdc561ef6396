import { callerOf, requireScope, type Caller } from '@desk/auth';
import { isFinal, MAX_WATCHERS, mayManageWatchers, watcherCandidatesQuerySchema, type Watcher } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, findIncidentForUpdate, toIncidentSnapshot, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { activePeople } from './people.js';

export const watcherErrors = {
  forbidden: () =>
    AppError.forbidden('WATCHER.FORBIDDEN', "You may watch this incident or stop watching it yourself; adding or removing someone else is for its reporter, the department's staff and managers, and admins."),
  personNotFound: () => AppError.notFound('WATCHER.PERSON_NOT_FOUND', 'There is no active person with this user id.'),
  limit: () => AppError.conflict('WATCHER.LIMIT_REACHED', `The incident already has ${MAX_WATCHERS} watchers, the most one incident may have.`),
};

interface WatcherRow {
  user_id: string;
  full_name: string | null;
  added_by: string | null;
  created_at: Date;
}

const toWatcher = (row: WatcherRow): Watcher => ({ userId: row.user_id, fullName: row.full_name, addedById: row.added_by, createdAt: row.created_at.toISOString() });

async function listWatchers(db: Knex | Knex.Transaction, incidentId: string): Promise<WatcherRow[]> {
  return (await db('incident_watchers as w')
    .leftJoin('users as u', 'u.id', 'w.user_id')
    .select('w.user_id', 'u.full_name', 'w.added_by', 'w.created_at')
    .where('w.incident_id', incidentId)
    .orderBy([{ column: 'w.created_at' }, { column: 'w.user_id' }])) as WatcherRow[];
}

/** `me`, or a user id; anything else names nobody. */
function watcherIdOf(request: Request, caller: Caller): string {
  const raw = request.params.userId;
  if (raw === 'me') return caller.id;
  const parsed = z.uuid().safeParse(raw);
  if (!parsed.success) throw watcherErrors.personNotFound();
  return parsed.data.toLowerCase();
}

/**
 * The incident, locked, and whether the caller may add or remove this person: anyone who may see
 * it, themselves; its reporter, the department's people, admins and service accounts (with
 * `incidents:write`), anyone.
 */
async function lockedFor(deps: IncidentDependencies, trx: Knex.Transaction, caller: Caller, idOrKey: string, userId: string): Promise<IncidentRow> {
  const actor = actorOf(caller);
  const incident = await findIncidentForUpdate(trx, idOrKey);
  if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
  const self = caller.kind === 'user' && userId === caller.id;
  if (!self && caller.kind !== 'service' && !mayManageWatchers(actor, factsOf(incident))) throw watcherErrors.forbidden();
  return incident;
}

/** Adds a watcher; false when they watched it already. */
export async function addWatcher(deps: IncidentDependencies, trx: Knex.Transaction, incident: IncidentRow, userId: string, actorId: string | null): Promise<IncidentRow | undefined> {
  if (incident.watcher_ids.includes(userId)) return undefined;
  if (incident.watcher_ids.length >= MAX_WATCHERS) throw watcherErrors.limit();
  const stamp = rowStamp(deps.clock);
  await trx('incident_watchers').insert({ incident_id: incident.id, user_id: userId, added_by: actorId, ...(stamp ? { created_at: stamp } : {}) });
  const updated = await updateIncident(trx, incident.id, { watcher_ids: [...incident.watcher_ids, userId] }, stamp);
  await appendTimeline(trx, { incidentId: incident.id, action: 'watcher_added', actorId, newValue: { userId }, at: stamp });
  await deps.outbox.add(trx, 'incident.watcher_added', { subject: incident.id, time: deps.clock.now(), data: { incident: toIncidentSnapshot(updated), actorId, watcherId: userId } });
  return updated;
}

/** Watchers: `GET`, `PUT` and `DELETE /incidents/{id}/watchers/{userId}`, mounted under /incidents. */
export function watchersRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/:id/watchers', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    if (!incident || !maySee(actorOf(caller), factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    response.json({ items: (await listWatchers(deps.db, incident.id)).map(toWatcher) });
  });

  // Whom the caller could add: any active person, by name (a reporter adds colleagues this way);
  // for those who may add others only.
  router.get('/:id/watcher-candidates', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const query = parseInput(watcherCandidatesQuerySchema, request.query, 'query');
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    const actor = actorOf(caller);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    if (caller.kind !== 'service' && !mayManageWatchers(actor, factsOf(incident))) throw watcherErrors.forbidden();
    const escaped = query.q.replace(/[\\%_]/g, (character) => `\\${character}`);
    const rows = (await deps.db('users')
      .leftJoin('departments', 'departments.id', 'users.department_id')
      .select('users.id', 'users.full_name', 'departments.name as department_name')
      .where('users.is_active', true)
      .whereNotIn('users.id', [...incident.watcher_ids, incident.reporter_id])
      .whereILike('users.full_name', `%${escaped}%`)
      .orderBy([{ column: 'users.full_name' }, { column: 'users.id' }])
      .limit(query.limit)) as { id: string; full_name: string; department_name: string | null }[];
    response.json({ items: rows.map((row) => ({ id: row.id, fullName: row.full_name, departmentName: row.department_name })) });
  });

  router.put('/:id/watchers/:userId', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const userId = watcherIdOf(request, caller);
    const { added, row } = await deps.db.transaction(async (trx) => {
      const incident = await lockedFor(deps, trx, caller, idOrKey, userId);
      if (!(await activePeople(trx, [userId])).has(userId)) throw watcherErrors.personNotFound();
      if (!incident.watcher_ids.includes(userId) && isFinal(incident.status)) throw incidentErrors.final(incident.status);
      const updated = await addWatcher(deps, trx, incident, userId, caller.id);
      const rows = await listWatchers(trx, incident.id);
      return { added: updated !== undefined, row: rows.find((each) => each.user_id === userId)! };
    });
    response.status(added ? 201 : 200).json(toWatcher(row));
  });

  router.delete('/:id/watchers/:userId', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const userId = watcherIdOf(request, caller);
    await deps.db.transaction(async (trx) => {
      const incident = await lockedFor(deps, trx, caller, idOrKey, userId);
      if (!incident.watcher_ids.includes(userId)) return;
      const stamp = rowStamp(deps.clock);
      await trx('incident_watchers').where({ incident_id: incident.id, user_id: userId }).delete();
      const updated = await updateIncident(trx, incident.id, { watcher_ids: incident.watcher_ids.filter((id) => id !== userId) }, stamp);
      await appendTimeline(trx, { incidentId: incident.id, action: 'watcher_removed', actorId: caller.id, newValue: { userId }, at: stamp });
      await deps.outbox.add(trx, 'incident.watcher_removed', { subject: incident.id, time: deps.clock.now(), data: { incident: toIncidentSnapshot(updated), actorId: caller.id, watcherId: userId } });
    });
    response.status(204).end();
  });

  return router;
}

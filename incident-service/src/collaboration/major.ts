import { callerOf, requireScope, type Caller } from '@desk/auth';
import {
  declareMajorBodySchema,
  incidentKey,
  isFinal,
  majorUpdateBodySchema,
  mayDeclareMajor,
  mayPostMajorUpdate,
  postIncidentReviewBodySchema,
  type MajorIncident,
  type MajorIncidentNotice,
  type MajorUpdate,
  type PostIncidentReview,
} from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, findIncidentForUpdate, INCIDENT_COLUMNS, toIncidentSnapshot, touchIncident, updateIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { majorErrors } from './major-rules.js';


interface MajorRow {
  incident_id: string;
  summary: string;
  declared_by: string;
  declared_at: Date;
  review_what_happened: string | null;
  review_impact: string | null;
  review_follow_ups: string | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  review_updated_at: Date | null;
}

interface UpdateRow {
  id: string;
  incident_id: string;
  message: string;
  author_id: string;
  author_name: string | null;
  created_at: Date;
}

type Db = Knex | Knex.Transaction;


const toUpdate = (row: UpdateRow): MajorUpdate => ({ id: row.id, message: row.message, authorId: row.author_id, authorName: row.author_name, createdAt: row.created_at.toISOString() });

function toReview(row: MajorRow): PostIncidentReview | null {
  if (!row.reviewed_at) return null;
  return {
    whatHappened: row.review_what_happened!,
    impact: row.review_impact!,
    followUps: row.review_follow_ups!,
    writtenById: row.reviewed_by!,
    writtenAt: row.reviewed_at.toISOString(),
    updatedAt: (row.review_updated_at ?? row.reviewed_at).toISOString(),
  };
}

function updatesQuery(db: Db, incidentIds: readonly string[]) {
  return db('major_incident_updates as u')
    .leftJoin('users', 'users.id', 'u.author_id')
    .select<UpdateRow[]>('u.id', 'u.incident_id', 'u.message', 'u.author_id', 'users.full_name as author_name', 'u.created_at')
    .whereIn('u.incident_id', [...incidentIds])
    .orderBy([{ column: 'u.created_at', order: 'desc' }, { column: 'u.id', order: 'desc' }]);
}

async function majorOf(db: Db, incident: IncidentRow): Promise<MajorIncident> {
  const row = (await db('major_incidents').where('incident_id', incident.id).first()) as MajorRow | undefined;
  if (!row) throw majorErrors.notFound();
  const updates = await updatesQuery(db, [incident.id]);
  return {
    incidentId: incident.id,
    key: incidentKey(incident.number),
    title: incident.title,
    status: incident.status,
    summary: row.summary,
    declaredById: row.declared_by,
    declaredAt: row.declared_at.toISOString(),
    updates: updates.map(toUpdate),
    review: toReview(row),
  };
}

/**
 * Everyone a major incident's news is for: its reporter and watchers, and the reporters and
 * watchers of its child incidents. (The department hears through its own channels.)
 */
async function affectedBy(trx: Knex.Transaction, incident: IncidentRow): Promise<string[]> {
  const { rows } = await trx.raw<{ rows: { id: string }[] }>(
    `select distinct id from (
       select reporter_id as id from incidents i join incident_links l on l.target_id = i.id where l.source_id = :id and l.type = 'parent_of'
       union all
       select unnest(watcher_ids) from incidents i join incident_links l on l.target_id = i.id where l.source_id = :id and l.type = 'parent_of'
     ) as children`,
    { id: incident.id },
  );
  return [...new Set([incident.reporter_id, ...incident.watcher_ids, ...rows.map((row) => row.id)])];
}

/** The incident, locked, when the caller may see it; else 404. */
async function lockedVisible(trx: Knex.Transaction, caller: Caller, idOrKey: string): Promise<IncidentRow> {
  const incident = await findIncidentForUpdate(trx, idOrKey);
  if (!incident || !maySee(actorOf(caller), factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
  return incident;
}

/** Major incidents: declaring one, its status updates, its post-incident review; mounted under /incidents. */
export function majorRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/:id/major', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    if (!incident || !maySee(actorOf(caller), factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    response.json(await majorOf(deps.db, incident));
  });

  router.post('/:id/major', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(declareMajorBodySchema, request.body, 'body');
    const major = await deps.db.transaction(async (trx) => {
      const incident = await lockedVisible(trx, caller, idOrKey);
      if (caller.kind !== 'service' && !mayDeclareMajor(actorOf(caller), factsOf(incident))) throw incidentErrors.forbidden('declare a major incident');
      if (incident.is_major) throw majorErrors.alreadyDeclared();
      if (isFinal(incident.status)) throw incidentErrors.final(incident.status);
      const now = deps.clock.now();
      const at = rowStamp(deps.clock);
      await trx('major_incidents').insert({ incident_id: incident.id, summary: body.summary, declared_by: caller.id, declared_at: now });
      const updated = await updateIncident(trx, incident.id, { is_major: true }, at);
      await appendTimeline(trx, { incidentId: incident.id, action: 'major_declared', actorId: caller.id, newValue: { summary: body.summary }, at });
      await deps.outbox.add(trx, 'incident.major_declared', {
        subject: incident.id,
        time: now,
        data: { incident: toIncidentSnapshot(updated), actorId: caller.id, summary: body.summary, affectedUserIds: await affectedBy(trx, updated) },
      });
      return majorOf(trx, updated);
    });
    response.location(`/incidents/${major.incidentId}/major`);
    response.status(201).json(major);
  });

  router.post('/:id/major/updates', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(majorUpdateBodySchema, request.body, 'body');
    const update = await deps.db.transaction(async (trx) => {
      const incident = await lockedVisible(trx, caller, idOrKey);
      if (!incident.is_major) throw majorErrors.notFound();
      if (caller.kind !== 'service' && !mayPostMajorUpdate(actorOf(caller), factsOf(incident))) throw incidentErrors.forbidden('post status updates');
      if (isFinal(incident.status)) throw incidentErrors.final(incident.status);
      const now = deps.clock.now();
      const at = rowStamp(deps.clock);
      const rows: UpdateRow[] = await trx('major_incident_updates')
        .insert({ incident_id: incident.id, message: body.message, author_id: caller.id, created_at: at ?? trx.raw('clock_timestamp()') })
        .returning(['id', 'incident_id', 'message', 'author_id', 'created_at']);
      const inserted = rows[0];
      // News is activity everyone who sees the incident sees: its place in lists moves.
      const touched = await touchIncident(trx, incident.id, at);
      await appendTimeline(trx, { incidentId: incident.id, action: 'major_update_posted', actorId: caller.id, newValue: { updateId: inserted!.id, message: body.message }, at });
      await deps.outbox.add(trx, 'incident.major_update_posted', {
        subject: incident.id,
        time: now,
        data: {
          incident: toIncidentSnapshot(touched),
          actorId: caller.id,
          update: { id: inserted!.id, message: body.message, createdAt: inserted!.created_at.toISOString() },
          affectedUserIds: await affectedBy(trx, touched),
        },
      });
      const author: { full_name: string } | undefined = await trx('users').where('id', caller.id).first('full_name');
      return toUpdate({ ...inserted!, author_name: author?.full_name ?? null });
    });
    response.status(201).json(update);
  });

  router.put('/:id/review', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(postIncidentReviewBodySchema, request.body, 'body');
    const review = await deps.db.transaction(async (trx) => {
      const incident = await lockedVisible(trx, caller, idOrKey);
      if (!incident.is_major) throw majorErrors.notFound();
      if (caller.kind !== 'service' && !mayDeclareMajor(actorOf(caller), factsOf(incident))) throw incidentErrors.forbidden('write the post-incident review');
      const now = deps.clock.now();
      const at = rowStamp(deps.clock);
      const [row] = (await trx('major_incidents')
        .where('incident_id', incident.id)
        .update({
          review_what_happened: body.whatHappened,
          review_impact: body.impact,
          review_follow_ups: body.followUps,
          reviewed_by: trx.raw('coalesce(reviewed_by, ?)', [caller.id]),
          reviewed_at: trx.raw('coalesce(reviewed_at, ?)', [now]),
          review_updated_at: now,
        })
        .returning('*')) as MajorRow[];
      await appendTimeline(trx, { incidentId: incident.id, action: 'review_written', actorId: caller.id, newValue: { whatHappened: body.whatHappened, impact: body.impact, followUps: body.followUps }, at });
      await deps.outbox.add(trx, 'incident.review_written', {
        subject: incident.id,
        time: now,
        data: { incident: toIncidentSnapshot(incident), actorId: caller.id, review: body },
      });
      return toReview(row!)!;
    });
    response.json(review);
  });

  return router;
}

/**
 * `GET /major-incidents`: the ongoing (OPEN or IN_PROGRESS) major incidents that affect the
 * caller, for the portal's banner: those they may see (they watch or reported it, work its
 * department, or are an admin), and those one of whose child incidents they reported or watch.
 */
export function majorNoticesRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const actor = actorOf(caller);
    const majors = (await deps.db('incidents').select(INCIDENT_COLUMNS).where('is_major', true).whereIn('status', ['OPEN', 'IN_PROGRESS'])) as IncidentRow[];
    if (majors.length === 0) {
      response.json({ items: [] });
      return;
    }
    const ids = majors.map((row) => row.id);
    const [declarations, updates, children] = await Promise.all([
      deps.db('major_incidents').whereIn('incident_id', ids) as Promise<MajorRow[]>,
      updatesQuery(deps.db, ids),
      // The caller's own child incidents (reported or watched) of these.
      caller.kind === 'user'
        ? (deps.db('incident_links as l')
            .join('incidents as i', 'i.id', 'l.target_id')
            .select('l.source_id', 'i.number')
            .whereIn('l.source_id', ids)
            .where('l.type', 'parent_of')
            .where((where) => where.where('i.reporter_id', caller.id).orWhereRaw('i.watcher_ids @> array[?]::uuid[]', [caller.id]))
            .orderBy('i.number') as Promise<{ source_id: string; number: string }[]>)
        : Promise.resolve([]),
    ]);
    const items: MajorIncidentNotice[] = [];
    for (const incident of majors) {
      const canOpen = maySee(actor, factsOf(incident), caller.scopes);
      const child = children.find((row) => row.source_id === incident.id);
      if (!canOpen && !child) continue;
      const declaration = declarations.find((row) => row.incident_id === incident.id);
      if (!declaration) continue;
      const latest = updates.find((row) => row.incident_id === incident.id);
      items.push({
        incidentId: incident.id,
        key: incidentKey(incident.number),
        title: incident.title,
        status: incident.status,
        summary: declaration.summary,
        declaredAt: declaration.declared_at.toISOString(),
        latestUpdate: latest ? toUpdate(latest) : null,
        canOpen,
        childKey: child ? incidentKey(child.number) : null,
      });
    }
    items.sort((a, b) => b.declaredAt.localeCompare(a.declaredAt));
    response.json({ items });
  });
  return router;
}

import { callerOf, requireScope, type Caller } from '@desk/auth';
import {
  createIncidentLinkBodySchema,
  incidentKey,
  isFinal,
  mayLink,
  type IncidentLink,
  type IncidentLinkType,
  type IncidentLinkView,
} from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, INCIDENT_COLUMNS, toIncidentSnapshot, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { moveByLink } from './status-moves.js';

const invalid = (detail: string, path = '/targetId') => AppError.unprocessable('LINK.INVALID', detail, { errors: [{ location: 'body', path, message: detail }] });

export const linkErrors = {
  notFound: () => AppError.notFound('LINK.NOT_FOUND', 'This incident has no link with this id that you can see.'),
  exists: (otherKey: string) => AppError.conflict('LINK.EXISTS', `This incident and ${otherKey} are linked already; remove that link first to link them another way.`),
  invalid,
};

/** How a link is kept: once per pair, `child_of` turned round into `parent_of`. */
type StoredType = 'related' | 'duplicate_of' | 'parent_of';

interface LinkRow {
  id: string;
  source_id: string;
  target_id: string;
  type: StoredType;
  created_by: string | null;
  created_at: Date;
}

/** What the other incident is to the one the link is read from. */
function viewFrom(row: Pick<LinkRow, 'source_id' | 'type'>, incidentId: string): IncidentLinkView {
  if (row.source_id === incidentId) return row.type;
  return row.type === 'duplicate_of' ? 'duplicated_by' : row.type === 'parent_of' ? 'child_of' : 'related';
}

const summaryOf = (row: IncidentRow) => ({ id: row.id, key: incidentKey(row.number), title: row.title, status: row.status, priority: row.priority, isMajor: row.is_major });

function toLink(row: LinkRow, from: string, other: IncidentRow): IncidentLink {
  return { id: row.id, type: viewFrom(row, from), incident: summaryOf(other), createdById: row.created_by, createdAt: row.created_at.toISOString() };
}

const namesAnIncident = (value: string) => z.uuid().safeParse(value).success || /^INC-\d{1,18}$/i.test(value);

/** Whether `ancestor` is `descendant` or one of its parents, grandparents, … */
async function isAncestorOrSelf(trx: Knex.Transaction, ancestor: string, descendant: string): Promise<boolean> {
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `with recursive up (id) as (
       select ?::uuid
       union
       select l.source_id from incident_links l join up on l.target_id = up.id where l.type = 'parent_of'
     )
     select 1 from up where id = ? limit 1`,
    [descendant, ancestor],
  );
  return rows.length > 0;
}

/** Both incidents locked, in id order, so two links made at once between the same pair cannot deadlock. */
async function lockPair(trx: Knex.Transaction, a: string, b: string): Promise<Map<string, IncidentRow>> {
  const rows = (await trx('incidents').select(INCIDENT_COLUMNS).whereIn('id', [a, b]).orderBy('id').forUpdate()) as IncidentRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

function mayLinkAs(caller: Caller, incident: IncidentRow): boolean {
  return caller.kind === 'service' || mayLink(actorOf(caller), factsOf(incident));
}

/**
 * Links one incident to another. A duplicate is closed in the same transaction with a reason that
 * names the original (which is what its reporter is told); a `child_of` is kept as the parent's
 * `parent_of`. Both incidents get a timeline entry; `incident.linked` is published for this one.
 */
export async function createLink(deps: IncidentDependencies, caller: Caller, idOrKey: string, body: { type: IncidentLinkType; targetId: string }): Promise<IncidentLink> {
  const actor = actorOf(caller);
  // Found first without locks to learn the ids; then both are locked in id order and read again.
  const [first, firstTarget] = await Promise.all([findIncident(deps.db, idOrKey), namesAnIncident(body.targetId) ? findIncident(deps.db, body.targetId) : undefined]);
  if (!first || !maySee(actor, factsOf(first), caller.scopes)) throw incidentErrors.notFound();
  if (!mayLinkAs(caller, first)) throw incidentErrors.forbidden('link incidents');
  if (!firstTarget || !maySee(actor, factsOf(firstTarget), caller.scopes)) throw invalid('There is no incident with this id or key that you can see.');
  if (firstTarget.id === first.id) throw invalid('An incident cannot be linked to itself.');

  return deps.db.transaction(async (trx) => {
    const locked = await lockPair(trx, first.id, firstTarget.id);
    const incident = locked.get(first.id)!;
    const target = locked.get(firstTarget.id)!;
    const key = incidentKey(incident.number);
    const targetKey = incidentKey(target.number);
    const existing: { id: string } | undefined = await trx('incident_links')
      .whereRaw('least(source_id, target_id) = least(?::uuid, ?::uuid) and greatest(source_id, target_id) = greatest(?::uuid, ?::uuid)', [incident.id, target.id, incident.id, target.id])
      .first('id');
    if (existing) throw linkErrors.exists(targetKey);

    const parentId = body.type === 'parent_of' ? incident.id : body.type === 'child_of' ? target.id : undefined;
    const childId = body.type === 'parent_of' ? target.id : body.type === 'child_of' ? incident.id : undefined;
    if (parentId && childId) {
      const currentParent = (await trx('incident_links').where({ target_id: childId, type: 'parent_of' }).first()) as LinkRow | undefined;
      if (currentParent) {
        const parentRow = await findIncident(trx, currentParent.source_id);
        throw invalid(`${incidentKey((childId === incident.id ? incident : target).number)} already has a parent incident${parentRow ? ` (${incidentKey(parentRow.number)})` : ''}; an incident has one parent.`);
      }
      if (await isAncestorOrSelf(trx, childId, parentId)) throw invalid('That would make a loop of parents and children.');
    }
    if (body.type === 'duplicate_of') {
      if (isFinal(incident.status)) throw invalid(`${key} is ${incident.status} already; only an open incident can be closed as a duplicate.`, '/type');
      if (incident.is_major) throw invalid(`${key} is a major incident; make the other incident its child instead.`, '/type');
      const original = (await trx('incident_links').where({ source_id: target.id, type: 'duplicate_of' }).first()) as LinkRow | undefined;
      if (original) {
        const originalRow = await findIncident(trx, original.target_id);
        throw invalid(`${targetKey} is itself a duplicate${originalRow ? ` of ${incidentKey(originalRow.number)}; link to that one instead` : ''}.`);
      }
    }

    const stored: { source_id: string; target_id: string; type: StoredType } =
      body.type === 'child_of' ? { source_id: target.id, target_id: incident.id, type: 'parent_of' } : { source_id: incident.id, target_id: target.id, type: body.type };
    const at = rowStamp(deps.clock);
    const inserted: LinkRow[] = await trx('incident_links')
      .insert({ ...stored, created_by: caller.id, ...(at ? { created_at: at } : {}) })
      .returning(['id', 'source_id', 'target_id', 'type', 'created_by', 'created_at']);
    const row = inserted[0];
    for (const [self, other] of [
      [incident, target],
      [target, incident],
    ] as const) {
      await appendTimeline(trx, {
        incidentId: self.id,
        action: 'linked',
        actorId: caller.id,
        newValue: { linkId: row!.id, type: viewFrom(row!, self.id), incidentId: other.id, key: incidentKey(other.number) },
        at,
      });
    }
    const closed = body.type === 'duplicate_of' ? await moveByLink(deps, trx, incident, 'CLOSED', caller.id, `duplicate of ${targetKey}`) : incident;
    await deps.outbox.add(trx, 'incident.linked', {
      subject: incident.id,
      time: deps.clock.now(),
      data: { incident: toIncidentSnapshot(closed), actorId: caller.id, link: { id: row!.id, type: body.type, targetId: target.id, targetKey } },
    });
    return toLink(row!, incident.id, target);
  });
}

function linkIdOf(request: Request): string {
  const parsed = z.object({ linkId: z.uuid() }).safeParse(request.params);
  if (!parsed.success) throw linkErrors.notFound();
  return parsed.data.linkId;
}

/** Links between incidents: `GET`/`POST /incidents/{id}/links`, `DELETE /incidents/{id}/links/{linkId}`; mounted under /incidents. */
export function linksRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/:id/links', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const actor = actorOf(caller);
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const rows = (await deps.db('incident_links')
      .select('id', 'source_id', 'target_id', 'type', 'created_by', 'created_at')
      .where('source_id', incident.id)
      .orWhere('target_id', incident.id)
      .orderBy([{ column: 'created_at' }, { column: 'id' }])) as LinkRow[];
    const otherIds = rows.map((row) => (row.source_id === incident.id ? row.target_id : row.source_id));
    const others = new Map(((await deps.db('incidents').select(INCIDENT_COLUMNS).whereIn('id', otherIds)) as IncidentRow[]).map((row) => [row.id, row]));
    // Only links to incidents the caller may see: the others are not there for them.
    const items = rows.flatMap((row) => {
      const other = others.get(row.source_id === incident.id ? row.target_id : row.source_id);
      return other && maySee(actor, factsOf(other), caller.scopes) ? [toLink(row, incident.id, other)] : [];
    });
    response.json({ items });
  });

  router.post('/:id/links', requireScope('incidents:write'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(createIncidentLinkBodySchema, request.body, 'body');
    const link = await createLink(deps, callerOf(request), idOrKey, body);
    response.location(`/incidents/${idOrKey}/links/${link.id}`);
    response.status(201).json(link);
  });

  router.delete('/:id/links/:linkId', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const actor = actorOf(caller);
    const idOrKey = incidentIdOrKey(request);
    const linkId = linkIdOf(request);
    const incident = await findIncident(deps.db, idOrKey);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const link = (await deps.db('incident_links').where('id', linkId).first()) as LinkRow | undefined;
    if (!link || (link.source_id !== incident.id && link.target_id !== incident.id)) throw linkErrors.notFound();
    const otherId = link.source_id === incident.id ? link.target_id : link.source_id;
    const other = await findIncident(deps.db, otherId);
    if (!other || !maySee(actor, factsOf(other), caller.scopes)) throw linkErrors.notFound();
    if (!mayLinkAs(caller, incident)) throw incidentErrors.forbidden('unlink incidents');

    await deps.db.transaction(async (trx) => {
      const locked = await lockPair(trx, link.source_id, link.target_id);
      const deleted: { id: string }[] = await trx('incident_links').where('id', link.id).delete().returning(['id']);
      if (deleted.length === 0) return; // removed meanwhile: the same outcome
      const at = rowStamp(deps.clock);
      const source = locked.get(link.source_id)!;
      const target = locked.get(link.target_id)!;
      for (const [self, peer] of [
        [source, target],
        [target, source],
      ] as const) {
        await appendTimeline(trx, {
          incidentId: self.id,
          action: 'unlinked',
          actorId: caller.id,
          oldValue: { linkId: link.id, type: viewFrom(link, self.id), incidentId: peer.id, key: incidentKey(peer.number) },
          at,
        });
      }
      // Published for the incident the link is kept from, as it was made (`child_of` reads as its parent's `parent_of`).
      await deps.outbox.add(trx, 'incident.unlinked', {
        subject: source.id,
        time: deps.clock.now(),
        data: { incident: toIncidentSnapshot(source), actorId: caller.id, link: { id: link.id, type: link.type, targetId: target.id, targetKey: incidentKey(target.number) } },
      });
    });
    response.status(204).end();
  });

  return router;
}

import { callerOf, requireScope } from '@desk/auth';
import { MAX_MENTIONS, mayUseInternalNotes, mentionableQuerySchema, mentionsIn, type MentionablePerson } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { commentErrors } from '../comments/comment-errors.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { activePeople, actorOfPerson } from './people.js';

const refused = (detail: string) => AppError.unprocessable('COMMENT.MENTION_NOT_ALLOWED', detail, { errors: [{ location: 'body', path: '/content', message: detail }] });

/**
 * The people a comment mentions (`<@id>`), once each, after checking that every one of them may
 * read it: may see the incident, and for an internal note may read internal notes. Anyone else,
 * and an id that names nobody, refuses the whole comment with the same words, so the refusal
 * tells the author nothing about the person they did not already know.
 */
export async function checkMentions(trx: Knex.Transaction, incident: IncidentRow, content: string, isInternal: boolean): Promise<string[]> {
  const ids = mentionsIn(content);
  if (ids.length === 0) return ids;
  if (ids.length > MAX_MENTIONS) throw refused(`A comment may mention at most ${MAX_MENTIONS} people; this one mentions ${ids.length}.`);
  const people = await activePeople(trx, ids);
  const facts = factsOf(incident);
  for (const id of ids) {
    const person = people.get(id);
    const actor = person && actorOfPerson(person);
    const allowed = actor !== undefined && maySee(actor, facts) && (!isInternal || mayUseInternalNotes(actor, facts));
    if (!allowed) {
      throw refused(
        isInternal
          ? `The person mentioned as <@${id}> may not read this incident's internal notes, so nothing was saved. Take the mention out, or write a public comment.`
          : `The person mentioned as <@${id}> may not see this incident, so nothing was saved. Add them as a watcher first, or take the mention out.`,
      );
    }
  }
  return ids;
}

interface CandidateRow {
  id: string;
  full_name: string;
  role: string;
  department_id: string | null;
}

/** `GET /incidents/{id}/mentionable`: who the caller may mention here, by name, for the composer's autocomplete. */
export function mentionsRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/:id/mentionable', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const query = parseInput(mentionableQuerySchema, request.query, 'query');
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    const actor = actorOf(caller);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const internal = query.internal === 'true';
    if (internal && !mayUseInternalNotes(actor, factsOf(incident))) throw commentErrors.internalForbidden();

    const facts = factsOf(incident);
    const search = query.q ? `%${query.q.replace(/[\\%_]/g, (character) => `\\${character}`)}%` : undefined;
    // Everyone who may see it: its reporter, its watchers, the department's staff and managers, admins.
    const builder = deps.db('users')
      .select('id', 'full_name', 'role', 'department_id')
      .where('is_active', true)
      .where((where) => {
        where
          .where('id', incident.reporter_id)
          .orWhereIn('id', incident.watcher_ids)
          .orWhere((department) => department.where('department_id', incident.department_id).whereIn('role', ['staff', 'manager']))
          .orWhere('role', 'admin');
      })
      .orderBy([{ column: 'full_name' }, { column: 'id' }])
      // Enough to fill the page after dropping the caller and, for a note, who may not read it.
      .limit(query.limit * 4 + 1);
    if (caller.kind === 'user') builder.whereNot('id', caller.id);
    if (search) builder.whereILike('full_name', search);
    const rows = (await builder) as CandidateRow[];
    const items: MentionablePerson[] = [];
    for (const row of rows) {
      const person = actorOfPerson({ ...row, role: row.role as never });
      if (internal && !mayUseInternalNotes(person, facts)) continue;
      const relation = row.id === incident.reporter_id ? 'reporter' : incident.watcher_ids.includes(row.id) ? 'watcher' : row.role === 'admin' ? 'admin' : 'department';
      items.push({ id: row.id, fullName: row.full_name, relation });
      if (items.length === query.limit) break;
    }
    response.json({ items });
  });
  return router;
}

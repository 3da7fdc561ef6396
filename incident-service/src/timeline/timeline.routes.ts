import { callerOf, requireScope } from '@desk/auth';
import { mayUseInternalNotes, pageQuerySchema } from '@desk/contracts';
import { bigintIdText, decodeCursor, parseInput, toPage } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { listIncidentPeople, listTimeline } from './timeline.repository.js';

const cursorSchema = z.object({ id: bigintIdText });

/** GET /incidents/{id}/timeline: every change in order; entries about internal notes only for those who may read them. */
export function timelineRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/:id/timeline', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const query = parseInput(pageQuerySchema, request.query, 'query');
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    const actor = actorOf(caller);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const after = query.cursor ? decodeCursor(cursorSchema, query.cursor).id : undefined;
    const entries = await listTimeline(deps.db, {
      incidentId: incident.id,
      includeInternal: mayUseInternalNotes(actor, factsOf(incident)),
      limit: query.limit + 1,
      ...(after ? { afterId: after } : {}),
    });
    response.json(toPage(entries, query.limit, (entry) => entry, (entry) => ({ id: entry.id })));
  });

  // The names of the people on an incident — its reporter, its assignee, whoever acted on it or
  // was assigned it — for anyone who may see the incident, so the timeline and comments can say
  // who; not the directory (that, with emails, is for admins and managers). Someone who appears
  // only through internal notes is left out for those who may not read them.
  router.get('/:id/people', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    const actor = actorOf(caller);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const people = await listIncidentPeople(deps.db, incident.id, mayUseInternalNotes(actor, factsOf(incident)));
    response.json({ items: people });
  });
  return router;
}

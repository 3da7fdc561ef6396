import { callerOf, requireScope } from '@desk/auth';
import {
  assignIncidentBodySchema,
  countIncidentsQuerySchema,
  createIncidentBodySchema,
  listIncidentsQuerySchema,
  startWaitingBodySchema,
  updateIncidentBodySchema,
  type Incident,
} from '@desk/contracts';
import { AppError, parseInput, sendJsonText } from '@desk/platform';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from './actor.js';
import { assignIncident } from './assign-incident.use-case.js';
import { countIncidents } from './count-incidents.use-case.js';
import { createIncident } from './create-incident.use-case.js';
import { incidentErrors } from './incident-errors.js';
import { findIncident, toIncident } from './incidents.repository.js';
import { listIncidents } from './list-incidents.use-case.js';
import { updateIncident } from './update-incident.use-case.js';
import { startWaiting, stopWaiting } from './waiting.use-case.js';
import { type VersionPrecondition } from './version-precondition.js';
import { withPeopleNames } from './people-names.js';
import { maySee } from './visibility.js';

/** An incident is named by its id or its key; anything else cannot name one (404, not 400). */
const idOrKeyParams = z.object({ id: z.union([z.uuid(), z.string().regex(/^INC-\d{1,18}$/i)]) });

export function incidentIdOrKey(request: Request): string {
  const parsed = idOrKeyParams.safeParse(request.params);
  if (!parsed.success) throw incidentErrors.notFound();
  return parsed.data.id;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

const ENTITY_TAG = /^(?:W\/)?"(\d{1,40})"$/;

/**
 * `If-Match` (RFC 9110 §13.1.1): `*`, or one or more ETags (`"7"`, `W/"7"`, `"6", "7"`); else
 * `version` in the body: the version(s) the client last read. Neither: unconditional.
 */
function expectedVersion(request: Request, bodyVersion: number | undefined): VersionPrecondition | undefined {
  const header = request.get('if-match')?.trim();
  if (!header) return bodyVersion === undefined ? undefined : { versions: [String(bodyVersion)] };
  if (header === '*') return { any: true };
  const tags = header.split(',').map((tag) => ENTITY_TAG.exec(tag.trim())?.[1]);
  const versions = tags.filter((version): version is string => version !== undefined);
  if (versions.length !== tags.length) {
    throw AppError.badRequest('VALIDATION.FAILED', 'If-Match must be *, or the ETag(s) the incident was read with, e.g. "3".', {
      errors: [{ location: 'headers', path: '/if-match', message: 'must be * or ETags like "3"' }],
    });
  }
  return { versions };
}

/** The incident with its people's names (see people-names.ts), and its version as the ETag. */
async function sendIncident(deps: IncidentDependencies, response: Response, incident: Incident, status = 200): Promise<void> {
  response.status(status).set('ETag', `"${incident.version}"`).json(await withPeopleNames(deps.db, incident));
}

export function incidentsRouter(deps: IncidentDependencies): Router {
  const router = Router();

  // Before /:id, which would take `stream` for an incident's name.
  router.get('/stream', requireScope('incidents:read'), (request, response) => {
    deps.streams.open(callerOf(request), response, request.get('last-event-id'));
  });

  router.get('/', requireScope('incidents:read'), async (request, response) => {
    const query = parseInput(listIncidentsQuerySchema, request.query, 'query');
    const page = await listIncidents(deps, callerOf(request), query);
    // The items are JSON already (built by Postgres): written out, not parsed and serialised again.
    sendJsonText(response, `{"items":[${page.items.join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`);
  });

  router.get('/count', requireScope('incidents:read'), async (request, response) => {
    const query = parseInput(countIncidentsQuerySchema, request.query, 'query');
    response.json(await countIncidents(deps, callerOf(request), query));
  });

  router.post('/', requireScope('incidents:write'), async (request, response) => {
    const body = parseInput(createIncidentBodySchema, request.body, 'body');
    const key = request.get('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw AppError.badRequest('VALIDATION.FAILED', 'Idempotency-Key must be 1 to 200 visible ASCII characters.', {
        errors: [{ location: 'headers', path: '/idempotency-key', message: 'must be 1 to 200 visible ASCII characters' }],
      });
    }
    const { incident, replayed } = await createIncident(deps, callerOf(request), body, key);
    if (replayed) response.set('Idempotent-Replayed', 'true');
    response.location(`/incidents/${incident.id}`);
    await sendIncident(deps, response, incident, 201);
  });

  router.get('/:id', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const row = await findIncident(deps.db, incidentIdOrKey(request));
    if (!row || !maySee(actorOf(caller), factsOf(row), caller.scopes)) throw incidentErrors.notFound();
    await sendIncident(deps, response, toIncident(row));
  });

  router.patch('/:id', requireScope('incidents:write'), async (request, response) => {
    const id = incidentIdOrKey(request);
    const body = parseInput(updateIncidentBodySchema, request.body, 'body');
    await sendIncident(deps, response, await updateIncident(deps, callerOf(request), id, body, expectedVersion(request, body.version)));
  });

  router.post('/:id/waiting', requireScope('incidents:write'), async (request, response) => {
    const id = incidentIdOrKey(request);
    const body = parseInput(startWaitingBodySchema, request.body, 'body');
    await sendIncident(deps, response, await startWaiting(deps, callerOf(request), id, body.message, expectedVersion(request, body.version)));
  });

  router.delete('/:id/waiting', requireScope('incidents:write'), async (request, response) => {
    const id = incidentIdOrKey(request);
    await sendIncident(deps, response, await stopWaiting(deps, callerOf(request), id, expectedVersion(request, undefined)));
  });

  router.patch('/:id/assign', requireScope('incidents:write'), async (request, response) => {
    const id = incidentIdOrKey(request);
    const body = parseInput(assignIncidentBodySchema, request.body, 'body');
    await sendIncident(deps, response, await assignIncident(deps, callerOf(request), id, body.assigneeId, expectedVersion(request, body.version)));
  });

  return router;
}

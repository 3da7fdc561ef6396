import { callerOf, requireScope, verifySatisfactionLink } from '@desk/auth';
import { incidentKey, putSatisfactionBodySchema, SATISFACTION_CHANGE_DAYS, type PutSatisfactionBody, type Satisfaction } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident, findIncidentForUpdate, toIncidentSnapshot, type IncidentRow } from '../incidents/incidents.repository.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';

interface SatisfactionRow {
  incident_id: string;
  reporter_id: string;
  rating: number;
  comment: string | null;
  first_rated_at: Date;
  updated_at: Date;
}

const DAY_MS = 24 * 3600_000;
const RATEABLE = new Set(['RESOLVED', 'CLOSED']);

const changeableUntil = (row: SatisfactionRow) => new Date(row.first_rated_at.getTime() + SATISFACTION_CHANGE_DAYS * DAY_MS);

/** Whether the incident can be rated (or the rating changed) now, by its reporter. */
function openForRating(incident: IncidentRow, row: SatisfactionRow | undefined, now: Date): boolean {
  return RATEABLE.has(incident.status) && (!row || now < changeableUntil(row));
}

function toSatisfaction(incident: IncidentRow, row: SatisfactionRow | undefined, canRate: boolean): Satisfaction {
  return {
    incidentId: incident.id,
    incidentKey: incidentKey(incident.number),
    rating: row?.rating ?? null,
    comment: row?.comment ?? null,
    ratedAt: row ? row.first_rated_at.toISOString() : null,
    updatedAt: row ? row.updated_at.toISOString() : null,
    changeableUntil: row ? changeableUntil(row).toISOString() : null,
    canRate,
  };
}

const rowOf = (db: Knex | Knex.Transaction, incidentId: string) => db('incident_satisfaction').where('incident_id', incidentId).first() as Promise<SatisfactionRow | undefined>;

/**
 * Records the reporter's rating of a locked incident: refused before it is resolved or closed
 * (`409 SATISFACTION.NOT_RESOLVED`) and after the change window (`409 SATISFACTION.LOCKED`); a
 * timeline entry and `incident.satisfaction_rated` in the same transaction.
 */
async function rate(deps: IncidentDependencies, trx: Knex.Transaction, incident: IncidentRow, reporterId: string, body: PutSatisfactionBody): Promise<Satisfaction> {
  const now = deps.clock.now();
  const previous = await rowOf(trx, incident.id);
  if (!RATEABLE.has(incident.status)) {
    throw AppError.conflict('SATISFACTION.NOT_RESOLVED', `${incidentKey(incident.number)} is ${incident.status.toLowerCase().replace('_', ' ')}: it can be rated once it is resolved or closed.`);
  }
  if (previous && now >= changeableUntil(previous)) {
    throw AppError.conflict('SATISFACTION.LOCKED', `The rating was given on ${previous.first_rated_at.toISOString().slice(0, 10)} and could be changed until ${changeableUntil(previous).toISOString().slice(0, 10)}.`);
  }
  // Left out, the comment stays as it was; null removes it.
  const comment = body.comment === undefined ? (previous?.comment ?? null) : body.comment || null;
  const [row] = await trx('incident_satisfaction')
    .insert({ incident_id: incident.id, reporter_id: reporterId, rating: body.rating, comment, first_rated_at: now, updated_at: now })
    .onConflict('incident_id')
    .merge({ rating: body.rating, comment, updated_at: now })
    .returning<SatisfactionRow[]>(['incident_id', 'reporter_id', 'rating', 'comment', 'first_rated_at', 'updated_at']);
  const at = rowStamp(deps.clock);
  await appendTimeline(trx, {
    incidentId: incident.id,
    action: 'satisfaction_rated',
    actorId: reporterId,
    oldValue: previous ? { rating: previous.rating } : null,
    newValue: { rating: body.rating, comment },
    at,
  });
  await deps.outbox.add(trx, 'incident.satisfaction_rated', {
    subject: incident.id,
    time: now,
    data: { incident: toIncidentSnapshot(incident), actorId: reporterId, rating: body.rating, comment, previousRating: previous?.rating ?? null, ratedAt: row!.first_rated_at.toISOString() },
  });
  return toSatisfaction(incident, row, openForRating(incident, row, now));
}

/** `GET`/`PUT /incidents/{id}/satisfaction`: the rating, for whoever may see the incident; giving it, for its reporter. */
export function satisfactionRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/:id/satisfaction', requireScope('incidents:read'), async (request, response) => {
    const caller = callerOf(request);
    const incident = await findIncident(deps.db, incidentIdOrKey(request));
    if (!incident || !maySee(actorOf(caller), factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    const row = await rowOf(deps.db, incident.id);
    const isReporter = caller.kind === 'user' && caller.id === incident.reporter_id;
    response.json(toSatisfaction(incident, row, isReporter && openForRating(incident, row, deps.clock.now())));
  });

  router.put('/:id/satisfaction', requireScope('incidents:write'), async (request, response) => {
    const caller = callerOf(request);
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(putSatisfactionBodySchema, request.body, 'body');
    const satisfaction = await deps.db.transaction(async (trx) => {
      const incident = await findIncidentForUpdate(trx, idOrKey);
      if (!incident || !maySee(actorOf(caller), factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
      if (caller.kind !== 'user' || caller.id !== incident.reporter_id) {
        throw AppError.forbidden('SATISFACTION.REPORTER_ONLY', 'Only the reporter of the incident may rate it.');
      }
      return rate(deps, trx, incident, caller.id, body);
    });
    response.json(satisfaction);
  });

  return router;
}

const tokenParams = z.object({ token: z.string().min(1).max(2000) });
const invalidLink = () => AppError.notFound('SATISFACTION.LINK_INVALID', 'This rating link is not valid or has expired; sign in and rate the incident on its page.');

/**
 * `PUT /satisfaction/{token}`: the one-click link of the resolution mail, without signing in.
 * The token (signed with SATISFACTION_LINK_SECRET by notification-service) stands for the
 * incident's reporter and that incident only; the rules are those of the signed-in route.
 */
export function satisfactionLinkRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.put('/:token', async (request, response) => {
    const secret = deps.config.SATISFACTION_LINK_SECRET;
    const parsed = tokenParams.safeParse(request.params);
    if (!secret || !parsed.success) throw invalidLink();
    const subject = await verifySatisfactionLink(secret, parsed.data.token);
    if (!subject) throw invalidLink();
    const body = parseInput(putSatisfactionBodySchema, request.body, 'body');
    const satisfaction = await deps.db.transaction(async (trx) => {
      const incident = await findIncidentForUpdate(trx, subject.incidentId);
      // The reporter of an incident never changes; a token for someone else's incident is no link of ours.
      if (!incident || incident.reporter_id !== subject.reporterId) throw invalidLink();
      const reporter = (await trx('users').select('is_active').where('id', subject.reporterId).first()) as { is_active: boolean } | undefined;
      if (!reporter?.is_active) throw invalidLink();
      return rate(deps, trx, incident, subject.reporterId, body);
    });
    response.json(satisfaction);
  });
  return router;
}

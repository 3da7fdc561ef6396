import { incidentSnapshotSchema } from '@desk/contracts';
import { catchUpFrom, internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { latestIncidentChange, upsertIncident } from './incident-replica.repository.js';

export interface IncidentSyncOptions {
  db: Knex;
  logger: Logger;
  incidentUrl: string;
  internalToken?: string | undefined;
}

/**
 * Catches the incident replica up with incident-service's internal listing: everything when it
 * is empty (a new deployment, a lost schema), otherwise what changed since the newest change it
 * holds, less the overlap (CATCH_UP_OVERLAP_MS). Events keep it current between runs; this repairs what events cannot, such as
 * incidents that existed before this service did.
 */
export async function syncIncidents({ db, logger, incidentUrl, internalToken }: IncidentSyncOptions): Promise<number> {
  // From a little before the newest change held: one that committed late is not missed.
  const since = catchUpFrom(await latestIncidentChange(db));
  let incidents = 0;
  for await (const page of internalListing({ baseUrl: incidentUrl, path: '/internal/incidents', item: incidentSnapshotSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const incident of page) await upsertIncident(trx, incident);
    });
    incidents += page.length;
  }
  if (incidents > 0) logger.info({ incidents, since }, 'incident replica caught up with incident-service');
  return incidents;
}

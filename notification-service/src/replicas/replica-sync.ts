import { incidentSnapshotSchema, userSchema } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { latestChange, upsertIncident, upsertUser } from './replicas.repository.js';

export interface ReplicaSyncOptions {
  db: Knex;
  logger: Logger;
  identityUrl: string;
  incidentUrl: string;
  internalToken?: string | undefined;
}

/**
 * Catches the replicas up with their owners' internal listings: everything when a replica is
 * empty (a new deployment, a lost schema), otherwise what changed since the newest change it
 * holds. Events keep the replicas current between runs; this repairs what events cannot, such
 * as users and incidents that existed before this service did.
 */
export async function syncUsers({ db, logger, identityUrl, internalToken }: ReplicaSyncOptions): Promise<number> {
  const since = await latestChange(db, 'users');
  let users = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const user of page) await upsertUser(trx, user);
    });
    users += page.length;
  }
  if (users > 0) logger.info({ users, since }, 'user replica caught up with identity-service');
  return users;
}

export async function syncIncidents({ db, logger, incidentUrl, internalToken }: ReplicaSyncOptions): Promise<number> {
  const since = await latestChange(db, 'incidents');
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

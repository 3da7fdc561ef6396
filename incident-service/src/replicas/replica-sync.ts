import { departmentSchema, userSchema } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { latestUserChange, upsertDepartment, upsertUser } from './replicas.repository.js';

export interface ReplicaSyncOptions {
  db: Knex;
  logger: Logger;
  identityUrl: string;
  internalToken?: string | undefined;
}

/**
 * Catches the user and department replicas up with identity-service from its internal
 * listings: everything when the replica is empty (a new deployment, a lost schema), otherwise
 * what changed since the newest change held. Events keep the replica current between runs;
 * this repairs what events cannot, such as users who existed before this service did.
 */
export async function syncReplicas({ db, logger, identityUrl, internalToken }: ReplicaSyncOptions): Promise<{ departments: number; users: number }> {
  let departments = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/departments', item: departmentSchema, token: internalToken })) {
    for (const department of page) await upsertDepartment(db, department);
    departments += page.length;
  }

  const since = await latestUserChange(db);
  let users = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const user of page) await upsertUser(trx, user);
    });
    users += page.length;
  }
  if (departments + users > 0) logger.info({ departments, users, since }, 'replicas caught up with identity-service');
  return { departments, users };
}

import { departmentSchema, userSchema } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { upsertDepartment, upsertUser } from '../facts/facts.repository.js';

export interface NameSyncOptions {
  db: Knex;
  logger: Logger;
  identityUrl: string;
  internalToken?: string | undefined;
}

/**
 * Catches the department and user names up with identity-service's internal listings (all of
 * them when empty, else what changed since the newest held). Events keep them current between
 * runs; this covers what existed before analytics-service did.
 */
export async function syncNames({ db, logger, identityUrl, internalToken }: NameSyncOptions): Promise<{ departments: number; users: number }> {
  let departments = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/departments', item: departmentSchema, token: internalToken })) {
    for (const department of page) await upsertDepartment(db, department);
    departments += page.length;
  }

  const newest = (await db('users').max('updated_at as newest').first()) as { newest: Date | null } | undefined;
  const since = newest?.newest ? newest.newest.toISOString() : null;
  let users = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const user of page) await upsertUser(trx, user);
    });
    users += page.length;
  }
  if (departments + users > 0) logger.debug({ departments, users, since }, 'names caught up with identity-service');
  return { departments, users };
}

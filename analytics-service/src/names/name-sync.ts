import { departmentSchema, userSchema } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import { upsertDepartment, upsertUser } from '../facts/facts.repository.js';

export interface NameSyncOptions {
  db: Knex;
  logger: Logger;
  identityUrl: string;
  internalToken?: string | undefined;
}

const departmentsResponse = z.object({ items: z.array(departmentSchema) });

/**
 * Catches the department and user names up with identity-service's internal listings (all of
 * them when empty, else what changed since the newest held). Events keep them current between
 * runs; this covers what existed before analytics-service did.
 */
export async function syncNames({ db, logger, identityUrl, internalToken }: NameSyncOptions): Promise<{ departments: number; users: number }> {
  const headers: Record<string, string> = internalToken ? { Authorization: `Bearer ${internalToken}` } : {};
  const response = await fetch(new URL('/internal/departments', identityUrl), { headers, signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`identity-service answered ${response.status} to GET /internal/departments`);
  const { items: departments } = departmentsResponse.parse(await response.json());
  for (const department of departments) await upsertDepartment(db, department);

  const newest = (await db('users').max('updated_at as newest').first()) as { newest: Date | null } | undefined;
  const since = newest?.newest ? newest.newest.toISOString() : null;
  let users = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const user of page) await upsertUser(trx, user);
    });
    users += page.length;
  }
  if (departments.length + users > 0) logger.debug({ departments: departments.length, users, since }, 'names caught up with identity-service');
  return { departments: departments.length, users };
}

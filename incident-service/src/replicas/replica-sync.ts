import { departmentSchema, userSchema } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { z } from 'zod';
import { latestUserChange, upsertDepartment, upsertUser } from './replicas.repository.js';

export interface ReplicaSyncOptions {
  db: Knex;
  logger: Logger;
  identityUrl: string;
  internalToken?: string | undefined;
}

const departmentsResponse = z.object({ items: z.array(departmentSchema) });

/**
 * Catches the user and department replicas up with identity-service from its internal
 * listings: everything when the replica is empty (a new deployment, a lost schema), otherwise
 * what changed since the newest change held. Events keep the replica current between runs;
 * this repairs what events cannot, such as users who existed before this service did.
 */
export async function syncReplicas({ db, logger, identityUrl, internalToken }: ReplicaSyncOptions): Promise<{ departments: number; users: number }> {
  const headers: Record<string, string> = internalToken ? { Authorization: `Bearer ${internalToken}` } : {};
  const get = async <T>(path: string, schema: z.ZodType<T>): Promise<T> => {
    const response = await fetch(new URL(path, identityUrl), { headers, signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`identity-service answered ${response.status} to GET ${path}`);
    return schema.parse(await response.json());
  };

  const { items: departments } = await get('/internal/departments', departmentsResponse);
  for (const department of departments) await upsertDepartment(db, department);

  const since = await latestUserChange(db);
  let users = 0;
  for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
    await db.transaction(async (trx) => {
      for (const user of page) await upsertUser(trx, user);
    });
    users += page.length;
  }
  if (departments.length + users > 0) logger.info({ departments: departments.length, users, since }, 'replicas caught up with identity-service');
  return { departments: departments.length, users };
}

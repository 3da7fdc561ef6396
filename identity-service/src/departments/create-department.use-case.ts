import type { createDepartmentBodySchema, Department } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { publishDepartmentCreated } from './department-events.js';
import { insertDepartment, toDepartment } from './departments.repository.js';

export type CreateDepartmentBody = z.output<typeof createDepartmentBodySchema>;

export async function createDepartment(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  body: CreateDepartmentBody,
): Promise<Department> {
  return db.transaction(async (trx) => {
    const row = await insertDepartment(trx, { name: body.name, description: body.description ?? null });
    if (!row) throw AppError.conflict('DEPARTMENT.NAME_TAKEN', `A department named "${body.name}" already exists.`);
    await publishDepartmentCreated(outbox, trx, row);
    return toDepartment(row);
  });
}

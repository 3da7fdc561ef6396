import type { createDepartmentBodySchema, Department } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { z } from 'zod';
import { recordAudit, type AuditContext } from '../audit/record-audit.js';
import type { IdentityDependencies } from '../dependencies.js';
import { publishDepartmentCreated } from './department-events.js';
import { insertDepartment, toDepartment } from './departments.repository.js';

export type CreateDepartmentBody = z.output<typeof createDepartmentBodySchema>;

export async function createDepartment(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  audit: AuditContext,
  body: CreateDepartmentBody,
): Promise<Department> {
  return db.transaction(async (trx) => {
    const row = await insertDepartment(trx, { name: body.name, description: body.description ?? null });
    if (!row) throw AppError.conflict('DEPARTMENT.NAME_TAKEN', `A department named "${body.name}" already exists.`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another department' }] });
    await publishDepartmentCreated(outbox, trx, row, audit.actor.id);
    const department = toDepartment(row);
    await recordAudit(trx, audit, { action: 'department.created', target: { type: 'department', id: department.id }, before: null, after: department });
    return department;
  });
}

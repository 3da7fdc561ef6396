import type { Department, updateDepartmentBodySchema } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { z } from 'zod';
import { recordAudit, type AuditContext } from '../audit/record-audit.js';
import type { IdentityDependencies } from '../dependencies.js';
import { publishDepartmentUpdated } from './department-events.js';
import {
  findDepartmentByIdForUpdate,
  storedDescription,
  toDepartment,
  updateDepartment,
  type DepartmentChanges,
} from './departments.repository.js';

export type UpdateDepartmentBody = z.output<typeof updateDepartmentBodySchema>;

export function departmentNotFound(id: string): AppError {
  return AppError.notFound('DEPARTMENT.NOT_FOUND', `No department has the id ${id}.`);
}

/**
 * Applies only what differs from the stored department: a PATCH that repeats the current values
 * leaves `updatedAt` alone and publishes nothing, so replicas are not churned by no-op saves.
 */
export async function applyDepartmentUpdate(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  audit: AuditContext,
  id: string,
  body: UpdateDepartmentBody,
): Promise<Department> {
  return db.transaction(async (trx) => {
    const current = await findDepartmentByIdForUpdate(trx, id);
    if (!current) throw departmentNotFound(id);

    const changes: DepartmentChanges = {};
    const changedFields: string[] = [];
    if (body.name !== undefined && body.name !== current.name) {
      changes.name = body.name;
      changedFields.push('name');
    }
    if (body.description !== undefined && storedDescription(body.description) !== current.description) {
      changes.description = storedDescription(body.description);
      changedFields.push('description');
    }
    if (changedFields.length === 0) return toDepartment(current);

    const updated = await updateDepartment(trx, id, changes);
    if (!updated) throw AppError.conflict('DEPARTMENT.NAME_TAKEN', `A department named "${body.name}" already exists.`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another department' }] });
    await publishDepartmentUpdated(outbox, trx, updated, changedFields, audit.actor.id);
    const after = toDepartment(updated);
    await recordAudit(trx, audit, { action: 'department.updated', target: { type: 'department', id }, before: toDepartment(current), after });
    return after;
  });
}

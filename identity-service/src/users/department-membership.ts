import type { UserRole } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Knex } from 'knex';
import { findDepartmentById } from '../departments/departments.repository.js';

/** Staff and managers work a department's incidents: without a department they would see none. */
const ROLES_IN_A_DEPARTMENT: readonly UserRole[] = ['staff', 'manager'];

export function requireDepartmentForRole(role: UserRole, departmentId: string | null): void {
  if (ROLES_IN_A_DEPARTMENT.includes(role) && departmentId === null) {
    throw AppError.unprocessable('USER.DEPARTMENT_REQUIRED', `A ${role} must belong to a department: give a departmentId.`);
  }
}

/** Departments are never deleted, so one found here still exists when the transaction commits. */
export async function requireExistingDepartment(trx: Knex.Transaction, departmentId: string): Promise<void> {
  if (!(await findDepartmentById(trx, departmentId))) {
    throw AppError.unprocessable('USER.DEPARTMENT_NOT_FOUND', `No department has the id ${departmentId}.`);
  }
}

import { DEPARTMENT_REQUIRED_MESSAGE, ROLES_IN_A_DEPARTMENT, type UserRole } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Knex } from 'knex';
import { findDepartmentById } from '../departments/departments.repository.js';

export function requireDepartmentForRole(role: UserRole, departmentId: string | null): void {
  if (ROLES_IN_A_DEPARTMENT.includes(role) && departmentId === null) {
    throw AppError.unprocessable('USER.DEPARTMENT_REQUIRED', DEPARTMENT_REQUIRED_MESSAGE, {
      errors: [{ location: 'body', path: '/departmentId', message: DEPARTMENT_REQUIRED_MESSAGE }],
    });
  }
}

/** Departments are never deleted, so one found here still exists when the transaction commits. */
export async function requireExistingDepartment(trx: Knex.Transaction, departmentId: string): Promise<void> {
  if (!(await findDepartmentById(trx, departmentId))) {
    throw AppError.unprocessable('USER.DEPARTMENT_NOT_FOUND', `No department has the id ${departmentId}.`);
  }
}

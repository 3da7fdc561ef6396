import { auditContextOf, requireRole, requireScope } from '@desk/auth';
import { createDepartmentBodySchema, updateDepartmentBodySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { createDepartment } from './create-department.use-case.js';
import { findDepartmentById, listDepartmentsByName, toDepartment } from './departments.repository.js';
import { applyDepartmentUpdate, departmentNotFound } from './update-department.use-case.js';

const departmentIdParamsSchema = z.object({ id: z.uuid({ error: 'must be a department id (a UUID)' }) });

/** `/departments`: every signed-in caller reads them (forms and filters need them); admins write. */
export function departmentsRouter(deps: IdentityDependencies): Router {
  const router = Router();

  router.get('/', requireScope('users:read'), async (_request, response) => {
    const rows = await listDepartmentsByName(deps.db);
    response.json({ items: rows.map(toDepartment) });
  });

  router.get('/:id', requireScope('users:read'), async (request, response) => {
    const { id } = parseInput(departmentIdParamsSchema, request.params, 'params');
    const row = await findDepartmentById(deps.db, id);
    if (!row) throw departmentNotFound(id);
    response.json(toDepartment(row));
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(createDepartmentBodySchema, request.body, 'body');
    const department = await createDepartment(deps, auditContextOf(request), body);
    response.status(201).location(`/departments/${department.id}`).json(department);
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(departmentIdParamsSchema, request.params, 'params');
    const body = parseInput(updateDepartmentBodySchema, request.body, 'body');
    response.json(await applyDepartmentUpdate(deps, auditContextOf(request), id, body));
  });

  return router;
}

import { auditContextOf, requireRole, requireScope } from '@desk/auth';
import { createCategoryBodySchema, listCategoriesQuerySchema, updateCategoryBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { publishAuditRecorded } from '../audit/audit-events.js';
import type { IncidentDependencies } from '../dependencies.js';
import { replica } from '../replica.js';
import {
  findCategory,
  findCategoryForUpdate,
  insertCategory,
  listCategories,
  toCategory,
  updateCategory,
} from './categories.repository.js';

/** Whether the person is active staff or a manager of the department (who may be given its incidents). */
async function worksIn(db: Knex | Knex.Transaction, userId: string, departmentId: string): Promise<boolean> {
  const user = await replica.findUser(db, userId);
  return Boolean(user?.is_active && (user.role === 'staff' || user.role === 'manager') && user.department_id === departmentId);
}

const idParams = z.object({ id: z.uuid({ error: 'must be a category id (a UUID)' }) });

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/** The catalogue of what can go wrong, per department. Read: signed in; write: admin. */
export function categoriesRouter(deps: IncidentDependencies): Router {
  const router = Router();
  const { db, outbox } = deps;

  router.get('/', requireScope('incidents:read'), async (request, response) => {
    const query = parseInput(listCategoriesQuerySchema, request.query, 'query');
    const rows = await listCategories(db, { ...(query.departmentId ? { departmentId: query.departmentId } : {}), includeInactive: query.includeInactive ?? false });
    response.json({ items: rows.map(toCategory) });
  });

  router.get('/:id', requireScope('incidents:read'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const row = await findCategory(db, id);
    if (!row) throw AppError.notFound('CATEGORY.NOT_FOUND', 'There is no category with this id.');
    response.json(toCategory(row));
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(createCategoryBodySchema, request.body, 'body');
    if (!(await replica.departmentExists(db, body.departmentId))) {
      throw AppError.unprocessable('CATEGORY.DEPARTMENT_NOT_FOUND', 'There is no department with this id.', {
        errors: [{ location: 'body', path: '/departmentId', message: 'is not a department' }],
      });
    }
    const audit = auditContextOf(request);
    const row = await db.transaction(async (trx) => {
      const inserted = await insertCategory(trx, { name: body.name, description: body.description ?? null, departmentId: body.departmentId });
      if (!inserted) return undefined;
      await outbox.add(trx, 'category.created', { subject: inserted.id, data: { category: toCategory(inserted) } });
      await publishAuditRecorded(outbox, trx, audit, { action: 'category.created', target: { type: 'category', id: inserted.id }, before: null, after: toCategory(inserted) });
      return inserted;
    });
    if (!row) throw AppError.conflict('CATEGORY.NAME_TAKEN', `The department already has a category named "${body.name}".`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another category in this department' }] });
    response.status(201).location(`/categories/${row.id}`).json(toCategory(row));
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(updateCategoryBodySchema, request.body, 'body');
    const audit = auditContextOf(request);
    try {
      const row = await db.transaction(async (trx) => {
        const current = await findCategoryForUpdate(trx, id);
        if (!current) throw AppError.notFound('CATEGORY.NOT_FOUND', 'There is no category with this id.');
        const changes: Parameters<typeof updateCategory>[2] = {};
        const changedFields: string[] = [];
        if (body.name !== undefined && body.name !== current.name) {
          changes.name = body.name;
          changedFields.push('name');
        }
        if (body.description !== undefined && body.description !== current.description) {
          changes.description = body.description;
          changedFields.push('description');
        }
        if (body.isActive !== undefined && body.isActive !== current.is_active) {
          changes.is_active = body.isActive;
          changedFields.push('isActive');
        }
        if (body.assignment !== undefined && body.assignment !== current.assignment) {
          changes.assignment = body.assignment;
          changedFields.push('assignment');
        }
        if (body.defaultAssigneeId !== undefined && body.defaultAssigneeId !== current.default_assignee_id) {
          if (body.defaultAssigneeId !== null && !(await worksIn(trx, body.defaultAssigneeId, current.department_id))) {
            throw AppError.unprocessable('CATEGORY.INVALID_ASSIGNEE', "The default assignee must be an active staff member or manager of the category's department.", {
              errors: [{ location: 'body', path: '/defaultAssigneeId', message: "is not active staff or a manager of the category's department" }],
            });
          }
          changes.default_assignee_id = body.defaultAssigneeId;
          changedFields.push('defaultAssigneeId');
        }
        if (body.maxOpenPerPerson !== undefined && body.maxOpenPerPerson !== current.max_open_per_person) {
          changes.max_open_per_person = body.maxOpenPerPerson;
          changedFields.push('maxOpenPerPerson');
        }
        if (changedFields.length === 0) return current;
        const updated = await updateCategory(trx, id, changes);
        await outbox.add(trx, 'category.updated', { subject: id, data: { category: toCategory(updated), changedFields } });
        await publishAuditRecorded(outbox, trx, audit, { action: 'category.updated', target: { type: 'category', id }, before: toCategory(current), after: toCategory(updated) });
        return updated;
      });
      response.json(toCategory(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw AppError.conflict('CATEGORY.NAME_TAKEN', `The department already has a category named "${body.name}".`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another category in this department' }] });
      throw error;
    }
  });

  return router;
}

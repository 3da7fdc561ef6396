import { callerOf, requireRole } from '@desk/auth';
import { type Availability, availabilityQuerySchema, putAvailabilityBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { replica } from '../replica.js';

const userParams = z.object({ userId: z.uuid({ error: 'must be a user id (a UUID)' }) });

interface AvailabilityRow {
  id: string;
  full_name: string;
  role: 'staff' | 'manager';
  department_id: string;
  available: boolean | null;
  open: string;
  updated_at: Date | null;
  updated_by: string | null;
}

function toAvailability(row: AvailabilityRow): Availability {
  return {
    userId: row.id,
    fullName: row.full_name,
    role: row.role,
    departmentId: row.department_id,
    available: row.available ?? true,
    openIncidents: Number(row.open),
    updatedAt: row.updated_at?.toISOString() ?? null,
    updatedBy: row.updated_by,
  };
}

function availabilityQuery(db: Knex | Knex.Transaction): Knex.QueryBuilder {
  return db('users as u')
    .leftJoin('staff_availability as a', 'a.user_id', 'u.id')
    .select(
      'u.id',
      'u.full_name',
      'u.role',
      'u.department_id',
      'a.available',
      'a.updated_at',
      'a.updated_by',
      db.raw("(select count(*) from incidents i where i.assignee_id = u.id and i.status in ('OPEN', 'IN_PROGRESS')) as open"),
    )
    .where('u.is_active', true)
    .whereIn('u.role', ['staff', 'manager'])
    .whereNotNull('u.department_id');
}

/**
 * Who takes new incidents from the routing. `GET /availability`: staff and managers see their
 * department, admins any. `PUT /availability/{userId}`: the person themselves, their department's
 * manager, an admin.
 */
export function availabilityRouter(deps: IncidentDependencies): Router {
  const router = Router();
  const { db } = deps;

  router.get('/', requireRole('staff', 'manager', 'admin'), async (request, response) => {
    const caller = callerOf(request);
    const query = parseInput(availabilityQuerySchema, request.query, 'query');
    const departmentId = query.departmentId ?? caller.departmentId;
    if (caller.role !== 'admin' && departmentId !== caller.departmentId) {
      throw AppError.forbidden('AUTH.FORBIDDEN', 'You may see the availability of your own department only.');
    }
    const rows = await availabilityQuery(db)
      .modify((builder) => {
        if (departmentId) builder.where('u.department_id', departmentId);
      })
      .orderBy('u.full_name')
      .orderBy('u.id')
      .then((result: AvailabilityRow[]) => result);
    response.json({ items: rows.map(toAvailability) });
  });

  router.put('/:userId', requireRole('staff', 'manager', 'admin'), async (request, response) => {
    const caller = callerOf(request);
    const { userId } = parseInput(userParams, request.params, 'params');
    const { available } = parseInput(putAvailabilityBodySchema, request.body, 'body');
    const person = await replica.findUser(db, userId);
    const mayChange = caller.role === 'admin' || caller.id === userId || (caller.role === 'manager' && person !== undefined && person.department_id === caller.departmentId);
    if (!mayChange) {
      if (!person) throw AppError.notFound('AVAILABILITY.USER_NOT_FOUND', 'There is no user with this id.');
      throw AppError.forbidden('AUTH.FORBIDDEN', 'Only the person, their department\'s manager or an admin may change their availability.');
    }
    if (!person) throw AppError.notFound('AVAILABILITY.USER_NOT_FOUND', 'There is no user with this id.');
    if (!person.is_active || (person.role !== 'staff' && person.role !== 'manager') || !person.department_id) {
      throw AppError.unprocessable('AVAILABILITY.NOT_STAFF', 'Availability is kept for active staff and managers of a department only.', {
        errors: [{ location: 'params', path: '/userId', message: 'is not active staff or a manager of a department' }],
      });
    }
    await db('staff_availability')
      .insert({ user_id: userId, available, updated_by: caller.id, updated_at: db.fn.now() })
      .onConflict('user_id')
      .merge();
    const row = await availabilityQuery(db).where('u.id', userId).first<AvailabilityRow>();
    deps.logger.info({ userId, available, by: caller.id }, 'availability changed');
    response.json(toAvailability(row));
  });

  return router;
}

import { auditContextOf, requireRole } from '@desk/auth';
import { calendarAssignmentBodySchema, createCalendarBodySchema, updateCalendarBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { publishAuditRecorded } from '../audit/audit-events.js';
import type { IncidentDependencies } from '../dependencies.js';
import { replica } from '../replica.js';
import {
  type CalendarDefinition,
  type CalendarRow,
  definitionOf,
  definitionProblem,
  departmentsOnDefault,
  findCalendar,
  findCalendarForUpdate,
  findDefaultCalendarForUpdate,
  insertCalendar,
  listCalendars,
  requestRecount,
  toCalendar,
  updateCalendar,
} from './calendars.repository.js';

const idParams = z.object({ id: z.uuid({ error: 'must be a calendar id (a UUID)' }) });
const departmentParams = z.object({ departmentId: z.uuid({ error: 'must be a department id (a UUID)' }) });

const notFound = () => AppError.notFound('CALENDAR.NOT_FOUND', 'There is no calendar with this id.');
const nameTaken = (name: string) =>
  AppError.conflict('CALENDAR.NAME_TAKEN', `There is already a calendar named "${name}".`, { errors: [{ location: 'body', path: '/name', message: 'is already the name of another calendar' }] });

function assertUsable(definition: CalendarDefinition): void {
  const problem = definitionProblem(definition);
  if (problem) {
    throw AppError.unprocessable('CALENDAR.INVALID', `This calendar cannot be used: ${problem.path.slice(1)} ${problem.message}.`, {
      errors: [{ location: 'body', path: problem.path, message: problem.message }],
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/** The departments whose clock runs on this calendar: assigned ones, and for the default every other. */
async function departmentsUsing(trx: Knex.Transaction, calendar: CalendarRow): Promise<string[]> {
  return [...(calendar.department_ids ?? []), ...(calendar.is_default ? await departmentsOnDefault(trx) : [])];
}

/**
 * Business-hours calendars. Staff, managers and admins read them (the SLA they work to); admins
 * write. A change that moves a department's working time (new hours, another calendar, another
 * default) asks the SLA job to recount the department's open incidents: the working minutes they
 * used so far stay, the rest count on the calendar as it is now, and each incident's timeline
 * says so.
 */
export function calendarsRouter(deps: IncidentDependencies): Router {
  const router = Router();
  const { db, outbox } = deps;
  const readers = requireRole('staff', 'manager', 'admin');

  router.get('/', readers, async (_request, response) => {
    response.json({ items: (await listCalendars(db)).map(toCalendar) });
  });

  router.put('/assignments/:departmentId', requireRole('admin'), async (request, response) => {
    const { departmentId } = parseInput(departmentParams, request.params, 'params');
    const { calendarId } = parseInput(calendarAssignmentBodySchema, request.body, 'body');
    if (!(await replica.departmentExists(db, departmentId))) throw AppError.notFound('CALENDAR.DEPARTMENT_NOT_FOUND', 'There is no department with this id.');
    const audit = auditContextOf(request);
    const result = await db.transaction(async (trx) => {
      const defaultCalendar = await findDefaultCalendarForUpdate(trx);
      const target = calendarId ? await findCalendarForUpdate(trx, calendarId) : defaultCalendar;
      if (!target) {
        throw AppError.unprocessable('CALENDAR.UNKNOWN', 'There is no calendar with this id.', { errors: [{ location: 'body', path: '/calendarId', message: 'is not a calendar' }] });
      }
      const before = await trx('department_calendars').select('calendar_id').where({ department_id: departmentId }).first<{ calendar_id: string } | undefined>();
      const beforeId = before?.calendar_id ?? null;
      if (beforeId !== calendarId) {
        if (calendarId) {
          await trx('department_calendars').insert({ department_id: departmentId, calendar_id: calendarId }).onConflict('department_id').merge({ calendar_id: calendarId, updated_at: trx.fn.now() });
        } else {
          await trx('department_calendars').where({ department_id: departmentId }).delete();
        }
        await requestRecount(trx, [departmentId]);
        await publishAuditRecorded(outbox, trx, audit, {
          action: 'calendar.assigned',
          target: { type: 'department', id: departmentId },
          before: { calendarId: beforeId },
          after: { calendarId },
        });
      }
      return { departmentId, calendarId, effectiveCalendarId: target.id };
    });
    deps.logger.info(result, 'department calendar set');
    response.json(result);
  });

  router.get('/:id', readers, async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const row = await findCalendar(db, id);
    if (!row) throw notFound();
    response.json(toCalendar(row));
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(createCalendarBodySchema, request.body, 'body');
    const definition: CalendarDefinition = { timeZone: body.timeZone, week: body.week, holidays: body.holidays ?? [], closures: body.closures ?? [] };
    assertUsable(definition);
    const audit = auditContextOf(request);
    try {
      const row = await db.transaction(async (trx) => {
        let created = await insertCalendar(trx, body.name, definition);
        if (body.isDefault) created = await makeDefault(trx, created);
        await publishAuditRecorded(outbox, trx, audit, { action: 'calendar.created', target: { type: 'calendar', id: created.id }, before: null, after: toCalendar(created) });
        return created;
      });
      response.status(201).location(`/calendars/${row.id}`).json(toCalendar(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(body.name);
      throw error;
    }
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(updateCalendarBodySchema, request.body, 'body');
    const audit = auditContextOf(request);
    try {
      const row = await db.transaction(async (trx) => {
        const current = await findCalendarForUpdate(trx, id);
        if (!current) throw notFound();
        if (body.version !== undefined && body.version !== current.version) {
          throw AppError.preconditionFailed('CALENDAR.VERSION_MISMATCH', `The calendar changed since you read it (it is at version ${current.version}); reload it and make your change again.`);
        }
        const was = definitionOf(current);
        const definition: CalendarDefinition = {
          timeZone: body.timeZone ?? was.timeZone,
          week: body.week ?? was.week,
          holidays: body.holidays ?? was.holidays,
          closures: body.closures ?? was.closures,
        };
        const definitionChanged = JSON.stringify(definition) !== JSON.stringify(was);
        if (definitionChanged) assertUsable(definition);
        const nameChanged = body.name !== undefined && body.name !== current.name;
        if (!definitionChanged && !nameChanged && !(body.isDefault && !current.is_default)) return current;
        let updated = await updateCalendar(trx, current, { ...(nameChanged ? { name: body.name! } : {}), ...(definitionChanged ? { definition } : {}) });
        if (definitionChanged) await requestRecount(trx, await departmentsUsing(trx, updated));
        if (body.isDefault && !current.is_default) updated = await makeDefault(trx, updated);
        await publishAuditRecorded(outbox, trx, audit, { action: 'calendar.updated', target: { type: 'calendar', id }, before: toCalendar(current), after: toCalendar(updated) });
        return updated;
      });
      response.json(toCalendar(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(body.name ?? '');
      throw error;
    }
  });

  router.delete('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const audit = auditContextOf(request);
    await db.transaction(async (trx) => {
      const current = await findCalendarForUpdate(trx, id);
      if (!current) throw notFound();
      if (current.is_default) {
        throw AppError.conflict('CALENDAR.IS_DEFAULT', 'This is the default calendar: make another calendar the default before deleting it.');
      }
      // Its departments fall back to the default calendar (the assignments go with the calendar).
      await requestRecount(trx, current.department_ids ?? []);
      await trx('calendars').where({ id }).delete();
      await publishAuditRecorded(outbox, trx, audit, { action: 'calendar.deleted', target: { type: 'calendar', id }, before: toCalendar(current), after: null });
    });
    response.status(204).end();
  });

  /** Makes `calendar` the default: the departments on the old default and on none move to it. */
  async function makeDefault(trx: Knex.Transaction, calendar: CalendarRow): Promise<CalendarRow> {
    const previous = await findDefaultCalendarForUpdate(trx);
    const moving = await departmentsOnDefault(trx);
    await trx('calendars').where({ id: previous.id }).update({ is_default: false, updated_at: trx.fn.now() });
    await trx('calendars').where({ id: calendar.id }).update({ is_default: true, updated_at: trx.fn.now() });
    await requestRecount(trx, moving);
    return { ...calendar, is_default: true };
  }

  return router;
}

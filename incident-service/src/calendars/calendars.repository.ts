import { type Calendar, type CalendarWeek, WEEKDAYS, type Weekday } from '@desk/contracts';
import type { Knex } from 'knex';
import { ALWAYS_OPEN, calendarProblem, type IsoWeekday, type WorkingCalendar } from '../sla/working-time.js';

type Db = Knex | Knex.Transaction;

/** A calendar as the API and the versions table hold it (closures as ISO instants). */
export interface CalendarDefinition {
  timeZone: string;
  week: CalendarWeek;
  holidays: { date: string; name: string }[];
  closures: { from: string; to: string; reason?: string | null | undefined }[];
}

export interface CalendarRow {
  id: string;
  name: string;
  time_zone: string;
  week: CalendarWeek;
  holidays: CalendarDefinition['holidays'];
  closures: CalendarDefinition['closures'];
  is_default: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
  department_ids?: string[] | null;
}

const CALENDAR_COLUMNS = ['id', 'name', 'time_zone', 'week', 'holidays', 'closures', 'is_default', 'version', 'created_at', 'updated_at'].map((column) => `calendars.${column}`);

export function toCalendar(row: CalendarRow): Calendar {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    week: row.week,
    holidays: row.holidays,
    closures: row.closures,
    isDefault: row.is_default,
    departmentIds: [...(row.department_ids ?? [])].sort(),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function definitionOf(row: Pick<CalendarRow, 'time_zone' | 'week' | 'holidays' | 'closures'>): CalendarDefinition {
  return { timeZone: row.time_zone, week: row.week, holidays: row.holidays, closures: row.closures };
}

/** The definition as the working-time module reads it: ISO weekdays, closures as instants. */
export function workingCalendarOf(definition: CalendarDefinition): WorkingCalendar {
  const week: WorkingCalendar['week'] = {};
  for (const [index, day] of WEEKDAYS.entries()) {
    const hours = definition.week[day];
    if (hours && hours.length > 0) week[(index + 1) as IsoWeekday] = hours;
  }
  return {
    timeZone: definition.timeZone,
    week,
    holidays: definition.holidays,
    closures: definition.closures.map((closure) => ({ from: new Date(closure.from), to: new Date(closure.to), ...(closure.reason ? { reason: closure.reason } : {}) })),
  };
}

/** Why a definition cannot be used, with the JSON pointer of the field at fault; null when it can. */
export function definitionProblem(definition: CalendarDefinition): { path: string; message: string } | null {
  const problem = calendarProblem(workingCalendarOf(definition));
  if (!problem) return null;
  // The module names weekdays by ISO number; the API by name.
  const path = problem.path.replace(/^\/week\/([1-7])/, (_match, day: string) => `/week/${WEEKDAYS[Number(day) - 1] as Weekday}`);
  return { path, message: problem.message };
}

function withDepartments(db: Db): Knex.QueryBuilder {
  return db('calendars')
    .select([...CALENDAR_COLUMNS, db.raw('coalesce((select array_agg(department_id) from department_calendars where calendar_id = calendars.id), array[]::uuid[]) as department_ids')]);
}

export async function listCalendars(db: Db): Promise<CalendarRow[]> {
  return withDepartments(db).orderByRaw('is_default desc, lower(name)');
}

export async function findCalendar(db: Db, id: string): Promise<CalendarRow | undefined> {
  return withDepartments(db).where('calendars.id', id).first<CalendarRow | undefined>();
}

export async function findCalendarForUpdate(trx: Knex.Transaction, id: string): Promise<CalendarRow | undefined> {
  return withDepartments(trx).where('calendars.id', id).forUpdate().first<CalendarRow | undefined>();
}

export async function findDefaultCalendarForUpdate(trx: Knex.Transaction): Promise<CalendarRow> {
  return withDepartments(trx).where('is_default', true).forUpdate().first() as Promise<CalendarRow>;
}

/** A new calendar; a name already taken (in any case) fails with Postgres's unique violation. */
export async function insertCalendar(trx: Knex.Transaction, name: string, definition: CalendarDefinition): Promise<CalendarRow> {
  const rows: CalendarRow[] = await trx('calendars')
    .insert({ name, time_zone: definition.timeZone, week: JSON.stringify(definition.week), holidays: JSON.stringify(definition.holidays), closures: JSON.stringify(definition.closures) })
    .returning(CALENDAR_COLUMNS.map((column) => column.replace('calendars.', '')));
  const row = rows[0]!;
  await trx('calendar_versions').insert({ calendar_id: row.id, version: row.version, definition: JSON.stringify(definition) });
  return { ...row, department_ids: [] };
}

/** Writes a new version of the calendar (its definition kept in calendar_versions). */
export async function updateCalendar(
  trx: Knex.Transaction,
  current: CalendarRow,
  changes: { name?: string; definition?: CalendarDefinition; isDefault?: boolean },
): Promise<CalendarRow> {
  const definition = changes.definition;
  const rows: CalendarRow[] = await trx('calendars')
    .where({ id: current.id })
    .update({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.isDefault !== undefined ? { is_default: changes.isDefault } : {}),
      ...(definition
        ? { time_zone: definition.timeZone, week: JSON.stringify(definition.week), holidays: JSON.stringify(definition.holidays), closures: JSON.stringify(definition.closures), version: current.version + 1 }
        : {}),
      updated_at: trx.fn.now(),
    })
    .returning(CALENDAR_COLUMNS.map((column) => column.replace('calendars.', '')));
  const row = rows[0]!;
  if (definition) await trx('calendar_versions').insert({ calendar_id: row.id, version: row.version, definition: JSON.stringify(definition) });
  return { ...row, department_ids: current.department_ids ?? [] };
}

/** A calendar version never changes once written: each is read from the database once per process. */
const versions = new Map<string, WorkingCalendar>();
const VERSIONS_KEPT = 1_000;

export async function loadWorkingCalendar(db: Db, calendarId: string, version: number): Promise<WorkingCalendar> {
  const key = `${calendarId}:${version}`;
  const known = versions.get(key);
  if (known) return known;
  const row = await db('calendar_versions').select('definition').where({ calendar_id: calendarId, version }).first<{ definition: CalendarDefinition } | undefined>();
  if (!row) throw new Error(`calendar ${calendarId} has no version ${version}`);
  const calendar = workingCalendarOf(row.definition);
  if (versions.size >= VERSIONS_KEPT) versions.delete(versions.keys().next().value!);
  versions.set(key, calendar);
  return calendar;
}

/** The calendar an incident's clock has run on (around the clock for a row loaded without one). */
export async function incidentCalendar(db: Db, row: { sla_calendar_id: string | null; sla_calendar_version: number | null }): Promise<WorkingCalendar> {
  if (!row.sla_calendar_id || !row.sla_calendar_version) return ALWAYS_OPEN;
  return loadWorkingCalendar(db, row.sla_calendar_id, row.sla_calendar_version);
}

export interface EffectiveCalendar {
  id: string;
  version: number;
  name: string;
  calendar: WorkingCalendar;
}

/** The calendar a department's SLA clock runs on now: its own, or the default. */
export async function effectiveCalendar(db: Db, departmentId: string): Promise<EffectiveCalendar> {
  const row = await db('calendars')
    .select('calendars.id', 'calendars.version', 'calendars.name')
    .leftJoin('department_calendars', function () {
      this.on('department_calendars.calendar_id', 'calendars.id').andOnVal('department_calendars.department_id', departmentId);
    })
    .where((query) => query.whereNotNull('department_calendars.department_id').orWhere('calendars.is_default', true))
    .orderByRaw('department_calendars.department_id is null')
    .first<{ id: string; version: number; name: string }>();
  return { ...row, calendar: await loadWorkingCalendar(db, row.id, row.version) };
}

/** Asks the SLA job to recount the open incidents of these departments on their calendar. */
export async function requestRecount(trx: Knex.Transaction, departmentIds: readonly string[]): Promise<void> {
  if (departmentIds.length === 0) return;
  await trx('sla_recounts')
    .insert([...new Set(departmentIds)].sort().map((departmentId) => ({ department_id: departmentId })))
    .onConflict('department_id')
    .merge({ requested_at: trx.fn.now() });
}

/** Departments on the default calendar: every department known here without a calendar of its own. */
export async function departmentsOnDefault(trx: Knex.Transaction): Promise<string[]> {
  const rows = await trx.raw<{ rows: { id: string }[] }>(
    `select id from (select id from departments union select distinct department_id from categories) known
     where id not in (select department_id from department_calendars)`,
  );
  return rows.rows.map((row) => row.id);
}

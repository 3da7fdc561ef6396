import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';
import { incidentPrioritySchema } from './incidents.js';

// Business-hours calendars: when a department's SLA clock runs. incident-service counts response
// and resolution targets in a calendar's working time; due times stay wall-clock instants.

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const clockTime = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: 'must be a time of day, HH:MM from 00:00 to 24:00' });

export const workingHoursSchema = z.strictObject({ start: clockTime, end: clockTime });
export type WorkingHoursBody = z.infer<typeof workingHoursSchema>;

/** A weekday's working hours: none (not worked) or up to four intervals that must not overlap. */
const dayHours = z.array(workingHoursSchema).max(4, { error: 'at most 4 intervals a day' });
export const calendarWeekSchema = z.strictObject(Object.fromEntries(WEEKDAYS.map((day) => [day, dayHours.optional()])) as Record<Weekday, z.ZodOptional<typeof dayHours>>);
export type CalendarWeek = z.infer<typeof calendarWeekSchema>;

export const holidaySchema = z.strictObject({
  date: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }),
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100),
});
export const closureSchema = z.strictObject({
  from: z.iso.datetime({ offset: true, error: 'must be an instant (ISO 8601 with a zone offset)' }),
  to: z.iso.datetime({ offset: true, error: 'must be an instant (ISO 8601 with a zone offset)' }),
  reason: z.string().trim().max(200).nullable().optional(),
});

export const calendarSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** An IANA time zone such as `Europe/Berlin`. */
  timeZone: z.string(),
  week: calendarWeekSchema,
  holidays: z.array(holidaySchema),
  closures: z.array(closureSchema),
  /** The calendar of every department that has none of its own. Exactly one is. */
  isDefault: z.boolean(),
  /** The departments that use this calendar by assignment. */
  departmentIds: z.array(z.uuid()),
  /** Raised by every change: open incidents are recounted on the new version. */
  version: z.number().int().positive(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Calendar = z.infer<typeof calendarSchema>;
export const calendarListSchema = z.object({ items: z.array(calendarSchema) });

const calendarName = z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });

export const createCalendarBodySchema = z.strictObject({
  name: calendarName,
  timeZone: z.string().trim().min(1).max(64),
  week: calendarWeekSchema,
  holidays: z.array(holidaySchema).max(500).optional(),
  closures: z.array(closureSchema).max(500).optional(),
  isDefault: z.literal(true, { error: 'can only be true: make another calendar the default to change it' }).optional(),
});
export type CreateCalendarBody = z.infer<typeof createCalendarBodySchema>;

export const updateCalendarBodySchema = z
  .strictObject({
    name: calendarName.optional(),
    timeZone: z.string().trim().min(1).max(64).optional(),
    week: calendarWeekSchema.optional(),
    holidays: z.array(holidaySchema).max(500).optional(),
    closures: z.array(closureSchema).max(500).optional(),
    isDefault: z.literal(true, { error: 'can only be true: make another calendar the default to change it' }).optional(),
    version: z.number().int().positive().optional(),
  })
  .refine((body) => Object.keys(body).some((key) => key !== 'version'), { error: 'give at least one field to change' });
export type UpdateCalendarBody = z.infer<typeof updateCalendarBodySchema>;

export const calendarAssignmentBodySchema = z.strictObject({
  /** The calendar the department's SLA clock runs on; null: the default calendar. */
  calendarId: z.uuid({ error: 'must be a calendar id (a UUID) or null' }).nullable(),
});
export const calendarAssignmentSchema = z.object({
  departmentId: z.uuid(),
  calendarId: z.uuid().nullable(),
  /** The calendar that applies: the assigned one, or the default. */
  effectiveCalendarId: z.uuid(),
});
export type CalendarAssignment = z.infer<typeof calendarAssignmentSchema>;

// Impact × urgency: the priority matrix, keyed impact first.

const matrixRow = <T extends z.ZodType>(cell: T) => z.strictObject({ HIGH: cell, MEDIUM: cell, LOW: cell });

export const priorityMatrixSchema = z.object({
  /** `matrix[impact][urgency]` is the priority of an incident with that impact and urgency. */
  matrix: matrixRow(matrixRow(incidentPrioritySchema)),
  updatedAt: timestamp,
});
export type PriorityMatrix = z.infer<typeof priorityMatrixSchema>;

/** Every cell must name a priority: an empty one is a 422 naming it (`/matrix/HIGH/LOW`). */
const matrixCell = z.union([incidentPrioritySchema, z.literal(''), z.null()]).optional();
export const updatePriorityMatrixBodySchema = z.strictObject({
  matrix: z.strictObject({ HIGH: matrixRow(matrixCell).partial(), MEDIUM: matrixRow(matrixCell).partial(), LOW: matrixRow(matrixCell).partial() }).partial(),
});
export type UpdatePriorityMatrixBody = z.infer<typeof updatePriorityMatrixBodySchema>;

// Availability: whether someone who works incidents takes new ones from the routing now.

export const availabilitySchema = z.object({
  userId: z.uuid(),
  fullName: z.string(),
  role: z.enum(['staff', 'manager']),
  departmentId: z.uuid(),
  /** Routing gives new incidents only to people who are available. Nobody set: available. */
  available: z.boolean(),
  /** Their incidents OPEN or IN_PROGRESS now. */
  openIncidents: z.number().int().nonnegative(),
  updatedAt: timestamp.nullable(),
  updatedBy: z.uuid().nullable(),
});
export type Availability = z.infer<typeof availabilitySchema>;
export const availabilityListSchema = z.object({ items: z.array(availabilitySchema) });
export const availabilityQuerySchema = z.object({
  /** Staff and managers: their own department (the default). Admins: any. */
  departmentId: z.uuid({ error: 'must be a department id (a UUID)' }).optional(),
});
export const putAvailabilityBodySchema = z.strictObject({ available: z.boolean({ error: 'must be true or false' }) });

/**
 * The administrator's calendar form: each weekday's hours as people type them
 * (`09:00-12:30, 13:30-17:30`, empty for a day off), holidays one per line (`2026-12-25 Christmas
 * Day`). `calendarFromForm` turns it into the API's body; the API checks the rest (overlaps, the
 * time zone) and names the field.
 */
const INSTANT = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})`;
const CLOSURE_LINE = new RegExp(`^(${INSTANT})\\s+(${INSTANT})(\\s+.*)?$`);
const HOURS_LINE = /^\s*$|^\s*([0-2]\d:[0-5]\d)\s*[-–]\s*([0-2]\d:[0-5]\d)\s*(,\s*([0-2]\d:[0-5]\d)\s*[-–]\s*([0-2]\d:[0-5]\d)\s*)*$/;
export const calendarFormSchema = z.object({
  name: z.string().trim().min(1, { error: 'Give the calendar a name.' }).max(100, { error: 'Keep the name under 100 characters.' }),
  timeZone: z.string().min(1, { error: 'Choose the time zone its hours are in.' }),
  week: z.object(
    Object.fromEntries(WEEKDAYS.map((day) => [day, z.string().regex(HOURS_LINE, { error: 'Write hours as 09:00-17:00, several separated by commas, or leave empty for a day off.' })])) as Record<
      Weekday,
      z.ZodString
    >,
  ),
  holidays: z.string().refine((text) => text.split('\n').every((line) => line.trim() === '' || /^\d{4}-\d{2}-\d{2}\s+\S/.test(line.trim())), {
    error: 'One holiday per line: the date (YYYY-MM-DD), then its name.',
  }),
  /** One-off closures, one per line: `from to reason`, each instant ISO 8601 with its offset. */
  closures: z.string().refine((text) => text.split('\n').every((line) => line.trim() === '' || CLOSURE_LINE.test(line.trim())), {
    error: 'One closure per line: from and to as 2026-12-31T12:00+01:00, then why (optional).',
  }),
});
export type CalendarForm = z.infer<typeof calendarFormSchema>;

/** The form's values as the API's calendar fields. */
export function calendarFromForm(form: CalendarForm): {
  name: string;
  timeZone: string;
  week: CalendarWeek;
  holidays: { date: string; name: string }[];
  closures: { from: string; to: string; reason?: string }[];
} {
  const week: CalendarWeek = {};
  for (const day of WEEKDAYS) {
    const hours = form.week[day]
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [start, end] = part.split(/\s*[-–]\s*/);
        return { start: start!, end: end! };
      });
    week[day] = hours;
  }
  const holidays = form.holidays
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => ({ date: line.slice(0, 10), name: line.slice(10).trim() }));
  const closures = form.closures
    .split('\n')
    .map((line) => CLOSURE_LINE.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ from: withSeconds(match[1]!), to: withSeconds(match[2]!), ...(match[3]?.trim() ? { reason: match[3].trim() } : {}) }));
  return { name: form.name, timeZone: form.timeZone, week, holidays, closures };
}

/** `2026-12-31T12:00+01:00` as the API's instants are written (`…T12:00:00+01:00`). */
function withSeconds(instant: string): string {
  return /T\d{2}:\d{2}(Z|[+-])/.test(instant) ? instant.replace(/(T\d{2}:\d{2})/, '$1:00') : instant;
}

/** A calendar as the form shows it. */
export function calendarToForm(calendar: Pick<Calendar, 'name' | 'timeZone' | 'week' | 'holidays' | 'closures'> | null): CalendarForm {
  const nineToFive = '09:00-17:00';
  return {
    name: calendar?.name ?? '',
    timeZone: calendar?.timeZone ?? 'Europe/Berlin',
    week: Object.fromEntries(
      WEEKDAYS.map((day, index) => [
        day,
        calendar ? (calendar.week[day] ?? []).map((hours) => `${hours.start}-${hours.end}`).join(', ') : index < 5 ? nineToFive : '',
      ]),
    ) as Record<Weekday, string>,
    holidays: (calendar?.holidays ?? []).map((holiday) => `${holiday.date} ${holiday.name}`).join('\n'),
    closures: (calendar?.closures ?? []).map((closure) => `${closure.from} ${closure.to}${closure.reason ? ` ${closure.reason}` : ''}`).join('\n'),
  };
}

/** The administrator's routing form for a category. */
export const categoryRoutingFormSchema = z.object({
  assignment: z.enum(['none', 'round_robin', 'least_loaded']),
  defaultAssigneeId: z.string(),
  maxOpenPerPerson: z.string().regex(/^\s*(\d{1,5})?\s*$/, { error: 'A whole number of incidents, or empty for no cap.' }),
});
export type CategoryRoutingForm = z.infer<typeof categoryRoutingFormSchema>;

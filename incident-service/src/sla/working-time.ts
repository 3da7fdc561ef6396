import { DateTime, IANAZone } from 'luxon';

/**
 * Working time: when a desk's clock runs. A calendar names a time zone, the working hours of each
 * weekday, holidays (whole local days off) and one-off closures (ranges of instants). SLA targets
 * count working minutes; due times are the wall-clock instants at which that many working minutes
 * have passed. Everything here is pure: no clock, no database.
 *
 * Local times are read in the calendar's zone with Luxon. On the day clocks go forward, working
 * hours that fall in the skipped hour are shorter (09:00–17:00 with 02:00–03:00 skipped is still
 * 8 h; 01:00–04:00 is 2 h); on the day they go back, the repeated hour counts twice, as the people
 * at work live through it twice.
 */

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** `HH:MM`, 00:00 to 24:00. */
export type ClockTime = string;

export interface WorkingHours {
  start: ClockTime;
  end: ClockTime;
}

export interface WorkingCalendar {
  /** An IANA time zone, such as `Europe/Berlin`. */
  timeZone: string;
  /** The working hours of each weekday; a day that is absent or empty is not worked. */
  week: Partial<Record<IsoWeekday, readonly WorkingHours[]>>;
  /** Whole local days off, `YYYY-MM-DD`. */
  holidays?: readonly { date: string; name: string }[];
  /** One-off closures: no working time from `from` to `to` (instants). */
  closures?: readonly { from: Date; to: Date; reason?: string }[];
}

/** Around the clock, every day: the clock SLA targets used before calendars. */
export const ALWAYS_OPEN: WorkingCalendar = {
  timeZone: 'UTC',
  week: Object.fromEntries(([1, 2, 3, 4, 5, 6, 7] as const).map((day) => [day, [{ start: '00:00', end: '24:00' }]])),
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead a due time is looked for: ten years of calendar days. */
const HORIZON_DAYS = 3_660;

/** Why a calendar cannot be used, or null when it can (the API turns each into a 422). */
export function calendarProblem(calendar: WorkingCalendar): { path: string; message: string } | null {
  if (!IANAZone.isValidZone(calendar.timeZone)) return { path: '/timeZone', message: `is not a known time zone: ${calendar.timeZone}` };
  let worked = false;
  for (const [day, hours] of Object.entries(calendar.week)) {
    const sorted = [...(hours ?? [])].map((interval, index) => ({ ...interval, index, from: minutesOf(interval.start), to: minutesOf(interval.end) }));
    for (const interval of sorted) {
      if (interval.from === null || interval.to === null) return { path: `/week/${day}/${interval.index}`, message: 'must be times from 00:00 to 24:00' };
      if (interval.from >= interval.to) return { path: `/week/${day}/${interval.index}/end`, message: 'must be after the start' };
    }
    sorted.sort((a, b) => a.from! - b.from!);
    for (let i = 1; i < sorted.length; i += 1) {
      if (sorted[i]!.from! < sorted[i - 1]!.to!) return { path: `/week/${day}/${sorted[i]!.index}`, message: 'overlaps other working hours of the same day' };
    }
    if (sorted.length > 0) worked = true;
  }
  if (!worked) return { path: '/week', message: 'must have working hours on at least one day' };
  for (const [index, holiday] of (calendar.holidays ?? []).entries()) {
    if (!DateTime.fromISO(holiday.date, { zone: calendar.timeZone }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(holiday.date)) {
      return { path: `/holidays/${index}/date`, message: 'must be a date, YYYY-MM-DD' };
    }
  }
  for (const [index, closure] of (calendar.closures ?? []).entries()) {
    if (!(closure.to.getTime() > closure.from.getTime())) return { path: `/closures/${index}/to`, message: 'must be after the start' };
  }
  return null;
}

/** The instant at which `minutes` of working time have passed since `start`. */
export function addWorkingMinutes(calendar: WorkingCalendar, start: Date, minutes: number): Date {
  if (!(minutes >= 0) || !Number.isFinite(minutes)) throw new RangeError(`working minutes must be a finite number from 0: ${minutes}`);
  let left = minutes * MINUTE;
  for (const [from, to] of workingIntervals(calendar, start)) {
    const length = to - from;
    if (left <= length) return new Date(from + left);
    left -= length;
  }
  throw new RangeError(`the calendar has no ${minutes} working minutes in the ${HORIZON_DAYS} days after ${start.toISOString()}`);
}

/** How many working minutes lie between two instants (0 when `to` is not after `from`). */
export function workingMinutesBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  for (const [start, end] of workingIntervals(calendar, from)) {
    if (start >= to.getTime()) break;
    total += Math.min(end, to.getTime()) - start;
  }
  return total / MINUTE;
}

/**
 * The end of the `days`-th working day after the local day of `start` (a day counts when it has
 * working hours): "five working days from now". Zero days is `start` itself.
 */
export function endOfWorkingDays(calendar: WorkingCalendar, start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number from 0: ${days}`);
  if (days === 0) return start;
  const compiled = compile(calendar);
  const from = start.getTime();
  const today = Math.floor((from + compiled.zone.offset(from) * MINUTE) / DAY);
  let counted = 0;
  for (let i = 1; i <= HORIZON_DAYS; i += 1) {
    const intervals = intervalsOfDay(compiled, today + i);
    if (intervals.length === 0) continue;
    counted += 1;
    if (counted === days) return new Date(intervals[intervals.length - 1]![1]);
  }
  throw new RangeError(`the calendar has no ${days} working days in the ${HORIZON_DAYS} days after ${start.toISOString()}`);
}

/** A calendar checked once and read quickly: its days' working intervals are kept as computed. */
interface CompiledCalendar {
  zone: IANAZone;
  /** Per ISO weekday, working hours as [from, to) minutes of the local day, in order. */
  week: Map<number, [number, number][]>;
  holidays: Set<string>;
  closures: (readonly [number, number])[];
  /** Working intervals of a local day (by its day number since 1970-01-01), in epoch milliseconds. */
  days: Map<number, [number, number][]>;
}

const compiledCalendars = new WeakMap<WorkingCalendar, CompiledCalendar>();
/** Days kept per calendar: ten years of them. */
const DAYS_KEPT = 3_660;

function compile(calendar: WorkingCalendar): CompiledCalendar {
  const known = compiledCalendars.get(calendar);
  if (known) return known;
  const problem = calendarProblem(calendar);
  if (problem) throw new TypeError(`unusable calendar: ${problem.path} ${problem.message}`);
  const week = new Map<number, [number, number][]>();
  for (const [day, hours] of Object.entries(calendar.week)) {
    week.set(Number(day), [...(hours ?? [])].map((interval): [number, number] => [minutesOf(interval.start)!, minutesOf(interval.end)!]).sort((x, y) => x[0] - y[0]));
  }
  const compiled: CompiledCalendar = {
    zone: IANAZone.create(calendar.timeZone),
    week,
    holidays: new Set((calendar.holidays ?? []).map((holiday) => holiday.date)),
    closures: [...(calendar.closures ?? [])].map((closure) => [closure.from.getTime(), closure.to.getTime()] as const).sort((x, y) => x[0] - y[0]),
    days: new Map(),
  };
  compiledCalendars.set(calendar, compiled);
  return compiled;
}

/** The working intervals of local day number `dayNumber` (days since 1970-01-01 in the calendar's zone). */
function intervalsOfDay(calendar: CompiledCalendar, dayNumber: number): [number, number][] {
  const known = calendar.days.get(dayNumber);
  if (known) return known;
  const date = new Date(dayNumber * DAY);
  const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const iso = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // 1970-01-01 was a Thursday (ISO weekday 4).
  const weekday = (((dayNumber + 3) % 7) + 7) % 7 + 1;
  const intervals: [number, number][] = [];
  if (!calendar.holidays.has(iso)) {
    const local = DateTime.fromObject({ year, month, day }, { zone: calendar.zone });
    for (const [from, to] of calendar.week.get(weekday) ?? []) {
      intervals.push(...withoutClosures(localInstant(local, from), localInstant(local, to), calendar.closures));
    }
  }
  if (calendar.days.size >= DAYS_KEPT) calendar.days.delete(calendar.days.keys().next().value!);
  calendar.days.set(dayNumber, intervals);
  return intervals;
}

/** The working intervals from `start` on, as [from, to) epoch milliseconds, in order. */
function* workingIntervals(calendar: WorkingCalendar, start: Date): Generator<[number, number]> {
  const compiled = compile(calendar);
  const from = start.getTime();
  // From the local day before (a working day may run past midnight in another zone's terms).
  const firstDay = Math.floor((from + compiled.zone.offset(from) * MINUTE) / DAY) - 1;
  for (let i = 0; i < HORIZON_DAYS; i += 1) {
    for (const [open, close] of intervalsOfDay(compiled, firstDay + i)) {
      if (close <= from) continue;
      yield [Math.max(open, from), close];
    }
  }
}

/** [open, close) less every closure, as the pieces left. */
function withoutClosures(open: number, close: number, closures: readonly (readonly [number, number])[]): [number, number][] {
  let pieces: [number, number][] = open < close ? [[open, close]] : [];
  for (const [closedFrom, closedTo] of closures) {
    if (closedTo <= open || closedFrom >= close) continue;
    pieces = pieces.flatMap(([a, b]): [number, number][] => {
      if (closedTo <= a || closedFrom >= b) return [[a, b]];
      const left: [number, number][] = closedFrom > a ? [[a, closedFrom]] : [];
      const right: [number, number][] = closedTo < b ? [[closedTo, b]] : [];
      return [...left, ...right];
    });
  }
  return pieces;
}

/** The instant of a local clock time (minutes of the day) on a local day; 24:00 is the next day's midnight. */
function localInstant(day: DateTime, minutes: number): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}

function minutesOf(time: ClockTime): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

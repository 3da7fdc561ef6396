import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addWorkingMinutes, ALWAYS_OPEN, calendarProblem, workingMinutesBetween, type WorkingCalendar } from './working-time.js';

// The working-time module's table tests: weekends, holidays, time zones, both DST transitions,
// targets over several days, closures, and what makes a calendar unusable.

const office = (timeZone: string, extra: Partial<WorkingCalendar> = {}): WorkingCalendar => ({
  timeZone,
  week: { 1: [{ start: '09:00', end: '17:00' }], 2: [{ start: '09:00', end: '17:00' }], 3: [{ start: '09:00', end: '17:00' }], 4: [{ start: '09:00', end: '17:00' }], 5: [{ start: '09:00', end: '17:00' }] },
  ...extra,
});
const berlin = office('Europe/Berlin');
const newYork = office('America/New_York');
const at = (iso: string) => new Date(iso);

describe('addWorkingMinutes', () => {
  const cases: { name: string; calendar: WorkingCalendar; start: string; minutes: number; due: string }[] = [
    { name: 'within one working day', calendar: berlin, start: '2026-12-01T09:00:00+01:00', minutes: 60, due: '2026-12-01T10:00:00+01:00' },
    { name: 'before opening: the clock starts at 09:00', calendar: berlin, start: '2026-12-01T06:30:00+01:00', minutes: 30, due: '2026-12-01T09:30:00+01:00' },
    { name: 'past closing: the rest runs the next morning', calendar: berlin, start: '2026-12-01T16:00:00+01:00', minutes: 120, due: '2026-12-02T10:00:00+01:00' },
    { name: 'Friday afternoon to Monday morning, the weekend skipped', calendar: berlin, start: '2026-12-04T16:00:00+01:00', minutes: 120, due: '2026-12-07T10:00:00+01:00' },
    { name: 'reported on a Saturday: Monday 09:00 plus the target', calendar: berlin, start: '2026-12-05T11:00:00+01:00', minutes: 15, due: '2026-12-07T09:15:00+01:00' },
    { name: 'a target of several working days (3 × 8 h)', calendar: berlin, start: '2026-12-01T09:00:00+01:00', minutes: 24 * 60, due: '2026-12-03T17:00:00+01:00' },
    { name: 'a target of two weeks of working time crosses two weekends', calendar: berlin, start: '2026-12-07T09:00:00+01:00', minutes: 10 * 8 * 60, due: '2026-12-18T17:00:00+01:00' },
    {
      name: 'a holiday is skipped like a weekend',
      calendar: office('Europe/Berlin', { holidays: [{ date: '2026-12-24', name: 'Christmas Eve' }, { date: '2026-12-25', name: 'Christmas Day' }] }),
      start: '2026-12-23T16:00:00+01:00',
      minutes: 120,
      due: '2026-12-28T10:00:00+01:00',
    },
    {
      name: 'a closure cuts an afternoon out',
      calendar: office('Europe/Berlin', { closures: [{ from: at('2026-12-01T12:00:00+01:00'), to: at('2026-12-01T15:00:00+01:00'), reason: 'Office move' }] }),
      start: '2026-12-01T11:00:00+01:00',
      minutes: 120,
      due: '2026-12-01T16:00:00+01:00',
    },
    { name: 'the same office hours in New York are later in UTC', calendar: newYork, start: '2026-12-01T14:00:00Z', minutes: 60, due: '2026-12-01T15:00:00Z' },
    { name: 'New York: 16:30 local plus an hour is 09:30 the next local day', calendar: newYork, start: '2026-12-01T21:30:00Z', minutes: 60, due: '2026-12-02T14:30:00Z' },
    // Europe/Berlin moves from 02:00 to 03:00 on Sunday 2026-03-29 and back from 03:00 to 02:00 on 2026-10-25.
    { name: 'spring forward: office hours keep 8 h; the offset changes from +01:00 to +02:00', calendar: berlin, start: '2026-03-27T16:00:00+01:00', minutes: 120, due: '2026-03-30T10:00:00+02:00' },
    {
      name: 'spring forward: 01:00–04:00 on the night the clock skips an hour holds 2 h',
      calendar: { timeZone: 'Europe/Berlin', week: { 7: [{ start: '01:00', end: '04:00' }] } },
      start: '2026-03-29T01:00:00+01:00',
      minutes: 150,
      due: '2026-04-05T01:30:00+02:00',
    },
    {
      name: 'fall back: 01:00–04:00 on the night an hour repeats holds 4 h',
      calendar: { timeZone: 'Europe/Berlin', week: { 7: [{ start: '01:00', end: '04:00' }] } },
      start: '2026-10-25T01:00:00+02:00',
      minutes: 230,
      due: '2026-10-25T03:50:00+01:00',
    },
    { name: 'fall back: office hours the Monday after count as usual in +01:00', calendar: berlin, start: '2026-10-23T16:00:00+02:00', minutes: 120, due: '2026-10-26T10:00:00+01:00' },
    { name: 'around the clock is plain addition', calendar: ALWAYS_OPEN, start: '2026-12-05T23:30:00Z', minutes: 90, due: '2026-12-06T01:00:00Z' },
    { name: 'no minutes: the start, when it is working time', calendar: berlin, start: '2026-12-01T10:00:00+01:00', minutes: 0, due: '2026-12-01T10:00:00+01:00' },
    {
      name: 'two intervals a day (lunch closed)',
      calendar: { timeZone: 'Europe/Berlin', week: { 1: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }] } },
      start: '2026-11-30T11:00:00+01:00',
      minutes: 120,
      due: '2026-11-30T14:00:00+01:00',
    },
  ];
  for (const { name, calendar, start, minutes, due } of cases) {
    test(name, () => {
      const got = addWorkingMinutes(calendar, at(start), minutes);
      assert.equal(got.toISOString(), at(due).toISOString());
      // The inverse: between the start and the due time lies exactly the target.
      assert.equal(workingMinutesBetween(calendar, at(start), got), minutes);
    });
  }

  test('a calendar without enough working time in ten years says so', () => {
    const closed = office('Europe/Berlin', { closures: [{ from: at('2026-01-01T00:00:00Z'), to: at('2040-01-01T00:00:00Z') }] });
    assert.throws(() => addWorkingMinutes(closed, at('2026-12-01T09:00:00Z'), 60), /no 60 working minutes/);
  });

  test('negative or endless targets are refused', () => {
    assert.throws(() => addWorkingMinutes(berlin, at('2026-12-01T09:00:00Z'), -1), RangeError);
    assert.throws(() => addWorkingMinutes(berlin, at('2026-12-01T09:00:00Z'), Number.POSITIVE_INFINITY), RangeError);
  });
});

describe('workingMinutesBetween', () => {
  test('a week of office hours is 40 h', () => {
    assert.equal(workingMinutesBetween(berlin, at('2026-11-30T00:00:00+01:00'), at('2026-12-07T00:00:00+01:00')), 40 * 60);
  });
  test('a weekend is no working time', () => {
    assert.equal(workingMinutesBetween(berlin, at('2026-12-05T00:00:00+01:00'), at('2026-12-07T00:00:00+01:00')), 0);
  });
  test('backwards is nothing', () => {
    assert.equal(workingMinutesBetween(berlin, at('2026-12-02T00:00:00Z'), at('2026-12-01T00:00:00Z')), 0);
  });
  test('a change of calendar while an incident is open: what was worked before stays, the rest counts in the new one', () => {
    // Opened Monday 09:00 on office hours, 3 h worked; then the department moves to a 24×7 calendar.
    const opened = at('2026-11-30T09:00:00+01:00');
    const changed = at('2026-11-30T12:00:00+01:00');
    const worked = workingMinutesBetween(berlin, opened, changed);
    assert.equal(worked, 180);
    const due = addWorkingMinutes(ALWAYS_OPEN, changed, 8 * 60 - worked);
    assert.equal(due.toISOString(), at('2026-11-30T17:00:00+01:00').toISOString());
    const dueOvernight = addWorkingMinutes(ALWAYS_OPEN, changed, 16 * 60 - worked);
    assert.equal(dueOvernight.toISOString(), at('2026-12-01T01:00:00+01:00').toISOString(), 'the night now counts');
  });
});

describe('calendarProblem', () => {
  const cases: { name: string; calendar: WorkingCalendar; path: string | null }[] = [
    { name: 'office hours are fine', calendar: berlin, path: null },
    { name: 'an unknown time zone', calendar: office('Mars/Olympus_Mons'), path: '/timeZone' },
    { name: 'overlapping hours on one day', calendar: { timeZone: 'UTC', week: { 1: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } }, path: '/week/1/1' },
    { name: 'an end before the start', calendar: { timeZone: 'UTC', week: { 2: [{ start: '17:00', end: '09:00' }] } }, path: '/week/2/0/end' },
    { name: 'a time that is not a time', calendar: { timeZone: 'UTC', week: { 3: [{ start: '9am', end: '17:00' }] } }, path: '/week/3/0' },
    { name: 'no working hours at all', calendar: { timeZone: 'UTC', week: {} }, path: '/week' },
    { name: 'a holiday that is not a date', calendar: office('UTC', { holidays: [{ date: '2026-02-30', name: 'Nonsense' }] }), path: '/holidays/0/date' },
    { name: 'a closure that ends before it starts', calendar: office('UTC', { closures: [{ from: at('2026-12-02T00:00:00Z'), to: at('2026-12-01T00:00:00Z') }] }), path: '/closures/0/to' },
  ];
  for (const { name, calendar, path } of cases) {
    test(name, () => assert.equal(calendarProblem(calendar)?.path ?? null, path));
  }
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dueTimes, recountClock, retarget, type SlaClockFields } from './sla.js';
import { ALWAYS_OPEN, type WorkingCalendar } from './working-time.js';

const nineToFive = [{ start: '09:00', end: '17:00' }];
/** Mondays to Fridays 09:00–17:00 in Berlin. */
const berlin: WorkingCalendar = { timeZone: 'Europe/Berlin', week: { 1: nineToFive, 2: nineToFive, 3: nineToFive, 4: nineToFive, 5: nineToFive } };
/** The same hours in New York. */
const newYork: WorkingCalendar = { ...berlin, timeZone: 'America/New_York' };

const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An incident reported at `reported` on `calendar` with `targets`, its clock as the service starts it. */
function reportedAt(reported: string, calendar: WorkingCalendar, targets = { responseMinutes: 60, resolutionMinutes: 16 * 60 }): SlaClockFields {
  const created = at(reported);
  const due = dueTimes(calendar, created, targets);
  return {
    status: 'OPEN',
    responded_at: null,
    response_due_at: due.responseDueAt,
    resolution_due_at: due.resolutionDueAt,
    response_breached_at: null,
    resolution_breached_at: null,
    sla_checkpoint_at: created,
    created_at: created,
    response_elapsed_minutes: 0,
    resolution_elapsed_minutes: 0,
    waiting_since: null,
  };
}

describe("an incident's SLA clock", () => {
  test('without pauses or changes, due times are the report plus the targets in working time', () => {
    // Monday 7 December 2026, 10:00 Berlin (09:00Z): 1 h → 11:00; 16 h → 7 on Monday, 8 on Tuesday, 1 on Wednesday → Wednesday 10:00 (09:00Z).
    const clock = reportedAt('2026-12-07T09:00:00Z', berlin);
    assert.equal(iso(clock.response_due_at), '2026-12-07T10:00:00.000Z');
    assert.equal(iso(clock.resolution_due_at), '2026-12-09T09:00:00.000Z');
  });

  const table: { name: string; run: () => Pick<SlaClockFields, 'response_due_at' | 'resolution_due_at'>; response: string | null; resolution: string | null }[] = [
    {
      name: 'paused for a working day: the resolution moves by that day, the response (met) stays',
      run: () => {
        const start = { ...reportedAt('2026-12-07T09:00:00Z', berlin), status: 'IN_PROGRESS' as const, responded_at: at('2026-12-07T09:30:00Z') };
        // Waits from Monday 12:00 Berlin (2 h of resolution used) to Tuesday 12:00.
        const paused = { ...start, ...recountClock(start, { used: berlin, next: berlin, targets: { responseMinutes: 60, resolutionMinutes: 960 }, now: at('2026-12-07T11:00:00Z'), waiting: true }) };
        assert.equal(paused.resolution_due_at, null);
        const waiting = { ...paused, waiting_since: at('2026-12-07T11:00:00Z') };
        return { ...waiting, ...recountClock(waiting, { used: berlin, next: berlin, targets: { responseMinutes: 60, resolutionMinutes: 960 }, now: at('2026-12-08T11:00:00Z'), waiting: false }), waiting_since: null };
      },
      // 14 h left from Tuesday 12:00: 5 h Tuesday, 8 h Wednesday, 1 h Thursday → Thursday 10:00 Berlin.
      response: '2026-12-07T10:00:00.000Z',
      resolution: '2026-12-10T09:00:00.000Z',
    },
    {
      name: 'the calendar changes mid-way: the minutes used stay, the rest counts in the new zone',
      run: () => {
        const start = reportedAt('2026-12-07T09:00:00Z', berlin);
        // At Monday 13:00 Berlin (12:00Z) the department moves to New York hours: 3 h used, 13 h left from 07:00 New York.
        return { ...start, ...recountClock(start, { used: berlin, next: newYork, targets: { responseMinutes: 60, resolutionMinutes: 960 }, now: at('2026-12-07T12:00:00Z'), waiting: false }) };
      },
      // Response: 1 h target, already 3 h used → due at the change (it is late). Resolution: Monday 09:00–17:00 New York (8 h) and 5 h Tuesday → 14:00 New York (19:00Z).
      response: '2026-12-07T12:00:00.000Z',
      resolution: '2026-12-08T19:00:00.000Z',
    },
    {
      name: 'a priority change on the same calendar counts the new targets from the report',
      run: () => {
        const start = reportedAt('2026-12-07T09:00:00Z', berlin);
        return { ...start, ...retarget(start, berlin, { responseMinutes: 15, resolutionMinutes: 240 }) };
      },
      response: '2026-12-07T09:15:00.000Z',
      resolution: '2026-12-07T13:00:00.000Z',
    },
    {
      name: 'met and missed targets keep their due times whatever happens',
      run: () => {
        const start = { ...reportedAt('2026-12-07T09:00:00Z', berlin), status: 'IN_PROGRESS' as const, responded_at: at('2026-12-07T09:10:00Z'), resolution_breached_at: at('2026-12-08T16:00:00Z') };
        return { ...start, ...recountClock(start, { used: berlin, next: ALWAYS_OPEN, targets: { responseMinutes: 1, resolutionMinutes: 1 }, now: at('2026-12-09T09:00:00Z'), waiting: false }) };
      },
      response: '2026-12-07T10:00:00.000Z',
      resolution: '2026-12-09T09:00:00.000Z',
    },
  ];

  for (const row of table) {
    test(row.name, () => {
      const result = row.run();
      assert.equal(iso(result.response_due_at), row.response);
      assert.equal(iso(result.resolution_due_at), row.resolution);
    });
  }

  test('working minutes used are counted up to any instant, without the pause', () => {
    const start = { ...reportedAt('2026-12-07T09:00:00Z', berlin), status: 'IN_PROGRESS' as const, responded_at: at('2026-12-07T09:30:00Z') };
    // Monday 10:00–17:00 Berlin is 7 h; the response took 30 min.
    const used = (row: SlaClockFields, when: string) => {
      const clock = recountClock(row, { used: berlin, next: berlin, targets: { responseMinutes: 60, resolutionMinutes: 960 }, now: at(when), waiting: row.waiting_since !== null });
      return { response: clock.response_elapsed_minutes, resolution: clock.resolution_elapsed_minutes };
    };
    assert.deepEqual(used(start, '2026-12-07T18:00:00Z'), { response: 30, resolution: 420 });
    const waiting = { ...start, ...recountClock(start, { used: berlin, next: berlin, targets: { responseMinutes: 60, resolutionMinutes: 960 }, now: at('2026-12-07T11:00:00Z'), waiting: true }), waiting_since: at('2026-12-07T11:00:00Z') };
    assert.deepEqual(used(waiting, '2026-12-09T18:00:00Z'), { response: 30, resolution: 120 });
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { seededRandom } from '@desk/platform';
import { DAY_MS, RESOLUTION_SHIFT, RESPONSE_SHIFT, STATUS_NUMBER, TARGET_BREACHED, TARGET_MET, TARGET_OPEN, EVER_RESOLVED, REOPENED } from './fact-codes.js';
import { FactColumns, type FactRow } from './fact-store.js';
import { intervalStart, summarize, trend, workload, type FactFilter } from './figures.js';
import { PERIOD_MS } from './rollup.js';

// The figures come from the rollup (blocks per group and period, the edges of a window fact by
// fact, the open facts); here they are checked against the plainest reading of the same facts:
// every fact looked at, durations sorted.


const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN = 70 * DAY_MS;

function world(seed: number) {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const departments = [randomUUID(), randomUUID(), randomUUID()];
  const categories = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const people = [randomUUID(), randomUUID(), randomUUID()];
  // Times to the millisecond, and some to the microsecond, as Postgres keeps them.
  const time = (from: number, span: number) => from + Math.floor(next() * span) + (next() < 0.3 ? Math.floor(next() * 1000) / 1000 : 0);
  const make = (id: string, created: number): FactRow => {
    const status = pick(INCIDENT_STATUSES);
    // Some answered at once or within a millisecond (bucket 0), the rest within three days.
    const answered = () => (next() < 0.05 ? created : next() < 0.05 ? created + 0.5 : time(created, 3 * DAY_MS));
    const responded = status === 'OPEN' && next() < 0.8 ? null : next() < 0.9 ? answered() : null;
    const resolved = status === 'RESOLVED' || status === 'CLOSED' || (status === 'OPEN' && next() < 0.1) ? time(created, 10 * DAY_MS) : null;
    // Some durations repeat exactly (whole minutes), so equal values sit in the sorted blocks.
    const roundResolved = resolved !== null && next() < 0.3 ? created + Math.ceil((resolved - created) / 60_000) * 60_000 : resolved;
    return {
      id,
      status,
      priority: pick(INCIDENT_PRIORITIES),
      department_id: pick(departments),
      category_id: pick(categories),
      assignee_id: next() < 0.2 ? null : pick(people),
      created_ms: created,
      responded_ms: responded,
      resolved_ms: roundResolved,
      response_due_ms: next() < 0.1 ? null : created + Math.floor(next() * 2 * DAY_MS),
      resolution_due_ms: next() < 0.1 ? null : created + Math.floor(next() * 6 * DAY_MS),
      response_breached: next() < 0.1,
      resolution_breached: next() < 0.1,
      reopen_count: next() < 0.1 ? 1 : 0,
    };
  };
  return { next, pick, departments, categories, time, make };
}

/** Every fact looked at: the figures as the plainest code reads them. */
function plainSummary(facts: FactColumns, filter: FactFilter, now: number) {
  const matches = plainMatcher(facts, filter);
  const acknowledge: number[] = [];
  const resolve: number[] = [];
  const byStatus = new Array<number>(INCIDENT_STATUSES.length).fill(0);
  const byPriority = new Array<number>(INCIDENT_PRIORITIES.length).fill(0);
  const target = { response: [0, 0, 0], resolution: [0, 0, 0] };
  let total = 0;
  let everResolved = 0;
  let reopened = 0;
  for (let i = 0; i < facts.length; i++) {
    if (!matches(i)) continue;
    total++;
    byStatus[facts.status[i]!]!++;
    byPriority[facts.priority[i]!]!++;
    if (!Number.isNaN(facts.acknowledge[i]!)) acknowledge.push(facts.acknowledge[i]!);
    if (!Number.isNaN(facts.resolve[i]!)) resolve.push(facts.resolve[i]!);
    const mark = facts.marks[i]!;
    for (const [name, shift, due] of [['response', RESPONSE_SHIFT, facts.responseDue[i]!], ['resolution', RESOLUTION_SHIFT, facts.resolutionDue[i]!]] as const) {
      const outcome = (mark >> shift) & 3;
      if (outcome === TARGET_MET) target[name][0]!++;
      else if (outcome === TARGET_BREACHED || (outcome === TARGET_OPEN && now > due)) target[name][1]!++;
      else if (outcome === TARGET_OPEN) target[name][2]!++;
    }
    if (mark & EVER_RESOLVED) everResolved++;
    if (mark & REOPENED) reopened++;
  }
  const quantile = (values: number[], p: number) => {
    if (values.length === 0) return null;
    const sorted = [...values].sort((a, b) => a - b);
    const position = p * (sorted.length - 1);
    const lower = Math.floor(position);
    return sorted[lower]! + (sorted[Math.ceil(position)]! - sorted[lower]!) * (position - lower);
  };
  const ms = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);
  const stats = (values: number[]) => ({
    count: values.length,
    meanSeconds: values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length,
    medianSeconds: ms(quantile(values, 0.5)),
    p90Seconds: ms(quantile(values, 0.9)),
  });
  const targetStats = ([met, breached, pending]: number[]) => ({ met: met!, breached: breached!, pending: pending!, compliance: met! + breached! === 0 ? null : met! / (met! + breached!) });
  return {
    total,
    byStatus: Object.fromEntries(INCIDENT_STATUSES.map((name, index) => [name, byStatus[index]])),
    byPriority: Object.fromEntries(INCIDENT_PRIORITIES.map((name, index) => [name, byPriority[index]])),
    openBacklog: byStatus[STATUS_NUMBER.OPEN]! + byStatus[STATUS_NUMBER.IN_PROGRESS]!,
    mtta: stats(acknowledge),
    mttr: stats(resolve),
    sla: { response: targetStats(target.response), resolution: targetStats(target.resolution) },
    reopen: { resolved: everResolved, reopened, rate: everResolved === 0 ? null : reopened / everResolved },
  };
}

function plainMatcher(facts: FactColumns, filter: FactFilter, window = true) {
  const department = filter.departmentId === undefined ? undefined : facts.departments.find(filter.departmentId);
  const category = filter.categoryId === undefined ? undefined : facts.categories.find(filter.categoryId);
  const priorities = filter.priority?.map((priority) => INCIDENT_PRIORITIES.indexOf(priority));
  return (i: number) =>
    (!window || filter.from === undefined || facts.created[i]! >= filter.from) &&
    (!window || filter.to === undefined || facts.created[i]! < filter.to) &&
    (department === undefined || facts.department[i] === department) &&
    (category === undefined || facts.category[i] === category) &&
    (priorities === undefined || priorities.includes(facts.priority[i]!));
}

function plainTrend(facts: FactColumns, filter: FactFilter & { from: number; to: number }, interval: 'day' | 'week') {
  const scope = plainMatcher(facts, filter, false);
  const step = interval === 'day' ? DAY_MS : 7 * DAY_MS;
  const first = intervalStart(filter.from, interval);
  const points = Array.from({ length: Math.max(1, Math.ceil((filter.to - first) / step)) }, (_, index) => ({
    start: new Date(first + index * step).toISOString().slice(0, 10),
    created: 0,
    resolved: 0,
  }));
  for (let i = 0; i < facts.length; i++) {
    if (!scope(i)) continue;
    const created = facts.created[i]!;
    const resolved = facts.resolved[i]!;
    if (created >= filter.from && created < filter.to) points[Math.floor((created - first) / step)]!.created++;
    if (resolved >= filter.from && resolved < filter.to) points[Math.floor((resolved - first) / step)]!.resolved++;
  }
  return points;
}

function plainWorkload(facts: FactColumns, filter: FactFilter, now: number) {
  const matches = plainMatcher(facts, filter);
  const lines = new Map<string, { departmentId: string; assigneeId: string | null; open: number; breached: number; oldestCreatedAt: number }>();
  for (let i = 0; i < facts.length; i++) {
    const status = facts.status[i]!;
    if (!matches(i) || (status !== STATUS_NUMBER.OPEN && status !== STATUS_NUMBER.IN_PROGRESS)) continue;
    const mark = facts.marks[i]!;
    const late = [
      [RESPONSE_SHIFT, facts.responseDue[i]!],
      [RESOLUTION_SHIFT, facts.resolutionDue[i]!],
    ].some(([shift, due]) => ((mark >> shift!) & 3) === TARGET_BREACHED || (((mark >> shift!) & 3) === TARGET_OPEN && now > due!));
    const departmentId = facts.departments.ids[facts.department[i]!]!;
    const assignee = facts.assignee[i]!;
    for (const assigneeId of ['department', assignee < 0 ? null : facts.people.ids[assignee]!]) {
      const key = `${departmentId} ${assigneeId}`;
      const line = lines.get(key) ?? { departmentId, assigneeId: assigneeId === 'department' ? null : assigneeId, open: 0, breached: 0, oldestCreatedAt: Infinity };
      line.open++;
      if (late) line.breached++;
      line.oldestCreatedAt = Math.min(line.oldestCreatedAt, facts.created[i]!);
      lines.set(key, line);
    }
  }
  const order = (a: { departmentId: string; assigneeId: string | null }, b: { departmentId: string; assigneeId: string | null }) =>
    `${a.departmentId} ${a.assigneeId}`.localeCompare(`${b.departmentId} ${b.assigneeId}`);
  const all = [...lines.entries()];
  return {
    departments: all.filter(([key]) => key.endsWith(' department')).map(([, line]) => line).sort(order),
    assignees: all.filter(([key]) => !key.endsWith(' department')).map(([, line]) => line).sort(order),
  };
}

function filters(w: ReturnType<typeof world>): FactFilter[] {
  const { next, pick, departments, categories, time } = w;
  const windows: [number | undefined, number | undefined][] = [
    [undefined, undefined],
    [START + 10 * DAY_MS, START + 40 * DAY_MS],
    [Math.ceil(START / PERIOD_MS) * PERIOD_MS, Math.ceil(START / PERIOD_MS) * PERIOD_MS + 3 * PERIOD_MS],
    [START + 3 * DAY_MS, undefined],
    [undefined, START + 20 * DAY_MS + 5],
    [START + 12 * DAY_MS, START + 14 * DAY_MS],
    [START - 100 * DAY_MS, START - 90 * DAY_MS],
  ];
  for (let k = 0; k < 8; k++) {
    const from = time(START - 5 * DAY_MS, SPAN);
    windows.push([from, from + next() * 40 * DAY_MS]);
  }
  const narrowings: Omit<FactFilter, 'from' | 'to'>[] = [
    {},
    { departmentId: pick(departments) },
    { categoryId: pick(categories) },
    { priority: ['CRITICAL', 'LOW'] as IncidentPriority[] },
    { departmentId: pick(departments), categoryId: pick(categories), priority: [pick(INCIDENT_PRIORITIES)] },
    { departmentId: randomUUID() },
  ];
  return windows.flatMap(([from, to]) => narrowings.map((narrowing) => ({ from, to, ...narrowing })));
}

/** Equal, the means to the millisecond they are given in. */
function assertSameSummary(got: ReturnType<typeof summarize>, expected: ReturnType<typeof plainSummary>, label: string) {
  for (const name of ['mtta', 'mttr'] as const) {
    const mean = expected[name].meanSeconds;
    assert.ok(mean === null ? got[name].meanSeconds === null : Math.abs(got[name].meanSeconds! - mean) <= 0.0005 + 1e-9, `${label}: ${name} mean ${got[name].meanSeconds} vs ${mean}`);
    expected[name].meanSeconds = got[name].meanSeconds;
  }
  assert.deepEqual(got, expected, label);
}

function check(facts: FactColumns, w: ReturnType<typeof world>, seed: number, now: number) {
  for (const filter of filters(w)) {
    const label = `seed ${seed}, filter ${JSON.stringify(filter)}`;
    assertSameSummary(summarize(facts, filter, now), plainSummary(facts, filter, now), label);
    const lines = workload(facts, filter, now);
    const order = (a: { departmentId: string; assigneeId: string | null }, b: { departmentId: string; assigneeId: string | null }) =>
      `${a.departmentId} ${a.assigneeId}`.localeCompare(`${b.departmentId} ${b.assigneeId}`);
    assert.deepEqual({ departments: [...lines.departments].sort(order), assignees: [...lines.assignees].sort(order) }, plainWorkload(facts, filter, now), `${label}: workload`);
    if (filter.from !== undefined && filter.to !== undefined && filter.to - filter.from <= 60 * DAY_MS) {
      for (const interval of ['day', 'week'] as const) {
        const window: FactFilter & { from: number; to: number } = { ...filter, from: filter.from, to: filter.to };
        assert.deepEqual(trend(facts, window, interval), plainTrend(facts, window, interval), `${label}: trend per ${interval}`);
        const days: FactFilter & { from: number; to: number } = { ...filter, from: Math.floor(filter.from / DAY_MS) * DAY_MS, to: Math.ceil(filter.to / DAY_MS) * DAY_MS };
        assert.deepEqual(trend(facts, days, interval), plainTrend(facts, days, interval), `${label}: trend per ${interval}, whole days`);
      }
    }
  }
}

describe('the rollup behind the figures', () => {
  test('when facts arrive in any order and keep changing, then every figure equals what looking at every fact gives', () => {
    for (const seed of [1, 2, 3]) {
      const w = world(seed);
      const facts = new FactColumns(16);
      const rows = new Map<string, FactRow>();
      // Mostly oldest first (as a load and live traffic bring them).
      const created = Array.from({ length: 1500 }, () => w.time(START, SPAN)).sort((a, b) => a - b);
      for (let k = 0; k < created.length; k++) {
        // Some late, some created in the same millisecond as the one before.
        const at = w.next() < 0.05 ? w.time(START, SPAN) : k > 0 && w.next() < 0.1 ? created[k - 1]! : created[k]!;
        const row = w.make(randomUUID(), at);
        rows.set(row.id, row);
        facts.put(row);
      }
      const now = START + 50 * DAY_MS;
      check(facts, w, seed, now);
      // Changes: new states of the same incidents (priority, department, status, times), now and
      // then a creation time corrected, and the same state twice.
      const ids = [...rows.keys()];
      for (let k = 0; k < 3000; k++) {
        const id = w.pick(ids);
        const before = rows.get(id)!;
        const row = w.next() < 0.9 ? w.make(id, w.next() < 0.05 ? w.time(START, SPAN) : before.created_ms) : before;
        rows.set(id, row);
        facts.put(row);
      }
      check(facts, w, seed, now);
      check(facts, w, seed, START + 20 * DAY_MS);
    }
  });

  test('when there are no facts, or the filter names a department no fact has, then the figures are empty', () => {
    const facts = new FactColumns();
    const empty = summarize(facts, {}, Date.now());
    assert.equal(empty.total, 0);
    assert.equal(empty.mtta.medianSeconds, null);
    const w = world(9);
    facts.put(w.make(randomUUID(), START));
    assert.equal(summarize(facts, { departmentId: randomUUID() }, Date.now()).total, 0);
    assert.equal(summarize(facts, {}, Date.now()).total, 1);
  });

  test('when facts of one group are created in the same millisecond with close durations, then changing one changes that one only', () => {
    const w = world(5);
    const facts = new FactColumns();
    const base = { ...w.make(randomUUID(), START), status: 'IN_PROGRESS' as IncidentStatus, resolved_ms: null };
    const rows = [0, 1, 2].map((k) => ({ ...base, id: randomUUID(), responded_ms: START + 60_000 + k }));
    for (const row of rows) facts.put(row);
    facts.put({ ...rows[2]!, responded_ms: START + 120_000 });
    facts.put({ ...rows[0]!, status: 'RESOLVED', resolved_ms: START + 300_000 });
    const summary = summarize(facts, { from: START, to: START + 1 }, START);
    assertSameSummary(summary, plainSummary(facts, { from: START, to: START + 1 }, START), 'same millisecond');
    assert.equal(summary.mtta.medianSeconds, 60.001);
    assert.equal(summary.mttr.count, 1);
  });

  test('when a status is undone and redone many times, then the rollup holds each fact once', () => {
    const w = world(4);
    const facts = new FactColumns();
    const row = w.make(randomUUID(), START);
    for (const status of ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'IN_PROGRESS', 'CLOSED', 'OPEN'] as IncidentStatus[]) {
      facts.put({ ...row, status });
      assert.equal(summarize(facts, {}, START).total, 1);
      assert.equal(facts.rollup.open.count, status === 'OPEN' || status === 'IN_PROGRESS' ? 1 : 0);
    }
  });
});

import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import * as store from './fact-store.js';
import type { FactColumns } from './fact-store.js';

// The figures, computed exactly from every matching fact in one pass over the columns.

// Module-local copies: an imported binding may be read through a getter (esbuild's CommonJS
// interop does that), far too slow inside a loop over a million facts.
const { EVER_RESOLVED, REOPENED, RESOLUTION_SHIFT, RESPONSE_SHIFT, TARGET_BREACHED, TARGET_MET, TARGET_OPEN, PRIORITY_NUMBER } = store;
const OPEN = store.STATUS_NUMBER.OPEN;
const IN_PROGRESS = store.STATUS_NUMBER.IN_PROGRESS;

/** Which facts count: created in [from, to), of a department, a category, some priorities. */
export interface FactFilter {
  from?: number | undefined;
  to?: number | undefined;
  departmentId?: string | undefined;
  categoryId?: string | undefined;
  priority?: IncidentPriority[] | undefined;
}

/** The filter in the columns' terms; `none` when it names a department or category no fact has. */
interface Compiled {
  from: number;
  to: number;
  department: number;
  category: number;
  priorities: number;
  none: boolean;
}

const ANY = -1;

function compile(facts: FactColumns, filter: FactFilter): Compiled {
  const department = filter.departmentId === undefined ? ANY : facts.departments.find(filter.departmentId);
  const category = filter.categoryId === undefined ? ANY : facts.categories.find(filter.categoryId);
  let priorities = 0;
  for (const priority of filter.priority ?? INCIDENT_PRIORITIES) priorities |= 1 << PRIORITY_NUMBER[priority];
  return {
    from: filter.from ?? -Infinity,
    to: filter.to ?? Infinity,
    department,
    category,
    priorities,
    none: (filter.departmentId !== undefined && department === ANY) || (filter.categoryId !== undefined && category === ANY),
  };
}

/** Department, category and priority (not the created window). */
function matchesScope(facts: FactColumns, index: number, filter: Compiled): boolean {
  return (
    (filter.department === ANY || facts.department[index] === filter.department) &&
    (filter.category === ANY || facts.category[index] === filter.category) &&
    ((filter.priorities >> facts.priority[index]!) & 1) === 1
  );
}

const bucketCounts = new Int32Array(1 << 16);

/**
 * The p-quantiles of the non-negative values[0..n), each interpolated between neighbouring
 * values like Postgres' percentile_cont: exact, without sorting everything. The values are
 * counted per bucket (durationBucket, given in `buckets` or worked out here); the values of the
 * few buckets that hold a wanted rank (a few thousand each) are then copied out and sorted.
 */
export function percentiles(values: Float64Array, n: number, fractions: number[], buckets?: Uint16Array): (number | null)[] {
  if (n === 0) return fractions.map(() => null);
  let keys = buckets;
  if (!keys) {
    keys = new Uint16Array(n);
    for (let i = 0; i < n; i++) keys[i] = store.durationBucket(values[i]!);
  }
  const counts = bucketCounts;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[keys[i]!]!++;
  // The ranks wanted (two per fraction, for interpolation) and the buckets that hold them.
  const ranks = fractions.flatMap((fraction) => {
    const lower = Math.floor(fraction * (n - 1));
    return [lower, Math.min(n - 1, lower + 1)];
  });
  const holders = new Map<number, { start: number; values: Float64Array; filled: number }>();
  const bucketOfRank = ranks.map((wanted) => {
    let below = 0;
    let bucket = 0;
    while (below + counts[bucket]! <= wanted) below += counts[bucket++]!;
    if (!holders.has(bucket)) holders.set(bucket, { start: below, values: new Float64Array(counts[bucket]!), filled: 0 });
    return bucket;
  });
  const wanted = [...holders.keys()];
  const first = wanted[0]!;
  const second = wanted[1] ?? -1;
  const more = wanted.length > 2;
  for (let i = 0; i < n; i++) {
    const bucket = keys[i]!;
    if (bucket === first || bucket === second || (more && holders.has(bucket))) {
      const holder = holders.get(bucket)!;
      holder.values[holder.filled++] = values[i]!;
    }
  }
  for (const holder of holders.values()) holder.values.sort();
  const valueAt = (index: number) => {
    const holder = holders.get(bucketOfRank[index]!)!;
    return holder.values[ranks[index]! - holder.start]!;
  };
  return fractions.map((fraction, index) => {
    const position = fraction * (n - 1);
    const lower = Math.floor(position);
    const low = valueAt(2 * index);
    return position === lower ? low : low + (valueAt(2 * index + 1) - low) * (position - lower);
  });
}

/** One p-quantile (see percentiles). */
export function percentile(values: Float64Array, n: number, p: number): number | null {
  return percentiles(values, n, [p])[0]!;
}

export interface DurationStats {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Times are kept to the millisecond, so figures are too: no float noise past the third decimal. */
const toMillisecond = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

function durationStats(values: Float64Array, buckets: Uint16Array, n: number, sum: number): DurationStats {
  const [median, p90] = percentiles(values, n, [0.5, 0.9], buckets);
  return { count: n, meanSeconds: toMillisecond(n === 0 ? null : sum / n), medianSeconds: toMillisecond(median!), p90Seconds: toMillisecond(p90!) };
}

export interface TargetStats {
  met: number;
  breached: number;
  pending: number;
  compliance: number | null;
}

const targetStats = (met: number, breached: number, pending: number): TargetStats => ({
  met,
  breached,
  pending,
  compliance: met + breached === 0 ? null : met / (met + breached),
});

export interface SummaryFigures {
  total: number;
  byStatus: Record<IncidentStatus, number>;
  byPriority: Record<IncidentPriority, number>;
  openBacklog: number;
  mtta: DurationStats;
  mttr: DurationStats;
  sla: { response: TargetStats; resolution: TargetStats };
  reopen: { resolved: number; reopened: number; rate: number | null };
}

// Scratch space for the durations of one summary; queries run one at a time on the event loop.
let acknowledgeScratch = new Float64Array(0);
let resolveScratch = new Float64Array(0);
let acknowledgeBucketScratch = new Uint16Array(0);
let resolveBucketScratch = new Uint16Array(0);

/**
 * Counts, MTTA and MTTR (mean, median, p90 in seconds), SLA compliance and reopen rate over the
 * facts created in the window. A target is met when it was reached by its due time, breached
 * when incident-service recorded it missed or it is past due now, pending otherwise; a target
 * of an incident cancelled before it was due counts neither way.
 */
// Where the summary's pass puts its tallies (one typed array, so the pass is a small function
// V8 optimises once and keeps: see scan()).
const TOTAL = 0;
const ACKNOWLEDGED = 1;
const ACKNOWLEDGE_SUM = 2;
const RESOLVED = 3;
const RESOLVE_SUM = 4;
const EVER_RESOLVED_COUNT = 5;
const REOPENED_COUNT = 6;
const RESPONSE = 7; // met, breached, pending
const RESOLUTION = 10; // met, breached, pending
const BY_STATUS = 13;
const BY_PRIORITY = BY_STATUS + INCIDENT_STATUSES.length;
const TALLIES = BY_PRIORITY + INCIDENT_PRIORITIES.length;

/** The one pass over every fact behind a summary. Durations go to the scratch arrays. */
function scan(facts: FactColumns, f: Compiled, now: number, tally: Float64Array): void {
  const acknowledgeValues = acknowledgeScratch;
  const resolveValues = resolveScratch;
  const acknowledgeBuckets = acknowledgeBucketScratch;
  const resolveBuckets = resolveBucketScratch;
  const { acknowledgeBucket, resolveBucket } = facts;
  const { created, acknowledge, resolve, responseDue, resolutionDue, status, priority, marks, department, category } = facts;
  const from = f.from;
  const to = f.to;
  const priorities = f.priorities;
  const wantedDepartment = f.department;
  const wantedCategory = f.category;
  const count = f.none ? 0 : facts.length;
  let total = 0;
  let acknowledged = 0;
  let acknowledgeSum = 0;
  let resolvedCount = 0;
  let resolveSum = 0;
  let everResolved = 0;
  let reopened = 0;
  let responseMet = 0;
  let responseBreached = 0;
  let responsePending = 0;
  let resolutionMet = 0;
  let resolutionBreached = 0;
  let resolutionPending = 0;
  const byStatus = new Int32Array(INCIDENT_STATUSES.length);
  const byPriority = new Int32Array(INCIDENT_PRIORITIES.length);
  for (let i = 0; i < count; i++) {
    const createdAt = created[i]!;
    if (createdAt < from || createdAt >= to) continue;
    if (wantedDepartment !== ANY && department[i] !== wantedDepartment) continue;
    if (wantedCategory !== ANY && category[i] !== wantedCategory) continue;
    const rank = priority[i]!;
    if (((priorities >> rank) & 1) === 0) continue;
    total++;
    byStatus[status[i]!]!++;
    byPriority[rank]!++;
    const toAcknowledge = acknowledge[i]!;
    if (toAcknowledge === toAcknowledge) {
      acknowledgeBuckets[acknowledged] = acknowledgeBucket[i]!;
      acknowledgeValues[acknowledged++] = toAcknowledge;
      acknowledgeSum += toAcknowledge;
    }
    const toResolve = resolve[i]!;
    if (toResolve === toResolve) {
      resolveBuckets[resolvedCount] = resolveBucket[i]!;
      resolveValues[resolvedCount++] = toResolve;
      resolveSum += toResolve;
    }
    const mark = marks[i]!;
    const responseOutcome = (mark >> RESPONSE_SHIFT) & 3;
    if (responseOutcome === TARGET_MET) responseMet++;
    else if (responseOutcome === TARGET_BREACHED) responseBreached++;
    else if (responseOutcome === TARGET_OPEN) {
      if (now > responseDue[i]!) responseBreached++;
      else responsePending++;
    }
    const resolutionOutcome = (mark >> RESOLUTION_SHIFT) & 3;
    if (resolutionOutcome === TARGET_MET) resolutionMet++;
    else if (resolutionOutcome === TARGET_BREACHED) resolutionBreached++;
    else if (resolutionOutcome === TARGET_OPEN) {
      if (now > resolutionDue[i]!) resolutionBreached++;
      else resolutionPending++;
    }
    if ((mark & EVER_RESOLVED) !== 0) everResolved++;
    if ((mark & REOPENED) !== 0) reopened++;
  }
  tally[TOTAL] = total;
  tally[ACKNOWLEDGED] = acknowledged;
  tally[ACKNOWLEDGE_SUM] = acknowledgeSum;
  tally[RESOLVED] = resolvedCount;
  tally[RESOLVE_SUM] = resolveSum;
  tally[EVER_RESOLVED_COUNT] = everResolved;
  tally[REOPENED_COUNT] = reopened;
  tally.set([responseMet, responseBreached, responsePending], RESPONSE);
  tally.set([resolutionMet, resolutionBreached, resolutionPending], RESOLUTION);
  tally.set(byStatus, BY_STATUS);
  tally.set(byPriority, BY_PRIORITY);
}

export function summarize(facts: FactColumns, filter: FactFilter, now: number): SummaryFigures {
  if (acknowledgeScratch.length < facts.length) {
    acknowledgeScratch = new Float64Array(facts.length);
    resolveScratch = new Float64Array(facts.length);
    acknowledgeBucketScratch = new Uint16Array(facts.length);
    resolveBucketScratch = new Uint16Array(facts.length);
  }
  const tally = new Float64Array(TALLIES);
  scan(facts, compile(facts, filter), now, tally);
  const at = (index: number) => tally[index]!;
  const everResolved = at(EVER_RESOLVED_COUNT);
  return {
    total: at(TOTAL),
    byStatus: Object.fromEntries(INCIDENT_STATUSES.map((name, index) => [name, at(BY_STATUS + index)])) as Record<IncidentStatus, number>,
    byPriority: Object.fromEntries(INCIDENT_PRIORITIES.map((name, index) => [name, at(BY_PRIORITY + index)])) as Record<IncidentPriority, number>,
    openBacklog: at(BY_STATUS + OPEN) + at(BY_STATUS + IN_PROGRESS),
    mtta: durationStats(acknowledgeScratch, acknowledgeBucketScratch, at(ACKNOWLEDGED), at(ACKNOWLEDGE_SUM)),
    mttr: durationStats(resolveScratch, resolveBucketScratch, at(RESOLVED), at(RESOLVE_SUM)),
    sla: {
      response: targetStats(at(RESPONSE), at(RESPONSE + 1), at(RESPONSE + 2)),
      resolution: targetStats(at(RESOLUTION), at(RESOLUTION + 1), at(RESOLUTION + 2)),
    },
    reopen: { resolved: everResolved, reopened: at(REOPENED_COUNT), rate: everResolved === 0 ? null : at(REOPENED_COUNT) / everResolved },
  };
}

const DAY_MS = 86_400_000;

/** Midnight UTC of the day, or of the Monday of the week, that holds `time`. */
export function intervalStart(time: number, interval: 'day' | 'week'): number {
  const day = Math.floor(time / DAY_MS) * DAY_MS;
  if (interval === 'day') return day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return day - weekday * DAY_MS;
}

export interface TrendPoint {
  start: string;
  created: number;
  resolved: number;
}

/**
 * Incidents created and resolved per day or week from the interval holding `from` to the one
 * holding `to` (exclusive); every interval is there, with zeros where nothing happened. Created
 * ones count by their creation time, resolved ones by their (last) resolution time.
 */
export function trend(facts: FactColumns, filter: FactFilter & { from: number; to: number }, interval: 'day' | 'week'): TrendPoint[] {
  const f = compile(facts, filter);
  const step = interval === 'day' ? DAY_MS : 7 * DAY_MS;
  const first = intervalStart(filter.from, interval);
  const points = Math.max(1, Math.ceil((filter.to - first) / step));
  const created = new Int32Array(points);
  const resolved = new Int32Array(points);
  const { from, to } = filter;
  const createdTimes = facts.created;
  const resolvedTimes = facts.resolved;
  const count = f.none ? 0 : facts.length;
  for (let i = 0; i < count; i++) {
    const createdAt = createdTimes[i]!;
    const resolvedAt = resolvedTimes[i]!;
    const createdIn = createdAt >= from && createdAt < to;
    const resolvedIn = resolvedAt >= from && resolvedAt < to;
    if ((!createdIn && !resolvedIn) || !matchesScope(facts, i, f)) continue;
    if (createdIn) created[Math.floor((createdAt - first) / step)]!++;
    if (resolvedIn) resolved[Math.floor((resolvedAt - first) / step)]!++;
  }
  return Array.from(created, (createdCount, index) => ({
    start: new Date(first + index * step).toISOString().slice(0, 10),
    created: createdCount,
    resolved: resolved[index]!,
  }));
}

export interface WorkloadLine {
  departmentId: string;
  assigneeId: string | null;
  open: number;
  breached: number;
  oldestCreatedAt: number;
}

/**
 * Open incidents (OPEN and IN_PROGRESS) per department and per assignee within it, with the
 * oldest one's creation time and how many are past a target (recorded missed, or due and not
 * reached by now).
 */
export function workload(facts: FactColumns, filter: FactFilter, now: number): { departments: WorkloadLine[]; assignees: WorkloadLine[] } {
  const f = compile(facts, filter);
  const departments = new Map<number, WorkloadLine>();
  const assignees = new Map<string, WorkloadLine>();
  const add = (map: Map<number, WorkloadLine> | Map<string, WorkloadLine>, key: number | string, make: () => WorkloadLine, createdAt: number, late: boolean) => {
    let line = (map as Map<number | string, WorkloadLine>).get(key);
    if (!line) {
      line = make();
      (map as Map<number | string, WorkloadLine>).set(key, line);
    }
    line.open++;
    if (late) line.breached++;
    if (createdAt < line.oldestCreatedAt) line.oldestCreatedAt = createdAt;
  };
  const { status, created, marks, responseDue, resolutionDue } = facts;
  const count = f.none ? 0 : facts.length;
  for (let i = 0; i < count; i++) {
    const state = status[i]!;
    if (state !== OPEN && state !== IN_PROGRESS) continue;
    const createdAt = created[i]!;
    if (createdAt < f.from || createdAt >= f.to || !matchesScope(facts, i, f)) continue;
    const mark = marks[i]!;
    const responseOutcome = (mark >> RESPONSE_SHIFT) & 3;
    const resolutionOutcome = (mark >> RESOLUTION_SHIFT) & 3;
    const late =
      responseOutcome === TARGET_BREACHED ||
      resolutionOutcome === TARGET_BREACHED ||
      (responseOutcome === TARGET_OPEN && now > responseDue[i]!) ||
      (resolutionOutcome === TARGET_OPEN && now > resolutionDue[i]!);
    const department = facts.department[i]!;
    const assignee = facts.assignee[i]!;
    const departmentId = facts.departments.ids[department]!;
    const assigneeId = assignee < 0 ? null : facts.people.ids[assignee]!;
    add(departments, department, () => ({ departmentId, assigneeId: null, open: 0, breached: 0, oldestCreatedAt: Infinity }), createdAt, late);
    add(assignees, `${assignee}:${department}`, () => ({ departmentId, assigneeId, open: 0, breached: 0, oldestCreatedAt: Infinity }), createdAt, late);
  }
  const busiestFirst = (a: WorkloadLine, b: WorkloadLine) => b.open - a.open || a.oldestCreatedAt - b.oldestCreatedAt;
  return { departments: [...departments.values()].sort(busiestFirst), assignees: [...assignees.values()].sort(busiestFirst) };
}

import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import * as store from './fact-store.js';
import type { FactColumns } from './fact-store.js';
import * as rollup from './rollup.js';
import { HistogramSum, tallyFact, type BucketedDurations, type DaySeries, type Group } from './rollup.js';

// The figures, computed exactly from the rollup kept as facts arrive (rollup.ts); a trend whose
// window is cut inside a day, from one pass over the columns.

// Module-local copies: an imported binding may be read through a getter (esbuild's CommonJS
// interop does that), far too slow inside a loop over a million facts.
const { RESOLUTION_SHIFT, RESPONSE_SHIFT, TARGET_BREACHED, TARGET_OPEN, PRIORITY_NUMBER, durationBucket } = store;
const { PERIOD_MS, TALLY_FIELDS, T_ACKNOWLEDGED, T_ACKNOWLEDGE_MICROS, T_EVER_RESOLVED, T_REOPENED, T_RESOLUTION_BREACHED, T_RESOLUTION_MET, T_RESOLVED, T_RESOLVE_MICROS, T_RESPONSE_BREACHED, T_RESPONSE_MET, T_STATUS, T_TOTAL } = rollup;
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

export interface DurationStats {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Times are kept to the millisecond, so figures are too: no float noise past the third decimal. */
const toMillisecond = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

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

/** Where a summary counts durations by bucket; queries run one at a time on the event loop. */
const scratch = { acknowledgeHistogram: new HistogramSum(), resolveHistogram: new HistogramSum() };

/** Which groups (department × category × priority) the filter takes in. */
function matchingGroups(facts: FactColumns, f: Compiled): { list: Group[]; match: Uint8Array } {
  const groups = facts.rollup.groups;
  const match = new Uint8Array(groups.length);
  const list: Group[] = [];
  if (f.none) return { list, match };
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    if ((f.department === ANY || group.department === f.department) && (f.category === ANY || group.category === f.category) && ((f.priorities >> group.priority) & 1) === 1) {
      match[g] = 1;
      list.push(group);
    }
  }
  return { list, match };
}

/**
 * The window as whole periods of the rollup, [firstPeriod, endPeriod), and the parts of it at
 * either side that no whole period covers (times [from, wholeFrom) and [wholeTo, to)); with no
 * whole period in it, all of the window is one such part.
 */
function split(facts: FactColumns, from: number, to: number) {
  const rollup = facts.rollup;
  const firstPeriod = Math.max(Math.ceil(from / PERIOD_MS), rollup.firstPeriod);
  const endPeriod = Math.min(Math.floor(to / PERIOD_MS), rollup.lastPeriod + 1);
  if (!(firstPeriod < endPeriod)) return { firstPeriod: 0, endPeriod: 0, edges: [[from, to]] as [number, number][] };
  return { firstPeriod, endPeriod, edges: [[from, firstPeriod * PERIOD_MS], [endPeriod * PERIOD_MS, to]] as [number, number][] };
}

/**
 * The p-quantiles (interpolated as percentile_cont does) of the durations of the facts created
 * in [from, to) in the groups given, n in all, counted by bucket in `histogram`: the bucket
 * holding each wanted rank is found from the counts, then only that bucket's durations in the
 * window are gathered and the rank selected (nth).
 */
function rollupPercentiles(n: number, fractions: number[], histogram: HistogramSum, durations: BucketedDurations[], from: number, to: number): (number | null)[] {
  if (n === 0) return fractions.map(() => null);
  const ranks = fractions.flatMap((fraction) => {
    const lower = Math.floor(fraction * (n - 1));
    return [lower, Math.min(n - 1, lower + 1)];
  });
  const counts = histogram.counts;
  const holders = new Map<number, { start: number; values: Float64Array | undefined }>();
  const bucketOfRank = ranks.map((wanted) => {
    let below = 0;
    let bucket = histogram.first;
    while (below + counts[bucket]! <= wanted) below += counts[bucket++]!;
    if (!holders.has(bucket)) holders.set(bucket, { start: below, values: undefined });
    return bucket;
  });
  for (const [bucket, holder] of holders) {
    const gathered = new Float64Array(counts[bucket]!);
    let filled = 0;
    for (const group of durations) {
      const list = group.list(bucket);
      if (!list) continue;
      const pairs = list.pairs;
      const end = to === Infinity ? list.length : list.firstAtOrAfter(to);
      for (let k = from === -Infinity ? 0 : list.firstAtOrAfter(from); k < end; k++) gathered[filled++] = pairs[2 * k + 1]!;
    }
    if (filled !== gathered.length) throw new Error(`the rollup's bucket ${bucket} holds ${filled} durations where its counts say ${gathered.length}`);
    holder.values = gathered;
  }
  const valueAt = (index: number) => {
    const holder = holders.get(bucketOfRank[index]!)!;
    return nth(holder.values!, ranks[index]! - holder.start);
  };
  return fractions.map((fraction, index) => {
    const position = fraction * (n - 1);
    const lower = Math.floor(position);
    const low = valueAt(2 * index);
    return position === lower ? low : low + (valueAt(2 * index + 1) - low) * (position - lower);
  });
}

/**
 * The k-th smallest of `values` (from 0), by quickselect: O(n), where sorting a bucket of some
 * 50,000 durations took a few milliseconds each. Reorders `values` (any k asked later still holds).
 */
export function nth(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  while (high > low) {
    // Median of three as the pivot, then Hoare's partition.
    const middle = (low + high) >>> 1;
    const a = values[low]!;
    const b = values[middle]!;
    const c = values[high]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (k <= j) high = j;
    else if (k >= i) low = i;
    else return values[k]!;
  }
  return values[k]!;
}

function durationStats(n: number, micros: number, percentilesOf: (fractions: number[]) => (number | null)[]): DurationStats {
  const [median, p90] = percentilesOf([0.5, 0.9]);
  return { count: n, meanSeconds: toMillisecond(n === 0 ? null : micros / 1e6 / n), medianSeconds: toMillisecond(median!), p90Seconds: toMillisecond(p90!) };
}

/**
 * Counts, MTTA and MTTR (mean, median, p90 in seconds), SLA compliance and reopen rate over the
 * facts created in the window. A target is met when it was reached by its due time, breached
 * when incident-service recorded it missed or it is past due now, pending otherwise; a target
 * of an incident cancelled before it was due counts neither way.
 *
 * From the rollup: tallies and duration counts by bucket from the matching groups' blocks and
 * cumulative histograms for the window's whole periods, and from the facts of the few days at
 * its edges one by one (in creation order, so those are next to each other); the durations of
 * the buckets a median or p90 falls in from the groups' lists; the targets still open from the
 * open facts.
 */
export function summarize(facts: FactColumns, filter: FactFilter, now: number): SummaryFigures {
  const f = compile(facts, filter);
  const tally = new Float64Array(TALLY_FIELDS);
  const byPriority = new Float64Array(INCIDENT_PRIORITIES.length);
  const { acknowledgeHistogram, resolveHistogram } = scratch;
  acknowledgeHistogram.clear();
  resolveHistogram.clear();
  const { list, match } = matchingGroups(facts, f);
  if (facts.length > 0 && list.length > 0) {
    const { firstPeriod, endPeriod, edges } = split(facts, f.from, f.to);
    for (const group of list) {
      let groupTotal = 0;
      for (let period = firstPeriod; period < endPeriod; period++) {
        const block = group.blocks.get(period);
        if (!block) continue;
        const blockTally = block.tally;
        for (let k = 0; k < TALLY_FIELDS; k++) tally[k]! += blockTally[k]!;
        groupTotal += blockTally[T_TOTAL]!;
      }
      byPriority[group.priority]! += groupTotal;
    }
    for (const group of list) {
      group.acknowledgeCounts.addRange(firstPeriod, endPeriod, acknowledgeHistogram);
      group.resolveCounts.addRange(firstPeriod, endPeriod, resolveHistogram);
    }
    for (const [edgeFrom, edgeTo] of edges) {
      const end = facts.firstCreatedAtOrAfter(edgeTo);
      const { byCreated, group, priority, acknowledge, resolve } = facts;
      for (let at = facts.firstCreatedAtOrAfter(edgeFrom); at < end; at++) {
        const i = byCreated[at]!;
        if (match[group[i]!] === 0) continue;
        tallyFact(facts, i, 1, tally);
        byPriority[priority[i]!]!++;
        const toAcknowledge = acknowledge[i]!;
        if (toAcknowledge === toAcknowledge) acknowledgeHistogram.add(durationBucket(toAcknowledge), 1);
        const toResolve = resolve[i]!;
        if (toResolve === toResolve) resolveHistogram.add(durationBucket(toResolve), 1);
      }
    }
  }
  // Targets still open: met or breached by the time of asking.
  let responsePending = 0;
  let responseLate = 0;
  let resolutionPending = 0;
  let resolutionLate = 0;
  if (list.length > 0) {
    const { count, created, group, marks, responseDue, resolutionDue } = facts.rollup.open;
    for (let k = 0; k < count; k++) {
      const createdAt = created[k]!;
      if (createdAt < f.from || createdAt >= f.to || match[group[k]!] === 0) continue;
      const mark = marks[k]!;
      if (((mark >> RESPONSE_SHIFT) & 3) === TARGET_OPEN) {
        if (now > responseDue[k]!) responseLate++;
        else responsePending++;
      }
      if (((mark >> RESOLUTION_SHIFT) & 3) === TARGET_OPEN) {
        if (now > resolutionDue[k]!) resolutionLate++;
        else resolutionPending++;
      }
    }
  }
  const at = (index: number) => tally[index]!;
  const everResolved = at(T_EVER_RESOLVED);
  return {
    total: at(T_TOTAL),
    byStatus: Object.fromEntries(INCIDENT_STATUSES.map((name, index) => [name, at(T_STATUS + index)])) as Record<IncidentStatus, number>,
    byPriority: Object.fromEntries(INCIDENT_PRIORITIES.map((name, index) => [name, byPriority[index]!])) as Record<IncidentPriority, number>,
    openBacklog: at(T_STATUS + OPEN) + at(T_STATUS + IN_PROGRESS),
    mtta: durationStats(at(T_ACKNOWLEDGED), at(T_ACKNOWLEDGE_MICROS), (fractions) =>
      rollupPercentiles(at(T_ACKNOWLEDGED), fractions, acknowledgeHistogram, list.map((group) => group.acknowledge), f.from, f.to),
    ),
    mttr: durationStats(at(T_RESOLVED), at(T_RESOLVE_MICROS), (fractions) =>
      rollupPercentiles(at(T_RESOLVED), fractions, resolveHistogram, list.map((group) => group.resolve), f.from, f.to),
    ),
    sla: {
      response: targetStats(at(T_RESPONSE_MET), at(T_RESPONSE_BREACHED) + responseLate, responsePending),
      resolution: targetStats(at(T_RESOLUTION_MET), at(T_RESOLUTION_BREACHED) + resolutionLate, resolutionPending),
    },
    reopen: { resolved: everResolved, reopened: at(T_REOPENED), rate: everResolved === 0 ? null : at(T_REOPENED) / everResolved },
  };
}


const { DAY_MS } = store;

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
  if (from % DAY_MS === 0 && to % DAY_MS === 0) {
    // Whole days (what the portal asks): from the rollup's counts per group and day.
    const { list } = matchingGroups(facts, f);
    const firstDay = from / DAY_MS;
    const endDay = to / DAY_MS;
    const daysPerPoint = step / DAY_MS;
    const offset = (from - first) / DAY_MS;
    const count = (series: DaySeries, into: Int32Array) => {
      const counts = series.counts;
      const start = Math.max(firstDay, series.base);
      const end = Math.min(endDay, series.base + counts.length);
      for (let day = start; day < end; day++) {
        const n = counts[day - series.base]!;
        if (n !== 0) into[Math.floor((day - firstDay + offset) / daysPerPoint)]! += n;
      }
    };
    for (const group of list) {
      count(group.created, created);
      count(group.resolved, resolved);
    }
  } else {
    // A window cut inside a day: one pass over the facts.
    const createdTimes = facts.created;
    const resolvedTimes = facts.resolved;
    const length = f.none ? 0 : facts.length;
    for (let i = 0; i < length; i++) {
      const createdAt = createdTimes[i]!;
      const resolvedAt = resolvedTimes[i]!;
      const createdIn = createdAt >= from && createdAt < to;
      const resolvedIn = resolvedAt >= from && resolvedAt < to;
      if ((!createdIn && !resolvedIn) || !matchesScope(facts, i, f)) continue;
      if (createdIn) created[Math.floor((createdAt - first) / step)]!++;
      if (resolvedIn) resolved[Math.floor((resolvedAt - first) / step)]!++;
    }
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
 * reached by now). From the rollup's list of open facts, not a pass over all of them.
 */
export function workload(facts: FactColumns, filter: FactFilter, now: number): { departments: WorkloadLine[]; assignees: WorkloadLine[] } {
  const f = compile(facts, filter);
  const { match } = matchingGroups(facts, f);
  const departments = new Map<number, WorkloadLine>();
  const assignees = new Map<number, WorkloadLine>();
  const add = (map: Map<number, WorkloadLine>, key: number, department: number, assignee: number, createdAt: number, late: boolean) => {
    let line = map.get(key);
    if (!line) {
      line = { departmentId: facts.departments.ids[department]!, assigneeId: assignee < 0 ? null : facts.people.ids[assignee]!, open: 0, breached: 0, oldestCreatedAt: Infinity };
      map.set(key, line);
    }
    line.open++;
    if (late) line.breached++;
    if (createdAt < line.oldestCreatedAt) line.oldestCreatedAt = createdAt;
  };
  const { count, created, group, marks, responseDue, resolutionDue, department: departmentOf, assignee: assigneeOf } = facts.rollup.open;
  for (let k = 0; k < count; k++) {
    const createdAt = created[k]!;
    if (createdAt < f.from || createdAt >= f.to || match[group[k]!] === 0) continue;
    const mark = marks[k]!;
    const responseOutcome = (mark >> RESPONSE_SHIFT) & 3;
    const resolutionOutcome = (mark >> RESOLUTION_SHIFT) & 3;
    const late =
      responseOutcome === TARGET_BREACHED ||
      resolutionOutcome === TARGET_BREACHED ||
      (responseOutcome === TARGET_OPEN && now > responseDue[k]!) ||
      (resolutionOutcome === TARGET_OPEN && now > resolutionDue[k]!);
    const department = departmentOf[k]!;
    const assignee = assigneeOf[k]!;
    add(departments, department, department, -1, createdAt, late);
    // One line per assignee and department (someone may hold incidents of two); -1 is no one.
    add(assignees, (assignee + 1) * 2_097_152 + department, department, assignee, createdAt, late);
  }
  const busiestFirst = (a: WorkloadLine, b: WorkloadLine) => b.open - a.open || a.oldestCreatedAt - b.oldestCreatedAt;
  return { departments: [...departments.values()].sort(busiestFirst), assignees: [...assignees.values()].sort(busiestFirst) };
}

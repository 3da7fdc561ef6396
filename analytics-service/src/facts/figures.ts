import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { PRIORITY_NUMBER, RESOLUTION_BREACHED, RESPONSE_BREACHED, STATUS_NUMBER, type FactColumns } from './fact-store.js';

// The figures, computed exactly from every matching fact in one pass over the columns.

const OPEN = STATUS_NUMBER.OPEN;
const IN_PROGRESS = STATUS_NUMBER.IN_PROGRESS;
const CLOSED = STATUS_NUMBER.CLOSED;

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

/**
 * The p-quantile of values[0..n), interpolating between neighbours like Postgres'
 * percentile_cont. Reorders the values (quickselect).
 */
export function percentile(values: Float64Array, n: number, p: number): number | null {
  if (n === 0) return null;
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const below = select(values, 0, n - 1, lower);
  if (position === lower) return below;
  // Quickselect left everything above `lower` to its right: the next value is their minimum.
  let above = Infinity;
  for (let i = lower + 1; i < n; i++) if (values[i]! < above) above = values[i]!;
  return below + (above - below) * (position - lower);
}

/** The k-th smallest of values[left..right], moving smaller ones left of it (Hoare, median of three). */
function select(values: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const middle = (left + right) >>> 1;
    // Median of three as the pivot keeps sorted and reversed input linear.
    const a = values[left]!;
    const b = values[middle]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return values[k]!;
  }
  return values[k]!;
}

export interface DurationStats {
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** Times are kept to the millisecond, so figures are too: no float noise past the third decimal. */
const toMillisecond = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000) / 1000);

function durationStats(values: Float64Array, n: number, sum: number): DurationStats {
  return {
    count: n,
    meanSeconds: toMillisecond(n === 0 ? null : sum / n),
    medianSeconds: toMillisecond(percentile(values, n, 0.5)),
    p90Seconds: toMillisecond(percentile(values, n, 0.9)),
  };
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

/**
 * Counts, MTTA and MTTR (mean, median, p90 in seconds), SLA compliance and reopen rate over the
 * facts created in the window. A target is met when it was reached by its due time, breached
 * when incident-service recorded it missed or it is past due now, pending otherwise; a target
 * of an incident cancelled before it was due counts neither way.
 */
export function summarize(facts: FactColumns, filter: FactFilter, now: number): SummaryFigures {
  const f = compile(facts, filter);
  const byStatus = new Array<number>(INCIDENT_STATUSES.length).fill(0);
  const byPriority = new Array<number>(INCIDENT_PRIORITIES.length).fill(0);
  let total = 0;
  let acknowledged = 0;
  let acknowledgeSum = 0;
  let resolvedCount = 0;
  let resolveSum = 0;
  let responseMet = 0;
  let responseBreached = 0;
  let responsePending = 0;
  let resolutionMet = 0;
  let resolutionBreached = 0;
  let resolutionPending = 0;
  let everResolved = 0;
  let reopened = 0;
  if (acknowledgeScratch.length < facts.length) {
    acknowledgeScratch = new Float64Array(facts.length);
    resolveScratch = new Float64Array(facts.length);
  }
  const { created, responded, resolved, responseDue, resolutionDue, status, priority, breaches, reopens } = facts;
  for (let i = 0; !f.none && i < facts.length; i++) {
    const createdAt = created[i]!;
    if (createdAt < f.from || createdAt >= f.to || !matchesScope(facts, i, f)) continue;
    total++;
    const state = status[i]!;
    byStatus[state]!++;
    byPriority[priority[i]!]!++;
    const respondedAt = responded[i]!;
    const resolvedAt = resolved[i]!;
    if (respondedAt === respondedAt) {
      const seconds = (respondedAt - createdAt) / 1000;
      acknowledgeScratch[acknowledged++] = seconds;
      acknowledgeSum += seconds;
    }
    if (resolvedAt === resolvedAt) {
      const seconds = (resolvedAt - createdAt) / 1000;
      resolveScratch[resolvedCount++] = seconds;
      resolveSum += seconds;
    }

    const responseDueAt = responseDue[i]!;
    if (responseDueAt === responseDueAt) {
      const late = (breaches[i]! & RESPONSE_BREACHED) !== 0 || (respondedAt === respondedAt ? respondedAt > responseDueAt : state === OPEN && now > responseDueAt);
      if (late) responseBreached++;
      else if (respondedAt === respondedAt) responseMet++;
      else if (state === OPEN) responsePending++;
    }
    const resolutionDueAt = resolutionDue[i]!;
    if (resolutionDueAt === resolutionDueAt) {
      const active = state === OPEN || state === IN_PROGRESS;
      const late = (breaches[i]! & RESOLUTION_BREACHED) !== 0 || (resolvedAt === resolvedAt ? resolvedAt > resolutionDueAt : active && now > resolutionDueAt);
      if (late) resolutionBreached++;
      else if (resolvedAt === resolvedAt) resolutionMet++;
      else if (active) resolutionPending++;
    }

    const reopenCount = reopens[i]!;
    if (resolvedAt === resolvedAt || reopenCount > 0 || state === CLOSED) everResolved++;
    if (reopenCount > 0) reopened++;
  }
  return {
    total,
    byStatus: Object.fromEntries(INCIDENT_STATUSES.map((name, index) => [name, byStatus[index]!])) as Record<IncidentStatus, number>,
    byPriority: Object.fromEntries(INCIDENT_PRIORITIES.map((name, index) => [name, byPriority[index]!])) as Record<IncidentPriority, number>,
    openBacklog: byStatus[OPEN]! + byStatus[IN_PROGRESS]!,
    mtta: durationStats(acknowledgeScratch, acknowledged, acknowledgeSum),
    mttr: durationStats(resolveScratch, resolvedCount, resolveSum),
    sla: {
      response: targetStats(responseMet, responseBreached, responsePending),
      resolution: targetStats(resolutionMet, resolutionBreached, resolutionPending),
    },
    reopen: { resolved: everResolved, reopened, rate: everResolved === 0 ? null : reopened / everResolved },
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
  const count = Math.max(1, Math.ceil((filter.to - first) / step));
  const created = new Array<number>(count).fill(0);
  const resolved = new Array<number>(count).fill(0);
  for (let i = 0; !f.none && i < facts.length; i++) {
    if (!matchesScope(facts, i, f)) continue;
    const createdAt = facts.created[i]!;
    if (createdAt >= filter.from && createdAt < filter.to) created[Math.floor((createdAt - first) / step)]!++;
    const resolvedAt = facts.resolved[i]!;
    if (resolvedAt >= filter.from && resolvedAt < filter.to) resolved[Math.floor((resolvedAt - first) / step)]!++;
  }
  return created.map((createdCount, index) => ({
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
  for (let i = 0; !f.none && i < facts.length; i++) {
    const state = facts.status[i]!;
    if (state !== OPEN && state !== IN_PROGRESS) continue;
    const createdAt = facts.created[i]!;
    if (createdAt < f.from || createdAt >= f.to || !matchesScope(facts, i, f)) continue;
    const late =
      facts.breaches[i]! !== 0 ||
      (facts.responded[i]! !== facts.responded[i]! && now > facts.responseDue[i]!) ||
      (facts.resolved[i]! !== facts.resolved[i]! && now > facts.resolutionDue[i]!);
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

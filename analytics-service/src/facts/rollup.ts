import * as codes from './fact-codes.js';
import { widened, type Column } from './typed-arrays.js';

// Module-local copies: an imported binding may be read through a getter (esbuild's CommonJS
// interop does that), far too slow in the loops over blocks and facts.
const { BUCKETS, DAY_MS, EVER_RESOLVED, REOPENED, RESOLUTION_SHIFT, RESPONSE_SHIFT, STATUS_COUNT, STATUS_NUMBER, TARGET_BREACHED, TARGET_MET, durationBucket } = codes;

/**
 * The facts kept pre-summed as they arrive, so a question about ten million of them does not pass
 * over ten million. Per *group* (one department × category × priority):
 * - per *period* (8 days of creation time, from the epoch) a block with the tallies of its facts
 *   (counts by status, by outcome against each target, sums of the durations);
 * - its durations to first response and to resolution by bucket (fact-codes.ts): how many fall
 *   in each, cumulated period by period (so the counts of a run of periods are a subtraction),
 *   and each bucket's durations in order of the facts' creation (so those of a window, when a
 *   median or p90 falls in that bucket, are a pair of binary searches away);
 * - per day, how many were created and how many resolved (for trends).
 * Besides, the open incidents (OPEN, IN_PROGRESS) by row: whatever depends on the time of asking
 * (a target falling due) or only concerns the backlog (workload) is worked out from them alone.
 *
 * Each fact's part is added when it is stored and taken away before it changes, so the rollup
 * always holds exactly the facts' present state. Sums of durations are kept in whole
 * microseconds (exact in a double), so adding and taking away leaves no rounding behind.
 */

/** What the rollup reads of a fact, by row: the model's columns (FactColumns in fact-store.ts). */
export interface FactColumns {
  created: Float64Array;
  resolved: Float64Array;
  responseDue: Float64Array;
  resolutionDue: Float64Array;
  acknowledge: Float64Array;
  resolve: Float64Array;
  status: Uint8Array;
  marks: Uint8Array;
  department: Int32Array;
  assignee: Int32Array;
  group: Int32Array;
}

export const PERIOD_DAYS = 8;
export const PERIOD_MS = PERIOD_DAYS * DAY_MS;

/** Fields of a tally (one Float64Array). */
export const T_TOTAL = 0;
export const T_STATUS = 1;
export const T_ACKNOWLEDGED = T_STATUS + STATUS_COUNT;
export const T_ACKNOWLEDGE_MICROS = T_ACKNOWLEDGED + 1;
export const T_RESOLVED = T_ACKNOWLEDGE_MICROS + 1;
export const T_RESOLVE_MICROS = T_RESOLVED + 1;
export const T_EVER_RESOLVED = T_RESOLVE_MICROS + 1;
export const T_REOPENED = T_EVER_RESOLVED + 1;
export const T_RESPONSE_MET = T_REOPENED + 1;
export const T_RESPONSE_BREACHED = T_RESPONSE_MET + 1;
export const T_RESOLUTION_MET = T_RESPONSE_BREACHED + 1;
export const T_RESOLUTION_BREACHED = T_RESOLUTION_MET + 1;
export const TALLY_FIELDS = T_RESOLUTION_BREACHED + 1;

const OPEN = STATUS_NUMBER.OPEN;
const IN_PROGRESS = STATUS_NUMBER.IN_PROGRESS;

export const micros = (seconds: number): number => Math.round(seconds * 1e6);

/**
 * Adds (sign 1) or takes away (sign -1) fact i's part of a tally. Targets still open (met or
 * breached depending on when one asks) are not tallied: they are counted from the open facts.
 */
export function tallyFact(facts: FactColumns, i: number, sign: number, tally: Float64Array): void {
  tally[T_TOTAL]! += sign;
  tally[T_STATUS + facts.status[i]!]! += sign;
  const acknowledge = facts.acknowledge[i]!;
  if (acknowledge === acknowledge) {
    tally[T_ACKNOWLEDGED]! += sign;
    tally[T_ACKNOWLEDGE_MICROS]! += sign * micros(acknowledge);
  }
  const resolve = facts.resolve[i]!;
  if (resolve === resolve) {
    tally[T_RESOLVED]! += sign;
    tally[T_RESOLVE_MICROS]! += sign * micros(resolve);
  }
  const mark = facts.marks[i]!;
  const response = (mark >> RESPONSE_SHIFT) & 3;
  if (response === TARGET_MET) tally[T_RESPONSE_MET]! += sign;
  else if (response === TARGET_BREACHED) tally[T_RESPONSE_BREACHED]! += sign;
  const resolution = (mark >> RESOLUTION_SHIFT) & 3;
  if (resolution === TARGET_MET) tally[T_RESOLUTION_MET]! += sign;
  else if (resolution === TARGET_BREACHED) tally[T_RESOLUTION_BREACHED]! += sign;
  if ((mark & EVER_RESOLVED) !== 0) tally[T_EVER_RESOLVED]! += sign;
  if ((mark & REOPENED) !== 0) tally[T_REOPENED]! += sign;
}

/**
 * The durations of one group that fall in one bucket, with the creation time of each fact, in
 * order of creation: [created, duration] pairs side by side in one array. Those of a window of
 * creation times are then two binary searches away.
 */
export class TimedDurations {
  pairs = new Float64Array(8);
  length = 0;

  /** The first place whose creation time is ≥ time. */
  firstAtOrAfter(time: number): number {
    let low = 0;
    let high = this.length;
    const pairs = this.pairs;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (pairs[2 * middle]! < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(created: number, value: number): void {
    if (2 * this.length === this.pairs.length) this.pairs = widened(this.pairs, 2 * Math.ceil(this.length * 1.5));
    const pairs = this.pairs;
    // Mostly the newest: after every pair created at the same time or before.
    let at = this.length;
    if (at > 0 && pairs[2 * at - 2]! > created) {
      at = this.firstAtOrAfter(created);
      pairs.copyWithin(2 * at + 2, 2 * at, 2 * this.length);
    }
    pairs[2 * at] = created;
    pairs[2 * at + 1] = value;
    this.length++;
  }

  remove(created: number, value: number): void {
    const pairs = this.pairs;
    let at = this.firstAtOrAfter(created);
    while (at < this.length && pairs[2 * at] === created && pairs[2 * at + 1] !== value) at++;
    if (at === this.length || pairs[2 * at] !== created) throw new Error(`the rollup does not hold the duration ${value} of a fact created at ${created}`);
    pairs.copyWithin(2 * at, 2 * at + 2, 2 * this.length);
    this.length--;
  }

  /** Gives up the room kept for pairs to come (after a load, when most no longer grow). */
  trim(): void {
    if (this.pairs.length > 2 * this.length + 8) this.pairs = this.pairs.slice(0, 2 * this.length + 8);
  }
}

/**
 * How many of a group's durations (of one kind) fall in each bucket, cumulated over the periods:
 * row k counts those of facts created before period `firstPeriod + k` (row 0 none, the last row
 * all), so the counts of any run of whole periods are one row minus another. Rows span the
 * buckets [base, base + span). A fact of the newest period (nearly every one that changes) adds
 * to the last row only.
 */
export class CumulativeHistogram {
  firstPeriod = 0;
  rows = 0;
  base = 0;
  span = 0;
  cells = new Int32Array(0);

  add(period: number, bucket: number, sign: number): void {
    if (this.rows === 0) {
      this.firstPeriod = period;
      this.rows = 2;
      this.base = bucket;
      this.span = 1;
      this.cells = new Int32Array(2);
    }
    if (bucket < this.base || bucket >= this.base + this.span) this.widen(Math.min(this.base, bucket), Math.max(this.base + this.span, bucket + 1));
    if (period < this.firstPeriod) this.lengthen(period, this.firstPeriod + this.rows - 1);
    else if (period >= this.firstPeriod + this.rows - 1) this.lengthen(this.firstPeriod, period + 1);
    const { cells, span } = this;
    const column = bucket - this.base;
    for (let row = period - this.firstPeriod + 1; row < this.rows; row++) cells[row * span + column]! += sign;
  }

  /** Adds to `histogram` the counts of facts created in periods [from, to). */
  addRange(from: number, to: number, histogram: HistogramSum): void {
    if (this.rows === 0) return;
    const last = this.rows - 1;
    const low = Math.min(last, Math.max(0, from - this.firstPeriod));
    const high = Math.min(last, Math.max(0, to - this.firstPeriod));
    if (high <= low) return;
    const { cells, span, base } = this;
    for (let column = 0; column < span; column++) {
      const count = cells[high * span + column]! - cells[low * span + column]!;
      if (count !== 0) histogram.add(base + column, count);
    }
  }

  /** Room for buckets [base, end). */
  private widen(base: number, end: number): void {
    const span = end - base;
    const cells = new Int32Array(this.rows * span);
    for (let row = 0; row < this.rows; row++) cells.set(this.cells.subarray(row * this.span, (row + 1) * this.span), row * span + (this.base - base));
    this.cells = cells;
    this.base = base;
    this.span = span;
  }

  /** Rows for periods [firstPeriod, endPeriod): earlier ones count nothing, later ones what the last did. */
  private lengthen(firstPeriod: number, endPeriod: number): void {
    const rows = endPeriod - firstPeriod + 1;
    const cells = new Int32Array(rows * this.span);
    const shift = this.firstPeriod - firstPeriod;
    cells.set(this.cells, shift * this.span);
    const last = this.cells.subarray((this.rows - 1) * this.span);
    for (let row = shift + this.rows; row < rows; row++) cells.set(last, row * this.span);
    this.cells = cells;
    this.firstPeriod = firstPeriod;
    this.rows = rows;
  }
}

/** A group's durations (of one kind) by bucket: lists[k] holds bucket base + k. */
export class BucketedDurations {
  base = 0;
  lists: (TimedDurations | undefined)[] = [];

  /** The list of `bucket`, if any duration ever fell in it. */
  list(bucket: number): TimedDurations | undefined {
    return this.lists[bucket - this.base];
  }

  insert(created: number, value: number): void {
    const bucket = durationBucket(value);
    if (this.lists.length === 0) this.base = bucket;
    else if (bucket < this.base) {
      this.lists = [...new Array<TimedDurations | undefined>(this.base - bucket), ...this.lists];
      this.base = bucket;
    }
    const k = bucket - this.base;
    while (this.lists.length <= k) this.lists.push(undefined);
    (this.lists[k] ??= new TimedDurations()).insert(created, value);
  }

  remove(created: number, value: number): void {
    const list = this.list(durationBucket(value));
    if (!list) throw new Error(`the rollup does not hold the duration ${value}`);
    list.remove(created, value);
  }
}

export interface Block {
  tally: Float64Array;
}

/** How many facts there are per day (`counts[d - base]` for day d since the epoch). */
export class DaySeries {
  base = 0;
  counts = new Int32Array(0);

  add(day: number, sign: number): void {
    if (this.counts.length === 0) {
      this.base = day;
      this.counts = new Int32Array(1);
    } else if (day < this.base || day >= this.base + this.counts.length) {
      // Room for the days in between and some to come, so a growing series is not copied daily.
      const first = day < this.base ? day - 31 : this.base;
      const end = day < this.base ? this.base + this.counts.length : day + 32;
      const wider = new Int32Array(end - first);
      wider.set(this.counts, this.base - first);
      this.counts = wider;
      this.base = first;
    }
    this.counts[day - this.base]! += sign;
  }
}

export interface Group {
  department: number;
  category: number;
  priority: number;
  blocks: Map<number, Block>;
  acknowledge: BucketedDurations;
  resolve: BucketedDurations;
  acknowledgeCounts: CumulativeHistogram;
  resolveCounts: CumulativeHistogram;
  created: DaySeries;
  resolved: DaySeries;
}

export const periodOf = (time: number): number => Math.floor(time / PERIOD_MS);
export const dayOf = (time: number): number => Math.floor(time / DAY_MS);

export class Rollup {
  readonly groups: Group[] = [];
  private readonly groupNumbers = new Map<number, number>();
  /** The periods any block covers. */
  firstPeriod = Infinity;
  lastPeriod = -Infinity;
  /** The open facts. */
  readonly open = new OpenFacts();

  /** The group of a department, category and priority (by their numbers in the model). */
  groupOf(department: number, category: number, priority: number): number {
    const key = (department * 2_097_152 + category) * 8 + priority;
    let group = this.groupNumbers.get(key);
    if (group === undefined) {
      group = this.groups.length;
      this.groups.push({ department, category, priority, blocks: new Map(),
        acknowledge: new BucketedDurations(),
        resolve: new BucketedDurations(),
        acknowledgeCounts: new CumulativeHistogram(),
        resolveCounts: new CumulativeHistogram(),
        created: new DaySeries(), resolved: new DaySeries() });
      this.groupNumbers.set(key, group);
    }
    return group;
  }

  /** Gives up the room the blocks kept for durations to come. */
  trim(): void {
    for (const group of this.groups) {
      for (const list of [...group.acknowledge.lists, ...group.resolve.lists]) list?.trim();
    }
  }

  /** Adds fact i (as its columns hold it now). */
  add(facts: FactColumns, i: number): void {
    this.apply(facts, i, 1);
    const status = facts.status[i]!;
    if (status === OPEN || status === IN_PROGRESS) this.open.add(facts, i);
  }

  /** Takes fact i away (as its columns hold it now, before they change). */
  remove(facts: FactColumns, i: number): void {
    this.apply(facts, i, -1);
    this.open.remove(i);
  }

  private apply(facts: FactColumns, i: number, sign: number): void {
    const group = this.groups[facts.group[i]!]!;
    const created = facts.created[i]!;
    const period = periodOf(created);
    let block = group.blocks.get(period);
    if (!block) {
      block = { tally: new Float64Array(TALLY_FIELDS) };
      group.blocks.set(period, block);
      if (period < this.firstPeriod) this.firstPeriod = period;
      if (period > this.lastPeriod) this.lastPeriod = period;
    }
    tallyFact(facts, i, sign, block.tally);
    const acknowledge = facts.acknowledge[i]!;
    if (acknowledge === acknowledge) {
      if (sign > 0) group.acknowledge.insert(created, acknowledge);
      else group.acknowledge.remove(created, acknowledge);
      group.acknowledgeCounts.add(period, durationBucket(acknowledge), sign);
    }
    const resolve = facts.resolve[i]!;
    if (resolve === resolve) {
      if (sign > 0) group.resolve.insert(created, resolve);
      else group.resolve.remove(created, resolve);
      group.resolveCounts.add(period, durationBucket(resolve), sign);
    }
    group.created.add(dayOf(created), sign);
    const resolved = facts.resolved[i]!;
    if (resolved === resolved) group.resolved.add(dayOf(resolved), sign);
  }
}

/**
 * The open facts (OPEN, IN_PROGRESS), in no order, with what the figures read of them copied
 * side by side: a pass over them reads a few arrays straight through, not rows all over the
 * model. `at` maps a row to its place.
 */
export class OpenFacts {
  count = 0;
  row = new Int32Array(256);
  created = new Float64Array(256);
  responseDue = new Float64Array(256);
  resolutionDue = new Float64Array(256);
  group = new Int32Array(256);
  department = new Int32Array(256);
  assignee = new Int32Array(256);
  marks = new Uint8Array(256);
  private readonly at = new Map<number, number>();

  add(facts: FactColumns, i: number): void {
    if (this.count === this.row.length) this.grow();
    const k = this.count++;
    this.at.set(i, k);
    this.row[k] = i;
    this.created[k] = facts.created[i]!;
    this.responseDue[k] = facts.responseDue[i]!;
    this.resolutionDue[k] = facts.resolutionDue[i]!;
    this.group[k] = facts.group[i]!;
    this.department[k] = facts.department[i]!;
    this.assignee[k] = facts.assignee[i]!;
    this.marks[k] = facts.marks[i]!;
  }

  /** Takes row i out, if it is in: the last one moves into its place. */
  remove(i: number): void {
    const k = this.at.get(i);
    if (k === undefined) return;
    this.at.delete(i);
    const last = --this.count;
    if (k === last) return;
    const moved = this.row[last]!;
    this.at.set(moved, k);
    this.row[k] = moved;
    this.created[k] = this.created[last]!;
    this.responseDue[k] = this.responseDue[last]!;
    this.resolutionDue[k] = this.resolutionDue[last]!;
    this.group[k] = this.group[last]!;
    this.department[k] = this.department[last]!;
    this.assignee[k] = this.assignee[last]!;
    this.marks[k] = this.marks[last]!;
  }

  private grow(): void {
    const size = this.row.length * 2;
    const wider = <T extends Column>(array: T): T => widened(array, size);
    this.row = wider(this.row);
    this.created = wider(this.created);
    this.responseDue = wider(this.responseDue);
    this.resolutionDue = wider(this.resolutionDue);
    this.group = wider(this.group);
    this.department = wider(this.department);
    this.assignee = wider(this.assignee);
    this.marks = wider(this.marks);
  }
}

/** Bucket counts summed over the groups a question takes in; cleared between uses. */
export class HistogramSum {
  readonly counts = new Int32Array(BUCKETS);
  first = BUCKETS;
  end = 0;

  add(bucket: number, count: number): void {
    if (bucket < this.first) this.first = bucket;
    if (bucket + 1 > this.end) this.end = bucket + 1;
    this.counts[bucket]! += count;
  }

  clear(): void {
    if (this.end > this.first) this.counts.fill(0, this.first, this.end);
    this.first = BUCKETS;
    this.end = 0;
  }
}

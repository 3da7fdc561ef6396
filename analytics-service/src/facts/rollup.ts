import {
  BUCKETS,
  DAY_MS,
  EVER_RESOLVED,
  REOPENED,
  RESOLUTION_SHIFT,
  RESPONSE_SHIFT,
  STATUS_COUNT,
  STATUS_NUMBER,
  TARGET_BREACHED,
  TARGET_MET,
  durationBucket,
} from './fact-codes.js';
import type { FactColumns } from './fact-store.js';

/**
 * The facts kept pre-summed as they arrive, so a question about ten million of them does not pass
 * over ten million: per *group* (one department × category × priority) and *period* (8 days of
 * creation time, from the epoch), a block holds the tallies of its facts (counts by status, by
 * outcome against each target, sums of the durations), their durations sorted, and a histogram
 * of those durations by bucket (fact-codes.ts). Per group and day, how many were created and how
 * many resolved (for trends). Besides, the open incidents (OPEN, IN_PROGRESS) by row: whatever
 * depends on the time of asking (a target falling due) or only concerns the backlog (workload) is
 * worked out from them alone.
 *
 * Each fact's part is added when it is stored and taken away before it changes, so the blocks
 * always hold exactly the facts' present state. Sums of durations are kept in whole microseconds
 * (exact in a double), so adding and taking away leaves no rounding behind.
 */

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

/** Durations kept sorted, with how many fall in each bucket (over the span of buckets used). */
export class DurationSet {
  values = new Float64Array(4);
  length = 0;
  /** counts[k] is how many values are in bucket base + k. */
  base = 0;
  counts = new Int32Array(0);

  /** The first position whose value is ≥ value. */
  lowerBound(value: number): number {
    let low = 0;
    let high = this.length;
    const values = this.values;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (values[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  insert(value: number): void {
    if (this.length === this.values.length) {
      const wider = new Float64Array(this.values.length * 2);
      wider.set(this.values);
      this.values = wider;
    }
    const at = this.lowerBound(value);
    this.values.copyWithin(at + 1, at, this.length);
    this.values[at] = value;
    this.length++;
    const bucket = durationBucket(value);
    if (this.counts.length === 0) {
      this.base = bucket;
      this.counts = new Int32Array(1);
    } else if (bucket < this.base || bucket >= this.base + this.counts.length) {
      const first = Math.min(this.base, bucket);
      const end = Math.max(this.base + this.counts.length, bucket + 1);
      const wider = new Int32Array(end - first);
      wider.set(this.counts, this.base - first);
      this.counts = wider;
      this.base = first;
    }
    this.counts[bucket - this.base]!++;
  }

  remove(value: number): void {
    const at = this.lowerBound(value);
    if (at === this.length || this.values[at] !== value) throw new Error(`the rollup does not hold the duration ${value}`);
    this.values.copyWithin(at, at + 1, this.length);
    this.length--;
    this.counts[durationBucket(value) - this.base]!--;
  }
}

export interface Block {
  tally: Float64Array;
  acknowledge: DurationSet;
  resolve: DurationSet;
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
  /** The open facts' rows, in no order; openAt maps a row to its place there. */
  open = new Int32Array(1024);
  openCount = 0;
  private readonly openAt = new Map<number, number>();

  /** The group of a department, category and priority (by their numbers in the model). */
  groupOf(department: number, category: number, priority: number): number {
    const key = (department * 2_097_152 + category) * 8 + priority;
    let group = this.groupNumbers.get(key);
    if (group === undefined) {
      group = this.groups.length;
      this.groups.push({ department, category, priority, blocks: new Map(), created: new DaySeries(), resolved: new DaySeries() });
      this.groupNumbers.set(key, group);
    }
    return group;
  }

  /** Adds fact i (as its columns hold it now). */
  add(facts: FactColumns, i: number): void {
    this.apply(facts, i, 1);
    const status = facts.status[i]!;
    if (status === OPEN || status === IN_PROGRESS) {
      if (this.openCount === this.open.length) {
        const wider = new Int32Array(this.open.length * 2);
        wider.set(this.open);
        this.open = wider;
      }
      this.openAt.set(i, this.openCount);
      this.open[this.openCount++] = i;
    }
  }

  /** Takes fact i away (as its columns hold it now, before they change). */
  remove(facts: FactColumns, i: number): void {
    this.apply(facts, i, -1);
    const at = this.openAt.get(i);
    if (at !== undefined) {
      const last = this.open[--this.openCount]!;
      this.open[at] = last;
      this.openAt.set(last, at);
      this.openAt.delete(i);
    }
  }

  private apply(facts: FactColumns, i: number, sign: number): void {
    const group = this.groups[facts.group[i]!]!;
    const created = facts.created[i]!;
    const period = periodOf(created);
    let block = group.blocks.get(period);
    if (!block) {
      block = { tally: new Float64Array(TALLY_FIELDS), acknowledge: new DurationSet(), resolve: new DurationSet() };
      group.blocks.set(period, block);
      if (period < this.firstPeriod) this.firstPeriod = period;
      if (period > this.lastPeriod) this.lastPeriod = period;
    }
    tallyFact(facts, i, sign, block.tally);
    const acknowledge = facts.acknowledge[i]!;
    if (acknowledge === acknowledge) {
      if (sign > 0) block.acknowledge.insert(acknowledge);
      else block.acknowledge.remove(acknowledge);
    }
    const resolve = facts.resolve[i]!;
    if (resolve === resolve) {
      if (sign > 0) block.resolve.insert(resolve);
      else block.resolve.remove(resolve);
    }
    group.created.add(dayOf(created), sign);
    const resolved = facts.resolved[i]!;
    if (resolved === resolved) group.resolved.add(dayOf(resolved), sign);
  }
}

/** Bucket counts summed over many DurationSets, and over loose values; cleared between uses. */
export class HistogramSum {
  readonly counts = new Int32Array(BUCKETS);
  first = BUCKETS;
  end = 0;

  addSet(set: DurationSet): void {
    const counts = set.counts;
    const base = set.base;
    const span = counts.length;
    if (span === 0) return;
    if (base < this.first) this.first = base;
    if (base + span > this.end) this.end = base + span;
    const target = this.counts;
    for (let k = 0; k < span; k++) target[base + k]! += counts[k]!;
  }

  addValue(value: number): void {
    const bucket = durationBucket(value);
    if (bucket < this.first) this.first = bucket;
    if (bucket + 1 > this.end) this.end = bucket + 1;
    this.counts[bucket]!++;
  }

  clear(): void {
    if (this.end > this.first) this.counts.fill(0, this.first, this.end);
    this.first = BUCKETS;
    this.end = 0;
  }
}

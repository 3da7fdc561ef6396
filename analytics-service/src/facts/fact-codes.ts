import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';

// How a fact's parts are coded in the model's typed arrays (fact-store.ts) and its rollup
// (rollup.ts): small numbers and bits, worked out once when a fact is stored.

export const DAY_MS = 86_400_000;

export const STATUS_NUMBER = Object.fromEntries(INCIDENT_STATUSES.map((status, index) => [status, index])) as Record<IncidentStatus, number>;
export const PRIORITY_NUMBER = Object.fromEntries(INCIDENT_PRIORITIES.map((priority, index) => [priority, index])) as Record<IncidentPriority, number>;
export const STATUS_COUNT = INCIDENT_STATUSES.length;
/** How a fact stands against a target, as far as that does not depend on the time of asking. */
export const TARGET_NONE = 0; // no target, or none to meet (cancelled before it was due)
export const TARGET_MET = 1;
export const TARGET_BREACHED = 2;
/** Not reached yet: breached once its due time has passed, pending until then. */
export const TARGET_OPEN = 3;
/** Bits of FactColumns.marks. */
export const RESPONSE_SHIFT = 0;
export const RESOLUTION_SHIFT = 2;
export const EVER_RESOLVED = 16;
export const REOPENED = 32;

// A non-negative double's high 32 bits order as the double does; their top 16 bits (sign,
// exponent, 4 bits of mantissa) put it in a bucket 1/16 of a power of two wide. Durations below
// 2^-10 s (under a millisecond, zero above all) share bucket 0, so the buckets a set of durations
// uses lie close together: a few hundred from a second to a year. Percentiles count buckets
// first, then sort only the bucket a wanted rank falls in.
const doubleView = new Float64Array(1);
const wordsView = new Uint32Array(doubleView.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const FLOOR = (1023 - 10) << 4;
/** How many buckets there are (NaN and infinity included, in buckets no duration uses). */
export const BUCKETS = (1 << 15) - FLOOR;

/** The bucket of a non-negative duration (see above). */
export function durationBucket(value: number): number {
  doubleView[0] = value;
  return Math.max(0, (wordsView[HIGH_WORD]! >>> 16) - FLOOR);
}

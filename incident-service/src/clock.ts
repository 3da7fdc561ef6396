/**
 * Where the time of a change comes from. Every request runs on the real clock; a clock set to a
 * past instant replays history through the same use cases (the standalone demo's eight weeks,
 * see history/replay.ts), so the incident's times, its SLA due times and breaches, its timeline
 * and its events' `time` all tell that instant, as they would have had the change happened then.
 */
export interface Clock {
  now(): Date;
  /**
   * Set to an instant rather than running. Rows are then stamped with that instant; on the real
   * clock they keep the database's `clock_timestamp()`, which orders stamps as the rows' locks
   * were taken (what comment pages and the other services' catch-ups count on).
   */
  readonly fixed: boolean;
}

export const systemClock: Clock = { now: () => new Date(), fixed: false };

/** A clock standing still at `instant`. */
export function clockAt(instant: Date): Clock {
  const time = instant.getTime();
  return { now: () => new Date(time), fixed: true };
}

/** What rows written now are stamped with: the set instant, or undefined for the database's clock. */
export function rowStamp(clock: Clock): Date | undefined {
  return clock.fixed ? clock.now() : undefined;
}

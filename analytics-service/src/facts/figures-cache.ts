/**
 * Figures computed once for everyone asking the same question of the same model: an entry holds
 * while the facts are at the revision it was computed at, and for at most `ttlMs` (figures also
 * depend on the time: targets fall due, backlogs age). Dashboards that many managers keep open
 * then cost one pass over the facts per change, not one per viewer.
 */
export class FiguresCache {
  private readonly entries = new Map<string, { revision: number; computedAt: number; value: unknown }>();

  constructor(
    private readonly ttlMs = 1_000,
    private readonly capacity = 500,
  ) {}

  /** The figures for `key` at `revision`, computed by `compute(now)` unless held. */
  get<T>(key: string, revision: number, compute: (now: number) => T): { value: T; computedAt: number } {
    const now = Date.now();
    const held = this.entries.get(key);
    if (held && held.revision === revision && now - held.computedAt < this.ttlMs) return held as { value: T; computedAt: number };
    const entry = { revision, computedAt: now, value: compute(now) };
    this.entries.delete(key);
    this.entries.set(key, entry);
    // The oldest entry goes first (a Map keeps insertion order).
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

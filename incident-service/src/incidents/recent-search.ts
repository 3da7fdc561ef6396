import { withPoolConnection } from '@desk/platform';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';

/**
 * The full-text index of recent incidents: a partial GIN index over `search` of the incidents
 * updated since a day, beside the index of every incident.
 *
 * A search lists its matches newest first (`updated_at desc`). The GIN index answers which rows
 * match but not when they were updated, so a search whose words are each common while together
 * they are rare (`password reset`: 13,016 matches in ten million) reads every match's row to sort
 * them, and intersects posting lists that grow with the table: 36 ms of Postgres time at ten
 * million, the one search of the benchmark's mix that grew with the data. Its newest page lies
 * among the incidents of the last weeks, whose index stays the same size however old the desk
 * grows; a list asks that index first and the whole one only for what it did not fill
 * (list-incidents.use-case.ts).
 *
 * The index holds the incidents updated since its day, RECENT_SEARCH_DAYS before it was built;
 * once that day is REBUILD_AFTER_DAYS old a newer one is built beside it, concurrently (writes
 * go on), and the older one is dropped a day or two later, when every replica has long read the
 * catalogue again (each does every minute; a replica still asking a dropped index would be answered
 * right, from the index of every incident, only slower). Its day is in its name (`incidents_search_since_20261106`) and in its predicate, and
 * a list writes the same day into its SQL as a constant, which is how Postgres knows the index
 * answers it.
 */
export const RECENT_SEARCH_DAYS = 30;
export const REBUILD_AFTER_DAYS = 60;
const PREFIX = 'incidents_search_since_';
const NAME = /^incidents_search_since_(\d{4})(\d{2})(\d{2})$/;
const DAY_MS = 86_400_000;
/** How often a replica looks for a newer index (a catalogue read). */
const REFRESH_MS = 60_000;
/** How often one replica checks whether a newer index is due (and drops the ones it replaced). */
const MAINTAIN_MS = 3_600_000;

export interface RecentSearchIndex {
  name: string;
  /** The first instant it holds: midnight UTC of its day. */
  since: Date;
  /** Built and usable (a concurrent build cut off by a crash leaves an invalid one). */
  valid: boolean;
}

/** The recent-search indexes on incidents, newest first. */
export async function recentSearchIndexes(db: Knex): Promise<RecentSearchIndex[]> {
  const { rows } = await db.raw<{ rows: { name: string; valid: boolean }[] }>(
    `select c.relname as name, i.indisvalid and i.indisready as valid
       from pg_index i join pg_class c on c.oid = i.indexrelid
      where i.indrelid = 'incidents'::regclass and c.relname like '${PREFIX}%'`,
  );
  const found: RecentSearchIndex[] = [];
  for (const row of rows) {
    const day = NAME.exec(row.name);
    if (day) found.push({ name: row.name, since: new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]))), valid: row.valid });
  }
  return found.sort((a, b) => b.since.getTime() - a.since.getTime());
}

/** The SQL constant of an index's first instant, as its predicate and the lists write it. */
export function sinceLiteral(since: Date): string {
  return `'${since.toISOString()}'::timestamptz`;
}

/** Midnight UTC, RECENT_SEARCH_DAYS before `now`. */
export function recentSearchDay(now: Date): Date {
  const day = new Date(now.getTime() - RECENT_SEARCH_DAYS * DAY_MS);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
}

function nameOf(since: Date): string {
  return `${PREFIX}${since.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * Builds the recent-search index of `now` unless it exists. `concurrently` builds it while
 * writes go on (outside any transaction); without it the build takes the table's write lock,
 * which a loader filling an empty table inside its own transaction wants.
 */
export async function buildRecentSearchIndex(db: Knex | Knex.Transaction, now: Date, options: { concurrently: boolean }): Promise<RecentSearchIndex> {
  const since = recentSearchDay(now);
  await db.raw(createSql(since, options.concurrently));
  return { name: nameOf(since), since, valid: true };
}

function createSql(since: Date, concurrently: boolean): string {
  return `create index ${concurrently ? 'concurrently ' : ''}if not exists ${nameOf(since)} on incidents using gin (search) where updated_at >= ${sinceLiteral(since)}`;
}

export interface RecentSearchOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
}

/**
 * What every replica keeps of the recent-search index: the day of the newest usable one, read
 * from the catalogue every minute, and (one replica at a time, under an advisory lock) the
 * index's upkeep every hour.
 */
export class RecentSearch {
  private current: Date | undefined;
  private refreshTimer: NodeJS.Timeout | null = null;
  private maintainTimer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  /** The backend building an index now (minutes at ten million incidents), cancelled by stop(). */
  private building: number | undefined;

  constructor(private readonly options: RecentSearchOptions) {}

  /** The first instant the newest usable index holds, or undefined while there is none. */
  since(): Date | undefined {
    return this.current;
  }

  start(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setInterval(() => this.background(() => this.refresh()), REFRESH_MS);
    this.refreshTimer.unref();
    this.maintainTimer = setInterval(() => this.background(() => this.maintain()), MAINTAIN_MS);
    this.maintainTimer.unref();
    this.background(async () => {
      await this.refresh();
      await this.maintain();
    });
  }

  async stop(): Promise<void> {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    if (this.maintainTimer) clearInterval(this.maintainTimer);
    this.refreshTimer = this.maintainTimer = null;
    // A build under way would hold the shutdown for minutes: it is cancelled, and what it leaves
    // (an invalid index) is dropped and built again by the next round on any replica.
    if (this.building !== undefined) await this.options.db.raw('select pg_cancel_backend(?)', [this.building]);
    await this.running;
  }

  /** Reads which index is the newest usable one. */
  async refresh(): Promise<void> {
    const newest = (await recentSearchIndexes(this.options.db)).find((index) => index.valid);
    this.current = newest?.since;
  }

  /**
   * One round of upkeep, unless another replica's is under way: removes what a cut-off build
   * left, drops indexes a newer one replaced a day or more ago, and builds a newer one when the
   * newest's day is REBUILD_AFTER_DAYS old (or there is none). Resolves with what it did.
   */
  async maintain(): Promise<{ built?: string; dropped: string[] } | 'busy'> {
    const { db, clock, logger } = this.options;
    // A session lock, on a connection of the pool held for the round: a concurrent build may not run in a transaction.
    return withPoolConnection(db, async (connection) => {
      const { rows } = await connection.query<{ locked: boolean }>("select pg_try_advisory_lock(hashtext(current_schema() || '.recent_search')) as locked");
      if (!rows[0]?.locked) return 'busy' as const;
      try {
        const dropped: string[] = [];
        const existing = await recentSearchIndexes(db);
        const newest = existing.find((index) => index.valid);
        const now = clock.now();
        // The newest was built RECENT_SEARCH_DAYS after its day, at most a day after midnight:
        // a day later still, every replica has long read the catalogue again.
        const replaced = newest !== undefined && now.getTime() - newest.since.getTime() >= (RECENT_SEARCH_DAYS + 2) * DAY_MS;
        for (const index of existing) {
          // Invalid: a build cut off by a crash or a cancel. Older than the newest usable, once
          // every replica asks the newest.
          if (!index.valid || (replaced && index.since < newest.since)) {
            await connection.query(`drop index concurrently if exists ${index.name}`);
            dropped.push(index.name);
          }
        }
        let built: string | undefined;
        if (!newest || now.getTime() - newest.since.getTime() >= REBUILD_AFTER_DAYS * DAY_MS) {
          const since = recentSearchDay(now);
          const started = Date.now();
          logger.info({ index: nameOf(since), since: since.toISOString() }, 'building the full-text index of recent incidents');
          this.building = (connection as { processID?: number }).processID;
          try {
            await connection.query(createSql(since, true));
          } finally {
            this.building = undefined;
          }
          built = nameOf(since);
          logger.info({ index: built, ms: Date.now() - started }, 'built the full-text index of recent incidents');
        }
        if (dropped.length > 0) logger.info({ dropped }, 'dropped full-text indexes of recent incidents that a newer one replaced');
        await this.refresh();
        return { ...(built ? { built } : {}), dropped };
      } finally {
        await connection.query("select pg_advisory_unlock(hashtext(current_schema() || '.recent_search'))");
      }
    });
  }

  private background(work: () => Promise<unknown>): void {
    if (this.running) return;
    this.running = work()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'upkeep of the full-text index of recent incidents failed; searches use the index of every incident meanwhile'))
      .finally(() => {
        this.running = null;
      });
  }
}

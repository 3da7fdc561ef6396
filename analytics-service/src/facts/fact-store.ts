import type { IncidentPriority, IncidentStatus } from '@desk/contracts';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { FACT_TABLE } from '../migrations.js';
import { PRIORITY_NUMBER, RESOLUTION_SHIFT, RESPONSE_SHIFT, STATUS_NUMBER, EVER_RESOLVED, REOPENED, TARGET_BREACHED, TARGET_MET, TARGET_NONE, TARGET_OPEN } from './fact-codes.js';
import { IdIndex } from './id-index.js';
import { Rollup } from './rollup.js';
import { widened, type Column } from './typed-arrays.js';

/** Ids (departments, categories, people) as small integers, so facts fit in typed arrays. */
export class Dictionary {
  readonly ids: string[] = [];
  private readonly numbers = new Map<string, number>();

  numberOf(id: string): number {
    let number = this.numbers.get(id);
    if (number === undefined) {
      number = this.ids.length;
      this.ids.push(id);
      this.numbers.set(id, number);
    }
    return number;
  }

  /** The number of an id, or -1 when no fact names it. */
  find(id: string): number {
    return this.numbers.get(id) ?? -1;
  }
}

export * from './fact-codes.js';
const NO_ONE = -1;

/**
 * Every fact, column by column, with what the figures need worked out when the fact is stored
 * rather than at every query: durations in seconds (NaN for none), how each SLA target stands,
 * whether it was ever resolved or re-opened. Times in epoch milliseconds (NaN for none),
 * statuses and priorities by their index in the contracts' lists, ids through dictionaries.
 * The rows in order of creation time (`byCreated`), and the rollup (rollup.ts) that answers
 * most questions without passing over the rows. About 70 bytes per incident in the columns, 21
 * to 27 in the id index (id-index.ts) and some 32 in the rollup's durations with their creation
 * times, off the JavaScript heap.
 */
export class FactColumns {
  length = 0;
  private capacity: number;
  created: Float64Array;
  resolved: Float64Array;
  responseDue: Float64Array;
  resolutionDue: Float64Array;
  /** created → first response, in seconds. */
  acknowledge: Float64Array;
  /** created → resolved, in seconds. */
  resolve: Float64Array;
  status: Uint8Array;
  priority: Uint8Array;
  /** Target outcomes (2 bits each, at RESPONSE_SHIFT and RESOLUTION_SHIFT), EVER_RESOLVED, REOPENED. */
  marks: Uint8Array;
  department: Int32Array;
  category: Int32Array;
  /** NO_ONE (-1) when unassigned. */
  assignee: Int32Array;
  /** The rollup group (department × category × priority) of each fact. */
  group: Int32Array;
  /** Rows sorted by creation time: byCreated[0 … length) (facts are loaded oldest first, and new ones are mostly the newest, so this is mostly appended to). */
  byCreated: Int32Array;
  /** Each fact's row by its incident id. */
  private readonly rows: IdIndex;
  readonly departments = new Dictionary();
  readonly categories = new Dictionary();
  readonly people = new Dictionary();
  readonly rollup = new Rollup();

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.created = new Float64Array(this.capacity);
    this.resolved = new Float64Array(this.capacity);
    this.responseDue = new Float64Array(this.capacity);
    this.resolutionDue = new Float64Array(this.capacity);
    this.acknowledge = new Float64Array(this.capacity);
    this.resolve = new Float64Array(this.capacity);
    this.status = new Uint8Array(this.capacity);
    this.priority = new Uint8Array(this.capacity);
    this.marks = new Uint8Array(this.capacity);
    this.department = new Int32Array(this.capacity);
    this.category = new Int32Array(this.capacity);
    this.assignee = new Int32Array(this.capacity);
    this.group = new Int32Array(this.capacity);
    this.byCreated = new Int32Array(this.capacity);
    this.rows = new IdIndex(this.capacity);
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * 1.5);
    const wider = <T extends Column>(array: T): T => widened(array, this.capacity);
    this.created = wider(this.created);
    this.resolved = wider(this.resolved);
    this.responseDue = wider(this.responseDue);
    this.resolutionDue = wider(this.resolutionDue);
    this.acknowledge = wider(this.acknowledge);
    this.resolve = wider(this.resolve);
    this.status = wider(this.status);
    this.priority = wider(this.priority);
    this.marks = wider(this.marks);
    this.department = wider(this.department);
    this.category = wider(this.category);
    this.assignee = wider(this.assignee);
    this.group = wider(this.group);
    this.byCreated = wider(this.byCreated);
  }

  /** The first place in byCreated whose fact was created at or after `time`. */
  firstCreatedAtOrAfter(time: number): number {
    let low = 0;
    let high = this.length;
    const { created, byCreated } = this;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (created[byCreated[middle]!]! < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Puts row `index` into byCreated at its creation time (after any of the same time). */
  private placeByCreated(index: number, count: number): void {
    const time = this.created[index]!;
    const { created, byCreated } = this;
    if (count === 0 || created[byCreated[count - 1]!]! <= time) {
      byCreated[count] = index;
      return;
    }
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (created[byCreated[middle]!]! <= time) low = middle + 1;
      else high = middle;
    }
    byCreated.copyWithin(low + 1, low, count);
    byCreated[low] = index;
  }

  /** Takes row `index` out of byCreated (its creation time still in the column). */
  private unplaceByCreated(index: number): void {
    let at = this.firstCreatedAtOrAfter(this.created[index]!);
    while (this.byCreated[at] !== index) at++;
    this.byCreated.copyWithin(at, at + 1, this.length);
  }

  /** Adds the fact, or overwrites the one with its id (the database only ever moves a fact forward). */
  put(row: FactRow): void {
    const index = this.rows.rowFor(row.id);
    const created = row.created_ms;
    if (index === this.length) {
      if (this.length === this.capacity) this.grow();
      this.created[index] = created;
      this.placeByCreated(index, this.length);
      this.length++;
    } else {
      this.rollup.remove(this, index);
      if (this.created[index] !== created) {
        this.unplaceByCreated(index);
        this.created[index] = created;
        this.placeByCreated(index, this.length - 1);
      }
    }
    const responded = row.responded_ms ?? Number.NaN;
    const resolved = row.resolved_ms ?? Number.NaN;
    const responseDue = row.response_due_ms ?? Number.NaN;
    const resolutionDue = row.resolution_due_ms ?? Number.NaN;
    const status = STATUS_NUMBER[row.status];
    const active = row.status === 'OPEN' || row.status === 'IN_PROGRESS';
    this.resolved[index] = resolved;
    this.responseDue[index] = responseDue;
    this.resolutionDue[index] = resolutionDue;
    // Never negative: a clock that ran backwards must not make a duration that orders wrongly.
    this.acknowledge[index] = Math.max(0, (responded - created) / 1000);
    this.resolve[index] = Math.max(0, (resolved - created) / 1000);
    this.status[index] = status;
    const priority = PRIORITY_NUMBER[row.priority];
    this.priority[index] = priority;
    this.marks[index] =
      (targetOutcome(responseDue, responded, row.response_breached, row.status === 'OPEN') << RESPONSE_SHIFT) |
      (targetOutcome(resolutionDue, resolved, row.resolution_breached, active) << RESOLUTION_SHIFT) |
      (resolved === resolved || row.reopen_count > 0 || row.status === 'CLOSED' ? EVER_RESOLVED : 0) |
      (row.reopen_count > 0 ? REOPENED : 0);
    const department = this.departments.numberOf(row.department_id);
    const category = this.categories.numberOf(row.category_id);
    this.department[index] = department;
    this.category[index] = category;
    this.assignee[index] = row.assignee_id === null ? NO_ONE : this.people.numberOf(row.assignee_id);
    this.group[index] = this.rollup.groupOf(department, category, priority);
    this.rollup.add(this, index);
  }
}

/**
 * A target is met when reached by its due time; breached when incident-service recorded it
 * missed or it was reached late; open while it may still be reached (then the time of asking
 * decides); nothing when there is no target or no longer anything to reach (a cancelled incident).
 */
function targetOutcome(due: number, reached: number, recordedMissed: boolean, stillToReach: boolean): number {
  if (due !== due) return TARGET_NONE;
  if (recordedMissed || reached > due) return TARGET_BREACHED;
  if (reached === reached) return TARGET_MET;
  return stillToReach ? TARGET_OPEN : TARGET_NONE;
}

/** A fact as the store reads it from Postgres. */
export interface FactRow {
  id: string;
  status: IncidentStatus;
  priority: IncidentPriority;
  department_id: string;
  category_id: string;
  assignee_id: string | null;
  created_ms: number;
  responded_ms: number | null;
  resolved_ms: number | null;
  response_due_ms: number | null;
  resolution_due_ms: number | null;
  response_breached: boolean;
  resolution_breached: boolean;
  reopen_count: number;
}

const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8 as ${column.replace(/_at$/, '_ms')}`;
const SELECT_FACTS = `select id, status, priority, department_id, category_id, assignee_id, reopen_count,
  ${['created_at', 'responded_at', 'resolved_at', 'response_due_at', 'resolution_due_at'].map(ms).join(', ')},
  response_breached_at is not null as response_breached, resolution_breached_at is not null as resolution_breached
  from ${FACT_TABLE}`;
const SELECT_FACTS_WRITTEN = SELECT_FACTS.replace('select id,', 'select written_xid::text as written_xid, id,');
const SELECT_FACTS_BY_CREATED = SELECT_FACTS.replace('select id,', 'select created_at::text as created_key, id,');
const LOAD_PAGE = 50_000;

/** xmax and the in-progress transaction ids of a `pg_snapshot` in its text form (`xmin:xmax:xip,…`). */
function parseSnapshot(text: string): { xmax: string; inProgress: string[] } {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!match) throw new Error(`not a pg_snapshot: ${JSON.stringify(text)}`);
  return { xmax: match[2]!, inProgress: match[3] ? match[3].split(',') : [] };
}

/**
 * The facts, held in memory for queries that look at every one of a million incidents in a few
 * milliseconds (Postgres needs hundreds for a median over that many). Postgres stays the truth:
 * any replica of the service writes facts there, and each store reads what committed since it
 * last looked, before every query and on a timer. A rebuild bumps the model's generation: stores reload.
 *
 * "Since it last looked" is exact: the store keeps the snapshot it last looked at and reads the
 * rows written by the transactions that snapshot did not see, those still running then (its
 * in-progress list) and those begun after it, by writing transaction id, so a transaction that
 * commits late is not skipped. Not "everything from the oldest transaction then running on": one
 * long transaction anywhere on the server (a backup, another database's bulk load) would make
 * every look read again all that was written since it began — at ten million facts, all of
 * them, which ran the process out of memory (bench/RESULTS.md, issue 24). What is read comes in
 * pages, so a burst of changes never has to fit in memory at once.
 */
export class FactStore {
  private columns = new FactColumns();
  private generation = 0;
  /** The snapshot (`pg_snapshot` text: xmin:xmax:in-progress ids) the store last looked at. */
  private snapshot: string | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private syncedAt = 0;
  private changes = 0;

  constructor(private readonly options: { db: Knex; logger: Logger; refreshIntervalMs: number }) {}

  /** The facts as of the last sync. Queries run on them synchronously, so a query sees one state. */
  get facts(): FactColumns {
    return this.columns;
  }

  get loaded(): boolean {
    return this.snapshot !== undefined;
  }

  /** Goes up whenever the facts change: figures computed at one revision hold until the next. */
  get revision(): number {
    return this.changes;
  }

  /** Syncs unless the last sync is at most `maxAgeMs` old. */
  async fresh(maxAgeMs: number): Promise<void> {
    if (this.loaded && Date.now() - this.syncedAt <= maxAgeMs) return;
    await this.sync();
  }

  /** Loads everything, then keeps up on a timer. */
  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => {
      this.sync().catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not refresh the analytics model; will retry'));
    }, this.options.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Catches up with Postgres; concurrent callers share one round. */
  sync(): Promise<void> {
    this.running ??= this.catchUp().finally(() => (this.running = undefined));
    return this.running;
  }

  private async catchUp(): Promise<void> {
    const { db } = this.options;
    const started = Date.now();
    const state = await db.raw<{ rows: { generation: number; snapshot: string }[] }>(
      'select generation, pg_current_snapshot()::text as snapshot from model_state where id = 1',
    );
    const { generation, snapshot } = state.rows[0]!;
    if (generation !== this.generation || this.snapshot === undefined) {
      await this.reload(generation, snapshot);
      this.changes++;
      this.syncedAt = started;
      return;
    }
    // Rows of transactions that had not committed when the last snapshot was taken: those in its
    // in-progress list, then every one from its xmax on. Rows of transactions still running now
    // are read next time (they are in this snapshot's list, or past its xmax); rows committed
    // between this snapshot and the reads below are read again next time, harmlessly, as the
    // database only ever moves a fact forward.
    const { xmax, inProgress } = parseSnapshot(this.snapshot);
    let read = 0;
    for (const xid of inProgress) read += await this.readWritten('written_xid = ?::xid8', xid);
    read += await this.readWritten('written_xid >= ?::xid8', xmax);
    if (read > 0) this.changes++;
    this.snapshot = snapshot;
    this.syncedAt = started;
  }

  /** Puts every fact matching `condition` (on written_xid), a page at a time; how many there were. */
  private async readWritten(condition: string, xid: string): Promise<number> {
    const { db } = this.options;
    let read = 0;
    // No row bound on the first page: Postgres would start the index scan at the row bound
    // rather than at the condition's (800 ms through ten million entries for none).
    let after: { xid: string; id: string } | undefined;
    for (;;) {
      const page = await db.raw<{ rows: (FactRow & { written_xid: string })[] }>(
        `${SELECT_FACTS_WRITTEN} where ${condition}${after ? ' and (written_xid, id) > (?::xid8, ?::uuid)' : ''} order by written_xid, id limit ${LOAD_PAGE}`,
        after ? [xid, after.xid, after.id] : [xid],
      );
      for (const row of page.rows) this.columns.put(row);
      read += page.rows.length;
      if (page.rows.length < LOAD_PAGE) return read;
      const last = page.rows.at(-1)!;
      after = { xid: last.written_xid, id: last.id };
    }
  }

  private async reload(generation: number, snapshot: string): Promise<void> {
    const { db, logger } = this.options;
    const started = Date.now();
    const count = await db.raw<{ rows: { count: number }[] }>(`select count(*)::int as count from ${FACT_TABLE}`);
    const columns = new FactColumns(Math.ceil(count.rows[0]!.count * 1.1));
    // Oldest first (index facts_created), so rows and rollup blocks fill in creation order. The
    // page bound is the creation time as text: exact to the microsecond, unlike the milliseconds.
    let after: { created: string; id: string } | undefined;
    for (;;) {
      const page = await db.raw<{ rows: (FactRow & { created_key: string })[] }>(
        `${SELECT_FACTS_BY_CREATED}${after ? ' where (created_at, id) > (?::timestamptz, ?::uuid)' : ''} order by created_at, id limit ${LOAD_PAGE}`,
        after ? [after.created, after.id] : [],
      );
      for (const row of page.rows) columns.put(row);
      if (page.rows.length < LOAD_PAGE) break;
      const last = page.rows.at(-1)!;
      after = { created: last.created_key, id: last.id };
      // Ten million take about two minutes: say how far it got, each million.
      if (columns.length % 1_000_000 < LOAD_PAGE) logger.info({ loaded: columns.length, of: count.rows[0]!.count }, 'loading the analytics model');
      else logger.debug({ loaded: columns.length }, 'loading the analytics model');
    }
    columns.rollup.trim();
    this.columns = columns;
    this.generation = generation;
    this.snapshot = snapshot;
    logger.info({ facts: columns.length, generation, ms: Date.now() - started }, 'analytics model loaded');
  }
}

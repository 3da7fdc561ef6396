import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { FACT_TABLE } from '../migrations.js';

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

export const STATUS_NUMBER = Object.fromEntries(INCIDENT_STATUSES.map((status, index) => [status, index])) as Record<IncidentStatus, number>;
export const PRIORITY_NUMBER = Object.fromEntries(INCIDENT_PRIORITIES.map((priority, index) => [priority, index])) as Record<IncidentPriority, number>;
export const RESPONSE_BREACHED = 1;
export const RESOLUTION_BREACHED = 2;
const NO_ONE = -1;

/**
 * Every fact, column by column: times in epoch milliseconds (NaN for none), statuses and
 * priorities by their index in the contracts' lists, ids through dictionaries. About 60 bytes per
 * incident, so a million facts take some 60 MB and a full pass over them a few milliseconds.
 */
export class FactColumns {
  length = 0;
  private capacity: number;
  created: Float64Array;
  responded: Float64Array;
  resolved: Float64Array;
  responseDue: Float64Array;
  resolutionDue: Float64Array;
  status: Uint8Array;
  priority: Uint8Array;
  /** RESPONSE_BREACHED | RESOLUTION_BREACHED, as incident-service recorded them. */
  breaches: Uint8Array;
  department: Int32Array;
  category: Int32Array;
  /** NO_ONE (-1) when unassigned. */
  assignee: Int32Array;
  reopens: Int32Array;
  readonly rowOf = new Map<string, number>();
  readonly departments = new Dictionary();
  readonly categories = new Dictionary();
  readonly people = new Dictionary();

  constructor(capacity = 1024) {
    this.capacity = Math.max(16, capacity);
    this.created = new Float64Array(this.capacity);
    this.responded = new Float64Array(this.capacity);
    this.resolved = new Float64Array(this.capacity);
    this.responseDue = new Float64Array(this.capacity);
    this.resolutionDue = new Float64Array(this.capacity);
    this.status = new Uint8Array(this.capacity);
    this.priority = new Uint8Array(this.capacity);
    this.breaches = new Uint8Array(this.capacity);
    this.department = new Int32Array(this.capacity);
    this.category = new Int32Array(this.capacity);
    this.assignee = new Int32Array(this.capacity);
    this.reopens = new Int32Array(this.capacity);
  }

  private grow(): void {
    this.capacity = Math.ceil(this.capacity * 1.5);
    const widen = <T extends Float64Array | Uint8Array | Int32Array>(array: T, make: (size: number) => T): T => {
      const wider = make(this.capacity);
      wider.set(array);
      return wider;
    };
    this.created = widen(this.created, (size) => new Float64Array(size));
    this.responded = widen(this.responded, (size) => new Float64Array(size));
    this.resolved = widen(this.resolved, (size) => new Float64Array(size));
    this.responseDue = widen(this.responseDue, (size) => new Float64Array(size));
    this.resolutionDue = widen(this.resolutionDue, (size) => new Float64Array(size));
    this.status = widen(this.status, (size) => new Uint8Array(size));
    this.priority = widen(this.priority, (size) => new Uint8Array(size));
    this.breaches = widen(this.breaches, (size) => new Uint8Array(size));
    this.department = widen(this.department, (size) => new Int32Array(size));
    this.category = widen(this.category, (size) => new Int32Array(size));
    this.assignee = widen(this.assignee, (size) => new Int32Array(size));
    this.reopens = widen(this.reopens, (size) => new Int32Array(size));
  }

  /** Adds the fact, or overwrites the one with its id (the database only ever moves a fact forward). */
  put(row: FactRow): void {
    let index = this.rowOf.get(row.id);
    if (index === undefined) {
      if (this.length === this.capacity) this.grow();
      index = this.length++;
      this.rowOf.set(row.id, index);
    }
    const time = (value: number | null) => (value === null ? Number.NaN : value);
    this.created[index] = row.created_ms;
    this.responded[index] = time(row.responded_ms);
    this.resolved[index] = time(row.resolved_ms);
    this.responseDue[index] = time(row.response_due_ms);
    this.resolutionDue[index] = time(row.resolution_due_ms);
    this.status[index] = STATUS_NUMBER[row.status];
    this.priority[index] = PRIORITY_NUMBER[row.priority];
    this.breaches[index] = (row.response_breached ? RESPONSE_BREACHED : 0) | (row.resolution_breached ? RESOLUTION_BREACHED : 0);
    this.department[index] = this.departments.numberOf(row.department_id);
    this.category[index] = this.categories.numberOf(row.category_id);
    this.assignee[index] = row.assignee_id === null ? NO_ONE : this.people.numberOf(row.assignee_id);
    this.reopens[index] = row.reopen_count;
  }
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
const LOAD_PAGE = 50_000;

/**
 * The facts, held in memory for queries that look at every one of a million incidents in a few
 * milliseconds (Postgres needs hundreds for a median over that many). Postgres stays the truth:
 * any replica of the service writes facts there, and each store reads what committed since it
 * last looked — by writing transaction id, so a transaction that commits late is not skipped —
 * before every query and on a timer. A rebuild bumps the model's generation: stores reload.
 */
export class FactStore {
  private columns = new FactColumns();
  private generation = 0;
  /** Every transaction below this id had finished when the store last looked. */
  private horizon: string | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: { db: Knex; logger: Logger; refreshIntervalMs: number }) {}

  /** The facts as of the last sync. Queries run on them synchronously, so a query sees one state. */
  get facts(): FactColumns {
    return this.columns;
  }

  get loaded(): boolean {
    return this.horizon !== undefined;
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
    const state = await db.raw<{ rows: { generation: number; horizon: string }[] }>(
      'select generation, pg_snapshot_xmin(pg_current_snapshot())::text as horizon from model_state where id = 1',
    );
    const { generation, horizon } = state.rows[0]!;
    if (generation !== this.generation || this.horizon === undefined) {
      await this.reload(generation, horizon);
      return;
    }
    // Everything written by transactions from the last horizon on: some were still running
    // then. Rows of transactions still running now are read again next time, harmlessly.
    const rows = await db.raw<{ rows: FactRow[] }>(`${SELECT_FACTS} where written_xid >= ?::xid8`, [this.horizon]);
    for (const row of rows.rows) this.columns.put(row);
    this.horizon = horizon;
  }

  private async reload(generation: number, horizon: string): Promise<void> {
    const { db, logger } = this.options;
    const started = Date.now();
    const count = await db.raw<{ rows: { count: number }[] }>(`select count(*)::int as count from ${FACT_TABLE}`);
    const columns = new FactColumns(Math.ceil(count.rows[0]!.count * 1.1));
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await db.raw<{ rows: FactRow[] }>(`${SELECT_FACTS} where id > ? order by id limit ${LOAD_PAGE}`, [after]);
      for (const row of page.rows) columns.put(row);
      if (page.rows.length < LOAD_PAGE) break;
      after = page.rows.at(-1)!.id;
      logger.debug({ loaded: columns.length }, 'loading the analytics model');
    }
    this.columns = columns;
    this.generation = generation;
    this.horizon = horizon;
    logger.info({ facts: columns.length, generation, ms: Date.now() - started }, 'analytics model loaded');
  }
}

import type { DepartmentSnapshot, UserRole, UserSnapshot } from '@desk/contracts';
import type { TransactionalHandlers } from '@desk/messaging';
import type { Migration } from '@desk/platform';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

/** A column a service keeps beyond the shared ones, and how it is read from identity's snapshot. */
export interface ExtraColumn<Source, Value> {
  /** Its Postgres type, as a row of `jsonb_to_recordset` spells it: `text`, `uuid`, `boolean`, `timestamptz`. */
  type: string;
  /** Default false: the column is `not null`. */
  nullable?: boolean;
  value: (source: Source) => Value;
}

export type ExtraColumns<Source, Row> = { [K in keyof Row]: ExtraColumn<Source, Row[K]> };

/** A user as every replica holds them. */
export interface ReplicaUser {
  id: string;
  full_name: string;
  role: UserRole;
  department_id: string | null;
  is_active: boolean;
  updated_at: Date;
}

export interface ReplicaDepartment {
  id: string;
  name: string;
  description: string | null;
  updated_at: Date;
}

interface Column<Source> {
  name: string;
  type: string;
  nullable: boolean;
  /** SQL default: lets the column be added to a table that already holds rows. */
  defaultSql?: string;
  value: (source: Source) => unknown;
}

/** Identity's count of changes to the row; 0 for a state from before versions existed. */
const versionColumn = <Source extends { version?: number | undefined }>(): Column<Source> => ({
  name: 'version',
  type: 'integer',
  nullable: false,
  defaultSql: '0',
  value: (source) => source.version ?? 0,
});

const USER_COLUMNS: Column<UserSnapshot>[] = [
  { name: 'id', type: 'uuid', nullable: false, value: (user) => user.id },
  { name: 'full_name', type: 'text', nullable: false, value: (user) => user.fullName },
  { name: 'role', type: 'text', nullable: false, value: (user) => user.role },
  { name: 'department_id', type: 'uuid', nullable: true, value: (user) => user.departmentId },
  { name: 'is_active', type: 'boolean', nullable: false, value: (user) => user.isActive },
  { name: 'updated_at', type: 'timestamptz', nullable: false, value: (user) => user.updatedAt },
  versionColumn(),
];

const DEPARTMENT_COLUMNS: Column<DepartmentSnapshot>[] = [
  { name: 'id', type: 'uuid', nullable: false, value: (department) => department.id },
  { name: 'name', type: 'text', nullable: false, value: (department) => department.name },
  { name: 'description', type: 'text', nullable: true, value: (department) => department.description },
  { name: 'updated_at', type: 'timestamptz', nullable: false, value: (department) => department.updatedAt },
  versionColumn(),
];

/** The migration every replica runs (each service's list holds it once, after its own earlier ones). */
export const REPLICA_MIGRATION_NAME = 'replica_0001_users_and_departments';

/** One of the two replicated tables: its columns, and whether it records when this replica wrote each row. */
class ReplicaTable<Source extends { id: string; updatedAt: string; version?: number | undefined }> {
  constructor(
    readonly name: 'users' | 'departments',
    readonly columns: readonly Column<Source>[],
    /** `replicated_at`, by this replica's clock: what the account check's change feed reads. */
    readonly tracksWrites: boolean,
  ) {}

  get columnNames(): string[] {
    return this.columns.map((column) => column.name);
  }

  /** Creates the table, or brings one an earlier migration made up to this definition (rows kept). */
  async migrate(knex: Knex): Promise<void> {
    const definitions = this.columns.map((column) => `${column.name} ${column.type}${column.name === 'id' ? ' primary key' : column.nullable ? '' : ' not null'}${column.defaultSql ? ` default ${column.defaultSql}` : ''}`);
    if (this.tracksWrites) definitions.push('replicated_at timestamptz not null default now()');
    await knex.raw(`create table if not exists ${this.name} (${definitions.join(', ')})`);
    const { rows } = await knex.raw<{ rows: { column_name: string }[] }>(
      'select column_name from information_schema.columns where table_schema = current_schema() and table_name = ?',
      [this.name],
    );
    const present = new Set(rows.map((row) => row.column_name));
    const missing = this.columns.filter((column) => !present.has(column.name));
    const required = missing.filter((column) => !column.nullable && column.defaultSql === undefined);
    if (required.length > 0 && (await knex(this.name).first('id'))) {
      const names = required.map((column) => column.name);
      throw new Error(
        `The ${this.name} replica holds rows without ${names.join(', ')}: a required column cannot be added to them. ` +
          'Add it in a migration of the service that fills it (or empties the replica, which the next catch-up refills from identity-service).',
      );
    }
    for (const column of missing) {
      await knex.raw(`alter table ${this.name} add column ${column.name} ${column.type}${column.nullable ? '' : ' not null'}${column.defaultSql ? ` default ${column.defaultSql}` : ''}`);
    }
    if (this.tracksWrites) await knex.raw(`alter table ${this.name} add column if not exists replicated_at timestamptz not null default now()`);
  }

  /**
   * Applies snapshots in one statement, each unless the replica already holds a newer state of
   * it: events arrive late or twice, and a catch-up can overlap them. Newer means a higher
   * version (identity counts every change of the row); only states from before versions existed
   * (version 0) fall back to `updatedAt`.
   */
  async upsert(db: Db, snapshots: readonly Source[]): Promise<void> {
    if (snapshots.length === 0) return;
    // One row per id and statement (Postgres refuses to update a row twice in one).
    const newest = new Map<string, Source>();
    for (const snapshot of snapshots) {
      const held = newest.get(snapshot.id);
      if (!held || isNewerOrSame(held, snapshot)) newest.set(snapshot.id, snapshot);
    }
    const records = [...newest.values()].map((snapshot) => Object.fromEntries(this.columns.map((column) => [column.name, column.value(snapshot)])));
    const names = this.columnNames;
    const updates = names.filter((name) => name !== 'id').map((name) => `${name} = excluded.${name}`);
    if (this.tracksWrites) updates.push('replicated_at = now()');
    await db.raw(
      `insert into ${this.name} (${names.join(', ')})
       select ${names.join(', ')} from jsonb_to_recordset(?::jsonb) as x(${this.columns.map((column) => `${column.name} ${column.type}`).join(', ')})
       on conflict (id) do update set ${updates.join(', ')}
       where (${this.name}.version, ${this.name}.updated_at) <= (excluded.version, excluded.updated_at)`,
      [JSON.stringify(records)],
    );
  }

  /** The newest change held: where a catch-up from identity starts. */
  async latestChange(db: Db): Promise<string | null> {
    const row = await db(this.name).max('updated_at as latest').first<{ latest: Date | null } | undefined>();
    return row?.latest ? row.latest.toISOString() : null;
  }
}

/** Whether `next` is the same state as `held` or a newer one: by version, then by time. */
function isNewerOrSame(held: { version?: number | undefined; updatedAt: string }, next: { version?: number | undefined; updatedAt: string }): boolean {
  const [a, b] = [held.version ?? 0, next.version ?? 0];
  return a !== b ? a < b : Date.parse(held.updatedAt) <= Date.parse(next.updatedAt);
}

/** Where `updated_at` is searched from (catch-ups) and `replicated_at` (the account check's change feed). */
async function createIndexes(knex: Knex): Promise<void> {
  // incident-service's first migration named it otherwise.
  await knex.raw('drop index if exists users_replica_updated');
  await knex.raw('create index if not exists users_updated on users (updated_at)');
  await knex.raw('create index if not exists users_replicated_at on users (replicated_at)');
}

/**
 * The users and departments a service keeps of identity-service's, defined once: the tables
 * (`migration`), the event handlers that keep them current, and the queries on them. A service
 * adds only the columns of its own, e.g. notification-service the email it sends mail to.
 */
export class ReplicaDefinition<Extra extends object = Record<never, never>> {
  readonly users: ReplicaTable<UserSnapshot>;
  readonly departments: ReplicaTable<DepartmentSnapshot>;

  constructor(userColumns: ExtraColumns<UserSnapshot, Extra>) {
    const extra = Object.entries(userColumns as Record<string, ExtraColumn<UserSnapshot, unknown>>).map(([name, column]) => {
      if (!/^[a-z][a-z0-9_]*$/.test(name) || USER_COLUMNS.some((shared) => shared.name === name) || name === 'replicated_at') {
        throw new Error(`"${name}" cannot be a column of a service's own: use lower_snake_case and none of the shared names`);
      }
      return { name, type: column.type, nullable: column.nullable ?? false, value: column.value };
    });
    this.users = new ReplicaTable('users', [...USER_COLUMNS, ...extra], true);
    this.departments = new ReplicaTable('departments', DEPARTMENT_COLUMNS, false);
  }

  /** Creates both tables, or brings the ones earlier migrations made up to this definition. */
  get migration(): Migration {
    return {
      name: REPLICA_MIGRATION_NAME,
      up: async (knex) => {
        await this.users.migrate(knex);
        await this.departments.migrate(knex);
        await createIndexes(knex);
      },
    };
  }

  /**
   * Adds identity's row version to replicas created before it (`version`, 0 for the rows held):
   * the next event or catch-up of each row brings its version. At the end of each service's list.
   */
  get rowVersionsMigration(): Migration {
    return {
      name: 'replica_0002_row_versions',
      up: async (knex) => {
        await this.users.migrate(knex);
        await this.departments.migrate(knex);
      },
    };
  }

  /** Handlers of identity's events, to run inside the service's inbox (`withInbox`). */
  get handlers(): TransactionalHandlers {
    return {
      'user.registered': (event, trx) => this.users.upsert(trx, [event.data.user]),
      'user.updated': (event, trx) => this.users.upsert(trx, [event.data.user]),
      'user.deactivated': (event, trx) => this.users.upsert(trx, [event.data.user]),
      'department.created': (event, trx) => this.departments.upsert(trx, [event.data.department]),
      'department.updated': (event, trx) => this.departments.upsert(trx, [event.data.department]),
    };
  }

  upsertUsers(db: Db, users: readonly UserSnapshot[]): Promise<void> {
    return this.users.upsert(db, users);
  }

  upsertDepartments(db: Db, departments: readonly DepartmentSnapshot[]): Promise<void> {
    return this.departments.upsert(db, departments);
  }

  /** The users held of these ids (fewer when some are not replicated yet). */
  async findUsers(db: Db, ids: readonly string[]): Promise<Map<string, ReplicaUser & Extra>> {
    if (ids.length === 0) return new Map();
    const rows = (await db('users').select(this.users.columnNames).whereIn('id', [...new Set(ids)])) as (ReplicaUser & Extra)[];
    return new Map(rows.map((row) => [row.id, row]));
  }

  async findUser(db: Db, id: string): Promise<(ReplicaUser & Extra) | undefined> {
    return (await this.findUsers(db, [id])).get(id);
  }

  /** Does the replica hold this state of the user, or a newer one? (Tests wait for it.) */
  async holdsUser(db: Db, user: Pick<UserSnapshot, 'id' | 'updatedAt' | 'version'>): Promise<boolean> {
    const row = await db('users').select('updated_at', 'version').where({ id: user.id }).first<{ updated_at: Date; version: number } | undefined>();
    return row !== undefined && isNewerOrSame(user, { version: row.version, updatedAt: row.updated_at.toISOString() });
  }

  async departmentExists(db: Db, id: string): Promise<boolean> {
    return (await db('departments').select('id').where({ id }).first<{ id: string } | undefined>()) !== undefined;
  }

  /** Names by id, for reports and timelines: a department's name, a user's full name. */
  async namesOf(db: Db, table: 'departments' | 'users', ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const column = table === 'departments' ? 'name' : 'full_name';
    const rows = (await db(table).select('id', `${column} as name`).whereIn('id', [...new Set(ids)])) as { id: string; name: string }[];
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /**
   * Users this replica wrote at or after `since` — its own clock (`replicated_at`), not
   * identity's `updatedAt`: an event may arrive long after the change it reports — and the clock now.
   */
  async usersChangedSince(db: Db, since: Date): Promise<{ ids: string[]; asOf: Date }> {
    const { rows } = await db.raw<{ rows: { ids: string[]; as_of: Date }[] }>(
      'select array(select id::text from users where replicated_at >= ?) as ids, now() as as_of',
      [since],
    );
    return { ids: rows[0]!.ids, asOf: rows[0]!.as_of };
  }
}

/** The replica's definition; `userColumns` are the service's own, beyond the shared ones. */
export function defineReplica<Extra extends object = Record<never, never>>(options: { userColumns?: ExtraColumns<UserSnapshot, Extra> } = {}): ReplicaDefinition<Extra> {
  return new ReplicaDefinition<Extra>(options.userColumns ?? ({} as ExtraColumns<UserSnapshot, Extra>));
}

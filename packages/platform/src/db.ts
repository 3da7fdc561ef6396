import knex, { type Knex } from 'knex';
import pg from 'pg';
import { type Logger } from 'pino';

/**
 * One schema change, kept in code rather than in a migrations directory so the compiled build
 * needs no directory scanning. Packages contribute their own (messaging's outbox and inbox
 * tables) and services concatenate the lists, so names must be unique across all of them:
 * prefix them with an ordinal and an area, e.g. `0001_outbox`. Never rename one that shipped.
 */
export interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down?(knex: Knex): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// connection string. */
  url: string;
  /** The service's own schema; its tables, and knex's migration bookkeeping, live there. */
  schema: string;
  migrations: readonly Migration[];
  logger: Logger;
  pool?: { min?: number; max?: number };
  /** Settings every pooled session starts with (`set_config`), e.g. planner costs. */
  sessionSettings?: Record<string, string>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MIGRATIONS_TABLE = 'knex_migrations';

/** Postgres error codes for "that schema already exists" (unique_violation, duplicate_schema). */
const SCHEMA_ALREADY_CREATED = new Set(['23505', '42P06']);

/** Knex prints its own warnings (failed connection attempts, deprecations) with console.log otherwise. */
function knexLogTo(logger: Logger): Knex.Config['log'] {
  const component = { component: 'knex' };
  return {
    debug: (message: unknown) => logger.debug(component, String(message)),
    warn: (message: unknown) => logger.warn(component, String(message)),
    error: (message: unknown) => logger.error(component, String(message)),
    deprecate: (method: unknown, alternative: unknown) =>
      logger.warn(component, `${String(method)} is deprecated; use ${String(alternative)}`),
  };
}

function assertValidMigrations(migrations: readonly Migration[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const migration of migrations) {
    if (!migration.name.trim()) throw new Error('Every migration needs a non-empty name');
    if (seen.has(migration.name)) duplicates.add(migration.name);
    seen.add(migration.name);
  }
  if (duplicates.size > 0) {
    throw new Error(`Migration names must be unique; repeated: ${[...duplicates].join(', ')}`);
  }
}

function migrationSourceOf(migrations: readonly Migration[]): Knex.MigrationSource<Migration> {
  return {
    getMigrations: () => Promise.resolve([...migrations]),
    getMigrationName: (migration) => migration.name,
    getMigration: (migration) =>
      Promise.resolve({
        up: (connection: Knex) => migration.up(connection),
        down: (connection: Knex) => {
          if (!migration.down) throw new Error(`Migration ${migration.name} has no down() and cannot be rolled back`);
          return migration.down(connection);
        },
      }),
  };
}

/**
 * Creates the schema unless it exists. Checking first matters: in the distributed deployment
 * the service's role owns its schema but may not create schemas, and Postgres checks that
 * privilege even for `create schema if not exists` on an existing one.
 */
async function ensureSchema(client: pg.Client, schema: string): Promise<boolean> {
  const existing = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
  if (existing.rowCount) return false;
  try {
    await client.query(`create schema if not exists ${pg.escapeIdentifier(schema)}`);
    return true;
  } catch (error) {
    // two fresh processes both saw no schema and both created it: the other one won
    if (SCHEMA_ALREADY_CREATED.has((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

/**
 * Holds a session-level advisory lock while `work` runs, so replicas starting together create
 * the schema and run migrations one after the other. Knex's own lock table would instead make
 * the second replica fail with "Migration table is already locked". The lock lives on its own
 * connection, and Postgres releases it if this process dies mid-migration.
 */
async function whileHoldingMigrationLock<Result>(
  url: string,
  schema: string,
  logger: Logger,
  work: (client: pg.Client) => Promise<Result>,
): Promise<Result> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lockKey = `desk.migrations.${schema}`;
    const attempt = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [
      lockKey,
    ]);
    if (!attempt.rows[0]?.locked) {
      logger.info({ schema }, 'waiting for another instance to finish migrating the schema');
      await client.query('select pg_advisory_lock(hashtext($1))', [lockKey]);
    }
    try {
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey]);
    }
  } finally {
    await client.end();
  }
}

/**
 * Connects to the service's schema and brings it up to date: creates the schema if needed,
 * then runs the migrations not yet applied, in the given order. Resolves with a knex instance
 * whose unqualified table names resolve in that schema.
 */
export async function connectDatabase({ url, schema, migrations, logger, pool, sessionSettings = {} }: DatabaseOptions): Promise<Knex> {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`Schema name "${schema}" must be lower case letters, digits and underscores`);
  }
  assertValidMigrations(migrations);

  const database = knex({
    client: 'pg',
    connection: url,
    searchPath: [schema],
    log: knexLogTo(logger),
    // min 0 lets idle connections go, which matters when several services share one Postgres
    pool: {
      min: pool?.min ?? 0,
      max: pool?.max ?? 10,
      afterCreate: (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
        const settings = Object.entries(sessionSettings);
        if (settings.length === 0) return done(null, connection);
        connection.query(`select ${settings.map((_, index) => `set_config($${index * 2 + 1}, $${index * 2 + 2}, false)`).join(', ')}`, settings.flat()).then(
          () => done(null, connection),
          (error: Error) => done(error, connection),
        );
      },
    },
  });
  try {
    await whileHoldingMigrationLock(url, schema, logger, async (client) => {
      if (await ensureSchema(client, schema)) logger.info({ schema }, 'created database schema');
      const [batch, applied] = (await database.migrate.latest({
        migrationSource: migrationSourceOf(migrations),
        schemaName: schema,
        tableName: MIGRATIONS_TABLE,
      })) as [number, string[]];
      if (applied.length > 0) logger.info({ schema, batch, migrations: applied }, `applied ${applied.length} migration(s)`);
      else logger.info({ schema }, 'database schema is up to date');
    });
  } catch (error) {
    await database.destroy();
    throw error;
  }
  return database;
}

/** Waits for queries in flight, then closes every pooled connection. */
export async function closeDatabase(database: Knex): Promise<void> {
  await database.destroy();
}

const statementNames = new Map<string, string>();
/** A bound on the distinct statements one process prepares on each of its connections. */
const MAX_PREPARED_STATEMENTS = 500;

/**
 * Makes the query run as a named prepared statement: each pooled connection parses and plans it
 * the first time and afterwards only binds and executes it, which saves most of the Postgres CPU
 * of a short, frequent read (a list page's plan costs more than running it). The name comes from
 * the SQL text, so every shape of a dynamic query is a statement of its own.
 *
 * Only for queries whose best plan does not depend on the values bound: after five executions
 * Postgres may settle on one generic plan for all values. A full-text search or a date range,
 * whose plan rightly changes with the words or dates asked for, should be run as it is.
 */
export function prepared<Builder extends Knex.QueryBuilder>(builder: Builder): Builder {
  const { sql } = builder.toSQL();
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED_STATEMENTS) return builder;
    name = `desk_${statementNames.size.toString(36)}`;
    statementNames.set(sql, name);
  }
  // knex hands `options` to pg's query config, where `name` makes it a prepared statement.
  return builder.options({ name });
}

/**
 * Runs the query as a named prepared statement (see `prepared`) on a pooled connection, straight
 * through pg: knex compiles it once, here, and is left out of its execution (its runner compiles
 * the query again and wraps the call in several layers of promises), which is a good part of the
 * CPU of a list page served from memory. For the hottest reads only; rows come back as pg gives
 * them. Falls back to knex for a statement past the process's bound of prepared statements.
 */
export async function runPrepared<Row>(db: Knex, builder: Knex.QueryBuilder): Promise<Row[]> {
  // Inside a transaction the query must run on the transaction's own connection: knex's way.
  if ((db as unknown as Partial<Knex.Transaction>).isTransaction) return (await prepared(builder)) as Row[];
  const { sql, bindings } = builder.toSQL().toNative();
  return runPreparedSql<Row>(db, sql, bindings as unknown[], async () => (await builder) as Row[]);
}

/**
 * `runPrepared` for SQL already compiled (`$1`… placeholders); `viaKnex` runs the same query
 * through knex when the process holds as many prepared statements as it may.
 */
export async function runPreparedSql<Row>(db: Knex, sql: string, values: readonly unknown[], viaKnex: () => Promise<Row[]>): Promise<Row[]> {
  let name = statementNames.get(sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED_STATEMENTS) return viaKnex();
    name = `desk_${statementNames.size.toString(36)}`;
    statementNames.set(sql, name);
  }
  const statement = name;
  return withPoolConnection(db, async (connection) => (await connection.query<Row & pg.QueryResultRow>({ name: statement, text: sql, values: values as unknown[] })).rows);
}

/**
 * Runs `work` on one connection of knex's pool, held until it resolves: for what must run on one
 * session (a prepared statement, a session-level advisory lock) or outside any transaction.
 */
export async function withPoolConnection<Result>(db: Knex, work: (connection: pg.Client) => Promise<Result>): Promise<Result> {
  // knex's client is untyped; these two are its pool's acquire and release.
  const client = db.client as { acquireConnection(): Promise<pg.Client>; releaseConnection(connection: pg.Client): Promise<void> };
  const connection = await client.acquireConnection();
  try {
    return await work(connection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * The SQL of query shapes, compiled by knex once per shape: a hot read names its shape (which
 * clauses it has) and gives its values in the order knex binds them; the first time, the query
 * is built with knex and its bindings are checked against the values given (once they all
 * differ), so a shape whose values would not line up is never cached and always built. Later reads of the shape neither
 * build nor compile the query (a good part of a list page's CPU). `build` fills the builder it
 * is given (a builder is a thenable: returned from an async function, it would run).
 */
export class QueryShapes {
  private readonly shapes = new Map<string, string | null>();

  async run<Row>(db: Knex, table: string, shape: string, values: readonly unknown[], build: (builder: Knex.QueryBuilder) => void | Promise<void>): Promise<Row[]> {
    const sql = this.shapes.get(shape);
    // Wrapped: a builder returned from an async function would be run, not returned.
    const built = async () => {
      const builder = db(table);
      await build(builder);
      return { builder };
    };
    if (sql && !(db as unknown as Partial<Knex.Transaction>).isTransaction) {
      return runPreparedSql<Row>(db, sql, values, async () => (await (await built()).builder) as Row[]);
    }
    const { builder } = await built();
    // Decided on values that all differ: equal values in swapped places would pass for lined up.
    if (sql === undefined && new Set(values).size === values.length) {
      const compiled = builder.toSQL().toNative();
      const lined = compiled.bindings.length === values.length && compiled.bindings.every((binding, index) => binding === values[index]);
      this.shapes.set(shape, lined ? compiled.sql : null);
    }
    return runPrepared<Row>(db, builder);
  }
}

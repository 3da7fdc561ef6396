import { connectDatabase, createLogger, type Logger } from '@desk/platform';
import type { Knex } from 'knex';
import pg from 'pg';
import { incidentMigrations } from '../../incident-service/src/migrations.js';

export const SCHEMA = 'incident';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/desk_bench';

/** Databases the benchmark must never load into or drop from (shared, test, or system ones). */
const FORBIDDEN = new Set(['postgres', 'test', 'root', 'template0', 'template1']);

export function benchDatabaseUrl(): string {
  const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const name = databaseName(url);
  if (FORBIDDEN.has(name) || name.startsWith('desk_test_')) {
    throw new Error(`Refusing to benchmark in database "${name}": point BENCH_DATABASE_URL at a database of its own, e.g. desk_bench.`);
  }
  return url;
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

/** Benchmark scripts talk; the service under test logs at the level it is given. */
export function benchLogger(level: 'warn' | 'info' = 'warn'): Logger {
  return createLogger({ service: 'bench', level });
}

/**
 * Creates the benchmark database when it does not exist yet. That needs a connection to some
 * other database: the cluster's maintenance database, used only for this one statement.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '3D000') throw error; // anything but "database does not exist"
  } finally {
    await probe.end().catch(() => undefined);
  }
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`create database ${pg.escapeIdentifier(databaseName(url))} template template0`);
  } finally {
    await admin.end();
  }
}

/** The `incident` schema, migrated by the service's own migrations. */
export async function connectBench(url: string, logger: Logger, pool?: { max: number }): Promise<Knex> {
  return connectDatabase({ url, schema: SCHEMA, migrations: incidentMigrations, logger, pool });
}

export function elapsed(startedAt: number): string {
  const seconds = (performance.now() - startedAt) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

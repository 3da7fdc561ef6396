import { randomBytes } from 'node:crypto';
import knex, { type Knex } from 'knex';

const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Refuses any database whose name does not say it is for tests: these helpers create and drop
 * databases, and a wrong TEST_DATABASE_URL must never reach real data.
 */
export function assertTestDatabaseUrl(url: string): URL {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against database "${name}": its name must contain "test". ` +
        'Point TEST_DATABASE_URL at a test database, e.g. postgres://postgres@127.0.0.1:5432/test.',
    );
  }
  return parsed;
}

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

export interface TestDatabase {
  /** Connection string of a database that only this test file uses. */
  url: string;
  name: string;
  /** Drops the database (closing whatever still holds a connection to it). */
  drop(): Promise<void>;
}

/**
 * Creates an empty database of its own for one test file, next to the configured test
 * database, so test files can run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const base = assertTestDatabaseUrl(testDatabaseUrl());
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').slice(0, 30);
  const name = `desk_test_${slug}_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: base.toString(), pool: { min: 0, max: 1 } });
  try {
    await admin.raw('create database ?? template template0', [name]);
  } finally {
    await admin.destroy();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const dropper = knex({ client: 'pg', connection: base.toString(), pool: { min: 0, max: 1 } });
      try {
        await dropper.raw('drop database if exists ?? with (force)', [name]);
      } finally {
        await dropper.destroy();
      }
    },
  };
}

/** A knex handle on a test database, for assertions that look at rows directly. */
export function connectTo(url: string): Knex {
  return knex({ client: 'pg', connection: url, pool: { min: 0, max: 4 } });
}

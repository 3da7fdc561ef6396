import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '@desk/testing';
import knex from 'knex';
import { repositoryPath } from './repository.js';

const run = promisify(execFile);

export const INIT_SCRIPT = 'deploy/postgres/init/01-service-roles.sh';
export const SERVICE_SCHEMAS = ['identity', 'incident', 'notification', 'analytics'] as const;
export type ServiceSchema = (typeof SERVICE_SCHEMAS)[number];

export interface ServiceRole {
  role: string;
  password: string;
  /** postgres:// URL of the test database, signed in as this role. */
  url: string;
}

export interface DatabaseWithServiceRoles {
  database: TestDatabase;
  roles: Record<ServiceSchema, ServiceRole>;
  /** What the init script printed. */
  output: string;
  /** Runs the init script again with the same settings; resolves with what it printed. */
  rerun(): Promise<string>;
  /** Drops the database, then the roles (they own nothing anywhere else). */
  drop(): Promise<void>;
}

/** The init script runs psql; without it (a machine with no Postgres client) these checks cannot run. */
export function psqlAvailable(): boolean {
  return spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * A fresh test database initialised by the same script the postgres image runs, with
 * throwaway role names: roles belong to the whole server, and a developer's server may hold
 * the real identity_service and friends.
 */
export async function createDatabaseWithServiceRoles(label: string): Promise<DatabaseWithServiceRoles> {
  const database = await createTestDatabase(label);
  const server = new URL(testDatabaseUrl());
  const suffix = randomBytes(4).toString('hex');
  const roles = Object.fromEntries(
    SERVICE_SCHEMAS.map((schema) => {
      const role = `${schema}_service_test_${suffix}`;
      // letters and digits: URL-safe, as .env.example asks of real passwords
      const password = randomBytes(12).toString('hex');
      const url = new URL(database.url);
      url.username = role;
      url.password = password;
      return [schema, { role, password, url: url.toString() }];
    }),
  ) as Record<ServiceSchema, ServiceRole>;

  const dropRoles = async () => {
    const admin = knex({ client: 'pg', connection: server.toString(), pool: { min: 0, max: 1 } });
    try {
      for (const { role } of Object.values(roles)) await admin.raw('drop role if exists ??', [role]);
    } finally {
      await admin.destroy();
    }
  };

  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PGHOST: server.hostname,
    PGPORT: server.port || '5432',
    ...(server.password ? { PGPASSWORD: decodeURIComponent(server.password) } : {}),
    POSTGRES_USER: decodeURIComponent(server.username || 'postgres'),
    POSTGRES_DB: database.name,
  };
  for (const schema of SERVICE_SCHEMAS) {
    environment[`${schema.toUpperCase()}_DB_USER`] = roles[schema].role;
    environment[`${schema.toUpperCase()}_DB_PASSWORD`] = roles[schema].password;
  }
  const runScript = async () => {
    try {
      const result = await run('bash', [repositoryPath(INIT_SCRIPT)], { env: environment });
      return result.stdout + result.stderr;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`${INIT_SCRIPT} failed:\n${stdout}${stderr}`, { cause: error });
    }
  };
  let output: string;
  try {
    output = await runScript();
  } catch (error) {
    await database.drop();
    await dropRoles();
    throw error;
  }

  return {
    database,
    roles,
    output,
    rerun: runScript,
    async drop() {
      await database.drop();
      await dropRoles();
    },
  };
}

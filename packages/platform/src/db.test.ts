import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectTo, createTestDatabase, LogCapture, type TestDatabase } from '@desk/testing';
import { type Knex } from 'knex';
import { closeDatabase, connectDatabase, prepared, QueryShapes, runPrepared, type Migration } from './db.js';
import { createLogger } from './logger.js';

describe('connectDatabase', () => {
  let database: TestDatabase;
  let inspector: Knex;
  before(async () => {
    database = await createTestDatabase('platform-db');
    inspector = connectTo(database.url);
  });
  after(async () => {
    await inspector.destroy();
    await database.drop();
  });

  function countingMigrations(runs: Map<string, number>, { slow = false } = {}): Migration[] {
    const counted = (name: string, up: (knex: Knex) => Promise<void>): Migration => ({
      name,
      async up(knex) {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        if (slow) await knex.raw('select pg_sleep(0.2)');
        await up(knex);
      },
    });
    return [
      counted('0001_categories', (knex) =>
        knex.schema.createTable('categories', (table) => {
          table.uuid('id').primary();
          table.text('name').notNullable();
        }),
      ),
      counted('0002_category_slugs', (knex) =>
        knex.schema.alterTable('categories', (table) => {
          table.text('slug');
        }),
      ),
    ];
  }

  async function tablesOf(schema: string): Promise<string[]> {
    const rows = await inspector('information_schema.tables')
      .where({ table_schema: schema })
      .orderBy('table_name')
      .pluck<string[]>('table_name');
    return rows;
  }

  it('when the schema is new, then it is created, migrations run in order, and their bookkeeping lives in it', async () => {
    const logs = new LogCapture();
    const logger = createLogger({ service: 'db-test', destination: logs });
    const runs = new Map<string, number>();
    const knex = await connectDatabase({ url: database.url, schema: 'catalog', migrations: countingMigrations(runs), logger });
    try {
      assert.deepEqual(await tablesOf('catalog'), ['categories', 'knex_migrations', 'knex_migrations_lock']);
      assert.deepEqual(await tablesOf('public'), []);
      const applied = await inspector('catalog.knex_migrations').orderBy('id').pluck<string[]>('name');
      assert.deepEqual(applied, ['0001_categories', '0002_category_slugs']);

      // unqualified names resolve in the service's schema
      await knex('categories').insert({ id: '00000000-0000-4000-8000-000000000001', name: 'Network', slug: 'network' });
      assert.equal((await inspector('catalog.categories').count<{ count: string }[]>('* as count'))[0]?.count, '1');

      const applying = logs.find((line) => line.msg === 'applied 2 migration(s)');
      assert.deepEqual(applying[0]?.migrations, ['0001_categories', '0002_category_slugs']);
    } finally {
      await closeDatabase(knex);
    }

    const logsOfSecondStart = new LogCapture();
    const again = await connectDatabase({
      url: database.url,
      schema: 'catalog',
      migrations: countingMigrations(runs),
      logger: createLogger({ service: 'db-test', destination: logsOfSecondStart }),
    });
    await closeDatabase(again);
    assert.deepEqual([...runs.values()], [1, 1]);
    assert.equal(logsOfSecondStart.find((line) => line.msg === 'database schema is up to date').length, 1);
  });

  it('when a later release adds a migration, then only the new one runs', async () => {
    const runs = new Map<string, number>();
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const first = countingMigrations(runs).slice(0, 1);
    await closeDatabase(await connectDatabase({ url: database.url, schema: 'upgrade', migrations: first, logger }));
    await closeDatabase(
      await connectDatabase({ url: database.url, schema: 'upgrade', migrations: countingMigrations(runs), logger }),
    );
    assert.deepEqual(Object.fromEntries(runs), { '0001_categories': 1, '0002_category_slugs': 1 });
  });

  it('when two replicas start together on a fresh schema, then both succeed and each migration ran once', async () => {
    const runs = new Map<string, number>();
    const logs = new LogCapture();
    const logger = createLogger({ service: 'db-test', destination: logs });
    const migrations = countingMigrations(runs, { slow: true });
    const replicas = await Promise.all([
      connectDatabase({ url: database.url, schema: 'replicated', migrations, logger }),
      connectDatabase({ url: database.url, schema: 'replicated', migrations, logger }),
    ]);
    await Promise.all(replicas.map((knex) => closeDatabase(knex)));
    assert.deepEqual(Object.fromEntries(runs), { '0001_categories': 1, '0002_category_slugs': 1 });
    assert.equal(logs.find((line) => line.msg === 'waiting for another instance to finish migrating the schema').length, 1);
    assert.equal((await inspector('replicated.knex_migrations').count<{ count: string }[]>('* as count'))[0]?.count, '2');
  });

  it('when a migration fails, then connecting fails, its changes are rolled back and a fixed release can run it', async () => {
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const broken: Migration = {
      name: '0001_broken',
      async up(knex) {
        await knex.schema.createTable('half_done', (table) => table.increments('id'));
        await knex.raw('select * from table_that_does_not_exist');
      },
    };
    await assert.rejects(
      connectDatabase({ url: database.url, schema: 'failing', migrations: [broken], logger }),
      /table_that_does_not_exist/,
    );
    assert.deepEqual(await tablesOf('failing'), ['knex_migrations', 'knex_migrations_lock']);

    const fixed: Migration = {
      name: '0001_broken',
      async up(knex) {
        await knex.schema.createTable('half_done', (table) => table.increments('id'));
      },
    };
    await closeDatabase(await connectDatabase({ url: database.url, schema: 'failing', migrations: [fixed], logger }));
    assert.ok((await tablesOf('failing')).includes('half_done'));
  });

  it('when two migrations share a name or the schema name is unsafe, then connecting refuses', async () => {
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const noop = (name: string): Migration => ({ name, up: () => Promise.resolve() });
    await assert.rejects(
      connectDatabase({ url: database.url, schema: 'dupes', migrations: [noop('0001_outbox'), noop('0001_outbox')], logger }),
      /Migration names must be unique; repeated: 0001_outbox/,
    );
    await assert.rejects(
      connectDatabase({ url: database.url, schema: 'Bad-Name"', migrations: [], logger }),
      /Schema name "Bad-Name""/,
    );
  });

  it('when a query runs prepared, then each connection plans it once and every run binds its own values', async () => {
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const knex = await connectDatabase({ url: database.url, schema: 'prepared', migrations: [], logger, pool: { min: 1, max: 1 } });
    try {
      await knex.raw('create table items (id int primary key, name text not null)');
      await knex('items').insert([1, 2, 3].map((id) => ({ id, name: `item ${id}` })));
      const named = (id: number) => prepared(knex('items').select('name').where('id', id));
      assert.deepEqual(await named(2), [{ name: 'item 2' }]);
      assert.deepEqual(await named(3), [{ name: 'item 3' }]);
      assert.deepEqual(await prepared(knex('items').select('name').where('id', '>', 1).orderBy('id')), [{ name: 'item 2' }, { name: 'item 3' }]);
      // One connection in the pool: it holds one statement per SQL text, however many runs.
      const statements = await knex('pg_prepared_statements').select('name', 'statement').whereLike('statement', '%"items"%');
      assert.equal(statements.length, 2);
      assert.ok(statements.every((statement: { name: string }) => statement.name.startsWith('desk_')));
    } finally {
      await closeDatabase(knex);
    }
  });

  it('when a query shape is run, then its SQL is compiled once and reused with new values, unless its values do not line up with knex\'s bindings', async () => {
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const knex = await connectDatabase({ url: database.url, schema: 'shapes', migrations: [], logger, pool: { min: 1, max: 1 } });
    try {
      await knex.raw('create table items (id int primary key, name text not null)');
      await knex('items').insert([1, 2, 3, 4].map((id) => ({ id, name: `item ${id}` })));
      const shapes = new QueryShapes();
      let builds = 0;
      const above = (id: number, limit: number) =>
        shapes.run<{ name: string }>(knex, 'items', 'above', [id, limit], (items) => {
          builds += 1;
          items.select('name').where('id', '>', id).orderBy('id').limit(limit);
        });
      assert.deepEqual(await above(1, 2), [{ name: 'item 2' }, { name: 'item 3' }]);
      assert.deepEqual(await above(2, 5), [{ name: 'item 3' }, { name: 'item 4' }]);
      assert.deepEqual(await runPrepared(knex, knex('items').select('name').where('id', 4)), [{ name: 'item 4' }]);
      assert.equal(builds, 1, 'the second run reused the compiled SQL');
      // Values given in another order than knex binds them: never cached, built every time, still
      // right — even when the first run's values are equal and would look lined up.
      let misorderedBuilds = 0;
      const misordered = (id: number, limit: number) =>
        shapes.run<{ name: string }>(knex, 'items', 'misordered', [limit, id], (items) => {
          misorderedBuilds += 1;
          items.select('name').where('id', '>', id).orderBy('id').limit(limit);
        });
      assert.deepEqual(await misordered(1, 1), [{ name: 'item 2' }]);
      assert.deepEqual(await misordered(3, 1), [{ name: 'item 4' }]);
      assert.deepEqual(await misordered(2, 1), [{ name: 'item 3' }]);
      assert.equal(misorderedBuilds, 3);
      // Inside a transaction, on the transaction's connection.
      await knex.transaction(async (trx) => {
        await trx('items').insert({ id: 5, name: 'item 5' });
        assert.deepEqual(await shapes.run<{ name: string }>(trx, 'items', 'above', [4, 1], (items) => void items.select('name').where('id', '>', 4).orderBy('id').limit(1)), [{ name: 'item 5' }]);
      });
    } finally {
      await closeDatabase(knex);
    }
  });

  it('when session settings are given, then every pooled connection starts with them', async () => {
    const logger = createLogger({ service: 'db-test', destination: new LogCapture() });
    const knex = await connectDatabase({ url: database.url, schema: 'settings', migrations: [], logger, pool: { min: 0, max: 3 }, sessionSettings: { random_page_cost: '1.1', work_mem: '8MB' } });
    try {
      // Three connections at once: each is a new session of the pool.
      const seen = await knex.transaction(async (a) =>
        knex.transaction(async (b) =>
          knex.transaction(async (c) =>
            Promise.all([a, b, c].map(async (trx) => (await trx.raw<{ rows: { cost: string; mem: string }[] }>("select current_setting('random_page_cost') as cost, current_setting('work_mem') as mem")).rows[0])),
          ),
        ),
      );
      assert.deepEqual(seen, Array.from({ length: 3 }, () => ({ cost: '1.1', mem: '8MB' })));
    } finally {
      await closeDatabase(knex);
    }
  });
});

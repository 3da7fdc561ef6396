import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '@desk/auth';
import { buildEvent, type DepartmentSnapshot, type EventEnvelope, type UserSnapshot } from '@desk/contracts';
import { createIdentityService, identityConfigSchema, type IdentityService } from '@desk/identity-service';
import { InProcessEventBus, RabbitMqEventBus, inboxMigration, withInbox, type EventBus } from '@desk/messaging';
import { closeDatabase, connectDatabase, createLogger, listen, loadConfig, type Migration } from '@desk/platform';
import { IdentityStandIn, LogCapture, createTestDatabase, testAmqpUrl, uniqueBrokerNamespace, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import { ReplicaKeeper } from './keeper.js';
import { defineReplica, REPLICA_MIGRATION_NAME } from './replica.js';

const logger = createLogger({ service: 'replica-test', destination: new LogCapture() });
/** notification-service's shape: the shared columns and an email of its own. */
const withEmail = defineReplica({ userColumns: { email: { type: 'text', value: (user: UserSnapshot) => user.email } } });
const plain = defineReplica();

let database: TestDatabase;
let schemaCount = 0;
const opened: Knex[] = [];

/** A schema of its own, migrated with `migrations`, as a service's would be. */
async function schemaWith(migrations: Migration[]): Promise<Knex> {
  schemaCount += 1;
  const db = await connectDatabase({ url: database.url, schema: `replica_${schemaCount}`, migrations, logger });
  opened.push(db);
  return db;
}

let stand: IdentityStandIn;
const department = (name: string, updatedAt = new Date().toISOString()): DepartmentSnapshot => ({
  id: crypto.randomUUID(),
  name,
  description: null,
  createdAt: updatedAt,
  updatedAt,
});

before(async () => {
  database = await createTestDatabase('replica');
  stand = await IdentityStandIn.create({ issuer: 'test', audience: 'test' });
});

after(async () => {
  for (const db of opened) await closeDatabase(db);
  await database?.drop();
});

describe('the tables, from one definition', () => {
  test('when a service has no replica yet, then the migration creates both tables with the shared columns, its own, and the indexes catch-ups and the change feed read', async () => {
    const db = await schemaWith([withEmail.migration]);
    const columns = async (table: string) =>
      (await db.raw<{ rows: { column_name: string; is_nullable: string }[] }>('select column_name, is_nullable from information_schema.columns where table_schema = current_schema() and table_name = ?', [table])).rows
        .map((row: { column_name: string; is_nullable: string }) => `${row.column_name}${row.is_nullable === 'NO' ? '!' : ''}`)
        .sort();
    assert.deepEqual(await columns('users'), ['department_id', 'email!', 'full_name!', 'id!', 'is_active!', 'replicated_at!', 'role!', 'updated_at!', 'version!']);
    assert.deepEqual(await columns('departments'), ['description', 'id!', 'name!', 'updated_at!', 'version!']);
    const indexes = (await db.raw<{ rows: { indexname: string }[] }>("select indexname from pg_indexes where schemaname = current_schema() and tablename = 'users'")).rows.map((row) => row.indexname).sort();
    assert.deepEqual(indexes, ['users_pkey', 'users_replicated_at', 'users_updated']);
  });

  test('when a service made its tables before the shared definition, then the migration brings them up to it and keeps their rows', async () => {
    const userId = crypto.randomUUID();
    // analytics-service's first shape: no description, no replicated_at.
    const earlier: Migration = {
      name: 'earlier_0001_replicas',
      async up(knex) {
        await knex.raw('create table departments (id uuid primary key, name text not null, updated_at timestamptz not null)');
        await knex.raw('create table users (id uuid primary key, full_name text not null, role text not null, department_id uuid, is_active boolean not null, updated_at timestamptz not null)');
        await knex.raw('create index users_replica_updated on users (updated_at)');
        await knex.raw("insert into users values (?, 'Held Before', 'staff', null, true, now())", [userId]);
      },
    };
    const db = await schemaWith([earlier, plain.migration]);
    const held = await plain.findUser(db, userId);
    assert.equal(held?.full_name, 'Held Before');
    assert.ok((await db('users').where({ id: userId }).first()).replicated_at instanceof Date);
    const indexes = (await db.raw<{ rows: { indexname: string }[] }>("select indexname from pg_indexes where schemaname = current_schema() and tablename = 'users'")).rows.map((row) => row.indexname).sort();
    assert.deepEqual(indexes, ['users_pkey', 'users_replicated_at', 'users_updated'], 'the old index under its old name is gone, not doubled');
    const legal = department('Legal');
    await plain.upsertDepartments(db, [{ ...legal, description: 'Contracts' }]);
    assert.equal((await db('departments').where({ id: legal.id }).first()).description, 'Contracts');
  });

  // The first shapes each service gave its tables, before the shared definition.
  const earlierShapes: { service: string; replica: typeof plain | typeof withEmail; statements: string[] }[] = [
    {
      service: 'incident-service',
      replica: plain,
      statements: [
        'create table departments (id uuid primary key, name text not null, description text, updated_at timestamptz not null)',
        'create table users (id uuid primary key, full_name text not null, role text not null, department_id uuid, is_active boolean not null, updated_at timestamptz not null)',
        'create index users_replica_updated on users (updated_at)',
        'alter table users add column replicated_at timestamptz not null default now()',
        'create index users_replicated_at on users (replicated_at)',
      ],
    },
    {
      service: 'notification-service',
      replica: withEmail,
      statements: [
        'create table users (id uuid primary key, email text not null, full_name text not null, role text not null, department_id uuid, is_active boolean not null, updated_at timestamptz not null)',
        'create index users_updated on users (updated_at)',
      ],
    },
    {
      service: 'analytics-service',
      replica: plain,
      statements: [
        'create table departments (id uuid primary key, name text not null, updated_at timestamptz not null)',
        'create table users (id uuid primary key, full_name text not null, role text not null, department_id uuid, is_active boolean not null, updated_at timestamptz not null)',
        'create index users_updated on users (updated_at)',
      ],
    },
  ];
  const shapeOf = async (db: Knex) => {
    const columns = await db.raw<{ rows: unknown[] }>(
      `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
        where table_schema = current_schema() and table_name in ('users', 'departments') order by table_name, column_name`,
    );
    const indexes = await db.raw<{ rows: unknown[] }>(
      "select tablename, indexname, replace(indexdef, current_schema() || '.', '') as definition from pg_indexes where schemaname = current_schema() and tablename in ('users', 'departments') order by indexname",
    );
    return { columns: columns.rows, indexes: indexes.rows };
  };
  for (const earlier of earlierShapes) {
    test(`when ${earlier.service}'s tables were made in their first shape, then after the migration they are exactly what a new database gets`, async () => {
      const upgraded = await schemaWith([
        { name: 'earlier_0001', up: async (knex) => { for (const statement of earlier.statements) await knex.raw(statement); } },
        earlier.replica.migration,
      ]);
      const fresh = await schemaWith([earlier.replica.migration]);
      assert.deepEqual(await shapeOf(upgraded), await shapeOf(fresh));
    });
  }

  test('when a required column of the service\'s own would be added to rows that lack it, then the migration fails saying what to do', async () => {
    const earlier: Migration = {
      name: 'earlier_0001_users',
      async up(knex) {
        await knex.raw('create table users (id uuid primary key, full_name text not null, role text not null, department_id uuid, is_active boolean not null, updated_at timestamptz not null)');
        await knex.raw("insert into users values (gen_random_uuid(), 'No Email', 'staff', null, true, now())");
      },
    };
    await assert.rejects(schemaWith([earlier, withEmail.migration]), /users replica holds rows without email.*migration of the service that fills it/s);
  });

  test('a column of the service\'s own may not take a shared name', () => {
    assert.throws(() => defineReplica({ userColumns: { role: { type: 'text', value: (user: UserSnapshot) => user.role } } }), /"role" cannot be a column/);
    assert.equal(withEmail.migration.name, REPLICA_MIGRATION_NAME);
  });
});

for (const kind of ['in-process', 'RabbitMQ'] as const) {
  describe(`identity's events, on the ${kind} bus`, () => {
    let db: Knex;
    let bus: EventBus;

    before(async () => {
      db = await schemaWith([inboxMigration, withEmail.migration]);
      bus =
        kind === 'in-process'
          ? new InProcessEventBus({ logger })
          : await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger, connectionName: 'replica-test', namespace: uniqueBrokerNamespace('replica') });
      if (bus instanceof RabbitMqEventBus) await bus.waitUntilConnected(10_000);
      await bus.subscribe('replica-test', withInbox(db, 'replica-test', withEmail.handlers));
    });

    after(async () => {
      if (bus instanceof RabbitMqEventBus) await bus.deleteTopology().catch(() => undefined);
      await bus?.close();
    });

    const handled = (events: EventEnvelope[]) =>
      waitFor(`${events.length} events handled`, async () => (await db('inbox').whereIn('event_id', events.map((event) => event.id))).length === events.length);

    test('when a user registers, changes and is deactivated, then the replica holds the last state, with the service\'s own column', async () => {
      const user = stand.newUser('staff');
      const moved = stand.changed(user, { role: 'manager', email: 'moved@example.com' });
      const gone = stand.changed(moved, { isActive: false });
      const events = [stand.userEvent(user, 'registered'), stand.userEvent(moved, 'changed'), stand.userEvent(gone, 'changed')];
      for (const event of events) {
        await bus.publish(event);
        await handled([event]);
      }
      const held = await withEmail.findUser(db, user.id);
      assert.deepEqual(
        held && { role: held.role, email: held.email, active: held.is_active, name: held.full_name },
        { role: 'manager', email: 'moved@example.com', active: false, name: user.fullName },
      );
    });

    test('when events arrive twice or out of order, then the newest state wins and a redelivery has no second effect', async () => {
      const user = stand.newUser('staff');
      const middle = stand.changed(user, { fullName: 'Middle Name' });
      const newest = stand.changed(middle, { fullName: 'Newest Name' });
      const registered = stand.userEvent(user, 'registered');
      await bus.publish(registered);
      await handled([registered]);
      const newestEvent = stand.userEvent(newest, 'changed');
      const lateEvent = stand.userEvent(middle, 'changed');
      await bus.publish(newestEvent);
      await bus.publish(lateEvent);
      await bus.publish(lateEvent);
      await handled([newestEvent, lateEvent]);
      assert.equal((await withEmail.findUser(db, user.id))?.full_name, 'Newest Name');
      assert.equal(Number((await db('inbox').where({ event_id: lateEvent.id }).count('* as n').first())?.n), 1);
    });

    test('when a department is created and renamed, then the replica holds its newest name', async () => {
      const created = department('Facilities', new Date(Date.now() - 1000).toISOString());
      const renamed = { ...created, name: 'Workplace', updatedAt: new Date().toISOString() };
      const events = [
        buildEvent('department.updated', { source: '/identity-service', subject: created.id, data: { department: renamed, changedFields: ['name'] } }),
        buildEvent('department.created', { source: '/identity-service', subject: created.id, data: { department: created } }),
      ];
      for (const event of events) await bus.publish(event);
      await handled(events);
      assert.equal((await withEmail.namesOf(db, 'departments', [created.id])).get(created.id), 'Workplace');
      assert.ok(await withEmail.departmentExists(db, created.id));
      assert.equal(await withEmail.departmentExists(db, crypto.randomUUID()), false);
    });
  });
}

describe('catching up from identity-service, and the account check', () => {
  let db: Knex;
  let identityDatabase: TestDatabase;
  let identity: IdentityService;
  let identityServer: Server;
  let identityUrl: string;
  let adminToken: string;
  const internalToken = 'internal-token-for-tests';

  before(async () => {
    db = await schemaWith([withEmail.migration]);
    identityDatabase = await createTestDatabase('replica-identity');
    const identityBus = new InProcessEventBus({ logger });
    // identity publishes into nothing here; a consumer must be bound for its outbox to publish
    await identityBus.subscribe('sink', { 'user.registered': async () => {}, 'user.updated': async () => {}, 'department.created': async () => {} });
    identity = await createIdentityService({
      config: loadConfig(identityConfigSchema, {
        DATABASE_URL: identityDatabase.url,
        SIGNING_KEY_SECRET: 'a-test-secret-that-is-long-enough-123',
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'admin-password',
        INTERNAL_API_TOKEN: internalToken,
      }),
      logger,
      bus: identityBus,
    });
    identityServer = await listen(identity.app, { port: 0, host: '127.0.0.1', logger });
    identityUrl = `http://127.0.0.1:${(identityServer.address() as AddressInfo).port}`;
    const login = await fetch(`${identityUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin-password' }),
    });
    adminToken = ((await login.json()) as { accessToken: string }).accessToken;
  });

  after(async () => {
    identityServer?.close();
    await identity?.stop();
    await identityDatabase?.drop();
  });

  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${identityUrl}${path}`, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) });
    assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    return (await response.json()) as { id: string; updatedAt: string };
  };
  const keeper = (token = internalToken, overlapMs?: number) =>
    new ReplicaKeeper({ replica: withEmail, db, logger, identityUrl, internalToken: token, intervalMs: 60_000, ...(overlapMs === undefined ? {} : { overlapMs }) });

  test('when the replica is empty, then a catch-up fetches everything; later ones only what changed; callers during one share it', async () => {
    const legal = await call('POST', '/departments', { name: 'Legal' });
    const member = await call('POST', '/users', { email: 'lee@example.com', password: 'kettle-orbit-meadow', fullName: 'Lee Member', role: 'staff', departmentId: legal.id });

    // No overlap here, to count exactly what changed (the overlap has a test of its own).
    const replica = keeper(internalToken, 0);
    const [first, same] = await Promise.all([replica.catchUp(), replica.catchUp()]);
    assert.equal(first, same, 'one catch-up at a time');
    assert.ok(first.users >= 2 && first.departments >= 1, JSON.stringify(first));
    const held = await withEmail.findUser(db, member.id);
    assert.deepEqual(held && { name: held.full_name, department: held.department_id, email: held.email }, { name: 'Lee Member', department: legal.id, email: 'lee@example.com' });

    await call('PATCH', `/users/${member.id}`, { fullName: 'Lee Renamed' });
    const again = await replica.catchUp();
    assert.ok(again.users >= 1 && again.users <= 2, `only what changed since the newest change held (${again.users})`);
    assert.equal((await withEmail.findUser(db, member.id))?.full_name, 'Lee Renamed');

    await assert.rejects(keeper('wrong-token-for-identity').catchUp(), /answered 401/);
  });

  test('when a change commits after a later one was caught up, then the next catch-up still brings it (the overlap), and re-fetched rows change nothing', async () => {
    const early = await call('POST', '/users', { email: 'early@example.com', password: 'kettle-orbit-meadow', fullName: 'Early Committer', role: 'reporter' });
    const later = await call('POST', '/users', { email: 'later@example.com', password: 'kettle-orbit-meadow', fullName: 'Later Committer', role: 'reporter' });
    const replica = keeper();
    await replica.catchUp();

    // A transaction in identity changes one user and takes its time to commit; meanwhile another
    // change commits and is caught up, so the newest change held is later than the first one's stamp.
    let commit!: () => void;
    const committed = identity.db.transaction(async (trx) => {
      await trx('users').where({ id: early.id }).update({ full_name: 'Early, Committed Late' });
      await new Promise<void>((resolve) => (commit = resolve));
    });
    await waitFor('the slow change to be written', () => commit !== undefined);
    const renamed = await call('PATCH', `/users/${later.id}`, { fullName: 'Later, Committed First' });
    await replica.catchUp();
    assert.equal((await withEmail.findUser(db, later.id))?.full_name, 'Later, Committed First');
    assert.equal((await withEmail.findUser(db, early.id))?.full_name, 'Early Committer', 'not visible before its commit');
    commit();
    await committed;
    const stamped = await identity.db('users').where({ id: early.id }).first<{ updated_at: Date; version: number }>();
    assert.ok(stamped.updated_at.getTime() < Date.parse(renamed.updatedAt), 'the late change is stamped before the newest change the replica held');

    await replica.catchUp();
    const held = await db('users').where({ id: early.id }).first<{ full_name: string; version: number }>();
    assert.equal(held?.full_name, 'Early, Committed Late', 'the overlap brings the late-committing change');
    assert.equal(held?.version, stamped.version);
    // Without the overlap the next catch-up would start after it and miss it for good.
    const { rows } = await identity.db.raw<{ rows: { count: string }[] }>('select count(*) from users where id = ? and updated_at >= ?', [early.id, renamed.updatedAt]);
    assert.equal(Number(rows[0]!.count), 0);
  });

  test('when states of a user arrive out of order, then the highest version stays, whatever the clocks say', async () => {
    const user = stand.newUser('staff', null, { fullName: 'Version Three', version: 3, updatedAt: new Date(Date.now() - 60_000).toISOString() });
    await withEmail.upsertUsers(db, [user]);
    // A lower version with a later clock (a clock that jumped): not newer.
    await withEmail.upsertUsers(db, [{ ...user, fullName: 'Version Two', version: 2, updatedAt: new Date().toISOString() }]);
    assert.equal((await withEmail.findUser(db, user.id))?.full_name, 'Version Three');
    // An event from before versions existed (none given): older than any versioned state.
    await withEmail.upsertUsers(db, [{ ...user, fullName: 'Unversioned', version: undefined, updatedAt: new Date(Date.now() + 60_000).toISOString() }]);
    assert.equal((await withEmail.findUser(db, user.id))?.full_name, 'Version Three');
    await withEmail.upsertUsers(db, [{ ...user, fullName: 'Version Four', version: 4, updatedAt: new Date(Date.now() - 120_000).toISOString() }]);
    assert.equal((await withEmail.findUser(db, user.id))?.full_name, 'Version Four');
    assert.ok(await withEmail.holdsUser(db, { id: user.id, version: 4, updatedAt: new Date(0).toISOString() }));
    assert.ok(!(await withEmail.holdsUser(db, { id: user.id, version: 5, updatedAt: new Date(0).toISOString() })));
  });

  test('when a catch-up brings an older state than an event already did, then the newer state stays', async () => {
    const user = stand.newUser('staff', null, { updatedAt: new Date(Date.now() + 60_000).toISOString(), fullName: 'From The Future' });
    await withEmail.upsertUsers(db, [user, { ...user, fullName: 'Older Copy', updatedAt: new Date().toISOString() }]);
    await withEmail.upsertUsers(db, [{ ...user, fullName: 'Older Again', updatedAt: new Date().toISOString() }]);
    assert.equal((await withEmail.findUser(db, user.id))?.full_name, 'From The Future');
    await db('users').where({ id: user.id }).delete();
  });

  test('when an account changes, then its cached state is dropped as the change feed shows it, and its token is refused; unchanged accounts cost no lookup', async () => {
    const user = stand.newUser('staff');
    await withEmail.upsertUsers(db, [user]);
    // Written a while ago: the feed re-reads the last 30 s of writes on every poll.
    await db('users').where({ id: user.id }).update({ replicated_at: db.raw("now() - interval '1 minute'") });
    let lookups = 0;
    const counter = (query: { sql: string; bindings?: unknown[] }) => {
      if (/from "users" where "id" in/.test(query.sql) && query.bindings?.includes(user.id)) lookups += 1;
    };
    db.on('query', counter);
    try {
      const check = keeper().accountCheck({ pollMs: 20 });
      const caller = { kind: 'user', id: user.id, role: 'staff', departmentId: null, scopes: [] } as unknown as Caller;
      for (let i = 0; i < 5; i++) {
        assert.equal(await check(caller), undefined);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.equal(lookups, 1, 'one lookup however many requests while nothing changes');

      await withEmail.upsertUsers(db, [stand.changed(user, { isActive: false })]);
      let reason: string | undefined;
      await waitFor('the deactivation to refuse the token', async () => (reason = await check(caller)) !== undefined);
      assert.equal(reason, 'the account is deactivated');
      assert.equal(lookups, 2);
    } finally {
      db.off('query', counter);
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import knex, { type Knex } from 'knex';
import {
  createDatabaseWithServiceRoles,
  psqlAvailable,
  SERVICE_SCHEMAS,
  type DatabaseWithServiceRoles,
  type ServiceSchema,
} from './test-support/service-roles.js';

// deploy/postgres/init/01-service-roles.sh, run for real against the test server as the
// postgres image would run it: one role per service, each confined to its own schema.

describe('the Postgres init step', { skip: psqlAvailable() ? false : 'psql (the Postgres client) is not installed' }, () => {
  let setup: DatabaseWithServiceRoles;
  const connections = new Map<ServiceSchema, Knex>();

  function as(schema: ServiceSchema): Knex {
    let connection = connections.get(schema);
    if (!connection) {
      connection = knex({ client: 'pg', connection: setup.roles[schema].url, pool: { min: 0, max: 1 } });
      connections.set(schema, connection);
    }
    return connection;
  }

  async function refusal(work: Promise<unknown>): Promise<string> {
    try {
      await work;
    } catch (error) {
      return (error as Error).message;
    }
    return 'no refusal';
  }

  before(async () => {
    setup = await createDatabaseWithServiceRoles('deploy_roles');
  });

  after(async () => {
    for (const connection of connections.values()) await connection.destroy();
    await setup?.drop();
  });

  test('it creates a login role for each service that owns the schema of the same name', async () => {
    for (const schema of SERVICE_SCHEMAS) {
      const { rows } = await as(schema).raw<{ rows: { owner: string; search_path: string }[] }>(
        "select pg_get_userbyid(nspowner) as owner, current_setting('search_path') as search_path from pg_namespace where nspname = ?",
        [schema],
      );
      assert.equal(rows[0]?.owner, setup.roles[schema].role, schema);
      assert.equal(rows[0]?.search_path, schema, `${schema}: unqualified names resolve in its own schema`);
    }
  });

  test('a service role creates, writes and reads tables in its own schema', async () => {
    const identity = as('identity');
    await identity.raw('create table identity.probe (id int primary key)');
    await identity.raw('insert into probe values (1)');
    const { rows } = await identity.raw<{ rows: { id: number }[] }>('select id from identity.probe');
    assert.deepEqual(rows, [{ id: 1 }]);
  });

  test('a service role can neither read nor create in another service\'s schema', async () => {
    await as('incident').raw('create table incident.secrets (id int)');
    assert.match(await refusal(as('identity').raw('select * from incident.secrets')), /permission denied for schema incident/);
    assert.match(await refusal(as('identity').raw('create table incident.intruder (id int)')), /permission denied for schema incident/);
    assert.match(await refusal(as('analytics').raw('select * from identity.probe')), /permission denied for schema identity/);
  });

  test('a service role cannot create schemas, nor anything in public', async () => {
    assert.match(await refusal(as('notification').raw('create schema notification_extra')), /permission denied for database/);
    assert.match(await refusal(as('notification').raw('create table public.leak (id int)')), /permission denied for schema public/);
    const { rows } = await as('notification').raw<{ rows: { super: boolean; createdb: boolean; createrole: boolean }[] }>(
      'select rolsuper as super, rolcreatedb as createdb, rolcreaterole as createrole from pg_roles where rolname = current_user',
    );
    assert.deepEqual(rows[0], { super: false, createdb: false, createrole: false });
  });

  test('running it again keeps the data and the rules (it can be rerun to reset passwords)', async () => {
    assert.match(await setup.rerun(), /owns schema identity/);
    const { rows } = await as('identity').raw<{ rows: { id: number }[] }>('select id from identity.probe');
    assert.deepEqual(rows, [{ id: 1 }]);
    assert.match(await refusal(as('identity').raw('select * from incident.secrets')), /permission denied for schema incident/);
  });
});

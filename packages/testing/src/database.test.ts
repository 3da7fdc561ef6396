import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertTestDatabaseUrl, connectTo, createTestDatabase, testDatabaseUrl } from './database.js';

test('when the database name does not say "test", then the test set-up refuses it', () => {
  assert.throws(() => assertTestDatabaseUrl('postgres://postgres@127.0.0.1:5432/postgres'), /Refusing to run tests against database "postgres"/);
  assert.throws(() => assertTestDatabaseUrl('postgres://postgres@127.0.0.1:5432/incidents'), /must contain "test"/);
  assert.doesNotThrow(() => assertTestDatabaseUrl('postgres://postgres@127.0.0.1:5432/test'));
  assert.doesNotThrow(() => assertTestDatabaseUrl('postgres://postgres@127.0.0.1:5432/desk_test_ci'));
});

test('when a test file asks for a database, then it gets a fresh one of its own that is dropped afterwards', async () => {
  const first = await createTestDatabase('isolation');
  const second = await createTestDatabase('isolation');
  assert.notEqual(first.name, second.name);
  assert.match(first.name, /^desk_test_isolation_[0-9a-f]{8}$/);

  const db = connectTo(first.url);
  await db.schema.createTable('rows', (table) => table.integer('n'));
  await db('rows').insert({ n: 1 });
  await db.destroy();

  const other = connectTo(second.url);
  assert.equal(await other.schema.hasTable('rows'), false, 'the other database does not see it');
  await other.destroy();

  await first.drop();
  await second.drop();
  const admin = connectTo(testDatabaseUrl());
  const left = await admin('pg_database').whereIn('datname', [first.name, second.name]);
  await admin.destroy();
  assert.equal(left.length, 0);
});

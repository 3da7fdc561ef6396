import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { departmentSchema, userPageSchema, type FieldIssue, type User } from '@desk/contracts';
import { hashPassword } from '../passwords.js';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';
import { insertUser } from '../users/users.repository.js';

const INTERNAL_API_TOKEN = 'internal-token-for-tests-only-0123456789';

describe('internal listings for replicas', () => {
  let identity: IdentityHarness;

  before(async () => {
    identity = await startIdentity({ INTERNAL_API_TOKEN });
  });
  after(() => identity?.close());

  const internal = (path: string, query: Record<string, string | number> = {}) =>
    identity.http.get(path).query(query).set('Authorization', `Bearer ${INTERNAL_API_TOKEN}`);

  /** Follows nextCursor to the end; returns every page's items. */
  const allPages = async (query: Record<string, string | number>) => {
    const pages: User[][] = [];
    let cursor: string | null = null;
    do {
      const response = await internal('/internal/users', cursor ? { ...query, cursor } : query).expect(200);
      const page = userPageSchema.parse(response.body);
      pages.push(page.items);
      cursor = page.nextCursor;
      assert.ok(pages.length <= 200, 'the cursor does not advance: paging would never end');
    } while (cursor);
    return pages;
  };

  test('when the internal token is missing or wrong, or a user access token is sent instead, then 401', async () => {
    const adminToken = await identity.tokenFor(identity.admin);
    for (const path of ['/internal/users', '/internal/departments']) {
      await identity.http.get(path).expect(401);
      await identity.http.get(path).set('Authorization', 'Bearer not-the-internal-token-at-all').expect(401);
      const response = await identity.http.get(path).set('Authorization', `Bearer ${adminToken}`).expect(401);
      assert.equal(response.body.code, 'AUTH.INTERNAL_TOKEN');
    }
  });

  test('when a service pages through /internal/users, then every account comes exactly once, in the order they last changed', async () => {
    const department = await identity.createDepartment();
    for (let index = 0; index < 3; index += 1) await identity.createUser({ role: 'staff', departmentId: department.id });
    // Accounts written in one transaction share updated_at: the id must break the tie.
    const passwordHash = await hashPassword('same-instant-password');
    await identity.service.db.transaction(async (trx) => {
      for (let index = 0; index < 4; index += 1) {
        await insertUser(trx, { email: `${randomUUID()}@example.com`, fullName: 'Same Instant', passwordHash, role: 'reporter', departmentId: null });
      }
    });

    const pages = await allPages({ limit: 2 });
    const seen = pages.flat().map((user) => user.id);
    const expected = (await identity.service.db('users').select('id').orderBy([{ column: 'updated_at' }, { column: 'id' }])).map(
      (row: { id: string }) => row.id,
    );
    assert.deepEqual(seen, expected);
    assert.ok(pages.slice(0, -1).every((page) => page.length === 2));
    assert.ok(!JSON.stringify(pages).includes('$argon2'));
  });

  test('when two accounts changed within the same millisecond, then the cursor still tells them apart', async () => {
    const first = await identity.createUser();
    const second = await identity.createUser();
    // Far in the future, so they sort after everything else; 100 µs apart, one millisecond.
    await identity.service.db('users').where({ id: first.user.id }).update({ updated_at: '2100-01-01T00:00:00.000100Z' });
    await identity.service.db('users').where({ id: second.user.id }).update({ updated_at: '2100-01-01T00:00:00.000200Z' });

    const pages = await allPages({ updatedSince: '2099-12-31T00:00:00Z', limit: 1 });
    assert.deepEqual(
      pages.map((page) => page.map((user) => user.id)),
      [[first.user.id], [second.user.id]],
    );
  });

  test('when updatedSince is given, then only accounts changed at or after it come back, including older accounts changed since', async () => {
    const older = await identity.createUser();
    const marker = await identity.createUser();
    const since = marker.user.updatedAt;
    const adminToken = await identity.tokenFor(identity.admin);
    await identity.http.patch(`/users/${older.user.id}`).set('Authorization', `Bearer ${adminToken}`).send({ fullName: 'Changed Later' }).expect(200);

    const items = (await allPages({ updatedSince: since })).flat();
    const ids = items.map((user) => user.id);
    assert.ok(ids.includes(marker.user.id), 'updatedSince is inclusive');
    assert.ok(ids.includes(older.user.id));
    assert.ok(!ids.includes(identity.admin.id));
    assert.ok(items.every((user) => user.updatedAt >= since));
    assert.equal(items.find((user) => user.id === older.user.id)?.fullName, 'Changed Later');
  });

  test('when the query is invalid, then 400 naming each parameter; unknown ones are ignored', async () => {
    const paths = (body: unknown) => (body as { errors: FieldIssue[] }).errors.map((issue) => issue.path).sort();
    const bad = await internal('/internal/users', { limit: 1001, updatedSince: 'yesterday', since: 'x' }).expect(400);
    assert.equal(bad.body.code, 'VALIDATION.FAILED');
    assert.deepEqual(paths(bad.body), ['/limit', '/updatedSince']);
    await internal('/internal/users', { limit: 10, since: 'x' }).expect(200);
    assert.deepEqual(paths((await internal('/internal/users', { limit: 0 }).expect(400)).body), ['/limit']);
    assert.deepEqual(paths((await internal('/internal/users', { cursor: 'garbage' }).expect(400)).body), ['/cursor']);
    await internal('/internal/users', { limit: 1000 }).expect(200);
  });

  test('when a service lists /internal/departments, then every department comes back by name', async () => {
    const tag = randomUUID().slice(0, 8);
    const second = await identity.createDepartment(`Zebra ${tag}`);
    const first = await identity.createDepartment(`aardvark ${tag}`);
    const response = await internal('/internal/departments').expect(200);
    const items = (response.body as { items: unknown[] }).items.map((item) => departmentSchema.parse(item));
    const ours = items.filter((department) => department.name.endsWith(tag)).map((department) => department.id);
    assert.deepEqual(ours, [first.id, second.id]);
  });

  describe('POST /internal/registrations (the sender of a mail to the desk)', () => {
    const register = (body: unknown, token = INTERNAL_API_TOKEN) => identity.http.post('/internal/registrations').set('Authorization', `Bearer ${token}`).send(body as object);

    test('only with the internal token: a user token or none is a 401, and nothing is registered', async () => {
      const email = `mail-${randomUUID().slice(0, 8)}@elsewhere.example`;
      await identity.http.post('/internal/registrations').send({ email, fullName: 'Nobody' }).expect(401);
      const adminToken = await identity.tokenFor(identity.admin);
      await register({ email, fullName: 'Nobody' }, adminToken).expect(401);
      assert.equal(await identity.service.db('pending_registrations').whereRaw('lower(email) = ?', [email]).first(), undefined);
    });

    test('a new address waits for verification without a password and is mailed its link; an address with an account is left alone', async () => {
      const email = `mail-${randomUUID().slice(0, 8)}@elsewhere.example`;
      const response = await register({ email, fullName: 'Mail Sender' }).expect(202);
      assert.deepEqual(response.body, { mailed: true });
      const pending = await identity.service.db('pending_registrations').whereRaw('lower(email) = ?', [email]).first();
      assert.equal(pending.password_hash, null);
      const [event] = await identity.events.waitFor('account.verification_requested', email);
      assert.equal(event!.data.fullName, 'Mail Sender');

      const existing = await identity.createUser({ role: 'reporter' });
      const before = identity.events.ofType('account.verification_requested').length;
      assert.deepEqual((await register({ email: existing.user.email, fullName: 'Someone' }).expect(202)).body, { mailed: false });
      assert.equal(identity.events.ofType('account.verification_requested').length, before);
    });

    test('a bad body is a 400 naming the field', async () => {
      const response = await register({ email: 'not an address', fullName: '' }).expect(400);
      const paths = (response.body.errors as FieldIssue[]).map((issue) => issue.path).sort();
      assert.deepEqual(paths, ['/email', '/fullName']);
    });
  });
});

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { userCountSchema, userPageSchema, userSchema, type FieldIssue, type User } from '@desk/contracts';
import { waitFor } from '@desk/testing';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';
import { serviceAccountToken } from '../test-support/service-accounts.js';
import { countUsersInDirectory } from './users.repository.js';

type Account = { user: User; token: string; password: string };

/** Neither the hash nor its field name may ever leave the service. */
function assertNoPasswordHash(body: unknown): void {
  const text = JSON.stringify(body);
  assert.ok(!text.includes('$argon2'), 'an argon2 hash leaked');
  assert.ok(!/password/i.test(text), 'a password field leaked');
}

describe('users', () => {
  let identity: IdentityHarness;
  let adminToken: string;
  let departmentA: { id: string; name: string };
  let departmentB: { id: string; name: string };
  let managerA: Account;
  let staffA: Account;
  let staffB: Account;
  let reporter: Account;
  let usersReader: string;
  let serviceWithoutUsersRead: string;
  /** Passwords sent in request bodies, which must not show up in any log line either. */
  const passwordsSent: string[] = [];

  before(async () => {
    identity = await startIdentity();
    adminToken = await identity.tokenFor(identity.admin);
    departmentA = await identity.createDepartment('Department A');
    departmentB = await identity.createDepartment('Department B');
    managerA = await identity.createUser({ role: 'manager', departmentId: departmentA.id, fullName: 'Manager of A' });
    staffA = await identity.createUser({ role: 'staff', departmentId: departmentA.id, fullName: 'Staff of A' });
    staffB = await identity.createUser({ role: 'staff', departmentId: departmentB.id, fullName: 'Staff of B' });
    reporter = await identity.createUser({ role: 'reporter', fullName: 'A Reporter' });
    usersReader = await serviceAccountToken(identity, ['users:read']);
    serviceWithoutUsersRead = await serviceAccountToken(identity, ['incidents:read', 'incidents:write']);
  });
  after(() => identity?.close());

  const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
  const as = (token: string) => ({
    list: (query: Record<string, string | number | boolean> = {}) =>
      identity.http.get('/users').query(query).set('Authorization', `Bearer ${token}`),
    count: (query: Record<string, string | number | boolean> = {}) =>
      identity.http.get('/users/count').query(query).set('Authorization', `Bearer ${token}`),
    get: (id: string) => identity.http.get(`/users/${id}`).set('Authorization', `Bearer ${token}`),
    create: (body: object) => identity.http.post('/users').set('Authorization', `Bearer ${token}`).send(body),
    patch: (id: string, body: object) => identity.http.patch(`/users/${id}`).set('Authorization', `Bearer ${token}`).send(body),
  });
  const admin = () => as(adminToken);
  const newUserBody = (overrides: object = {}) => {
    const password = `secret-${randomUUID()}`;
    passwordsSent.push(password);
    return { email: `${unique('new')}@example.com`, password, fullName: 'New Person', role: 'reporter', ...overrides };
  };
  const paths = (body: { errors: { path: string }[] }) => body.errors.map((issue) => issue.path).sort();
  const activeAdminCount = async () =>
    Number((await identity.service.db('users').where({ role: 'admin', is_active: true }).count<{ count: string }[]>('id as count'))[0]!.count);
  const insertRefreshToken = async (userId: string, revoked?: { at: Date; reason: string }) => {
    const rows: { id: string }[] = await identity.service
      .db('refresh_tokens')
      .insert({
        family_id: randomUUID(),
        user_id: userId,
        token_hash: randomBytes(32),
        expires_at: new Date(Date.now() + 86_400_000),
        revoked_at: revoked?.at ?? null,
        revoked_reason: revoked?.reason ?? null,
      })
      .returning('id');
    return rows[0]!.id;
  };
  const refreshToken = (id: string) =>
    identity.service.db('refresh_tokens').select('revoked_at', 'revoked_reason').where({ id }).first<{ revoked_at: Date | null; revoked_reason: string | null }>();
  const updatesOf = (subject: string) => identity.events.ofType('user.updated').filter((event) => event.subject === subject);
  const deactivationsOf = (subject: string) => identity.events.ofType('user.deactivated').filter((event) => event.subject === subject);

  describe('POST /users', () => {
    test('when an admin creates a staff member, then 201 with the user, its Location and user.registered, and the account can sign in', async () => {
      const body = newUserBody({ email: `  ${unique('New.Staff').toUpperCase()}@Example.com `, role: 'staff', departmentId: departmentA.id, fullName: ' Nora Staff ' });
      const response = await admin().create(body).expect(201);
      const user = userSchema.parse(response.body);
      assert.equal(user.email, body.email.trim().toLowerCase());
      assert.equal(user.fullName, 'Nora Staff');
      assert.equal(user.role, 'staff');
      assert.equal(user.departmentId, departmentA.id);
      assert.equal(user.isActive, true);
      assert.equal(response.headers.location, `/users/${user.id}`);
      assertNoPasswordHash(response.body);

      const [event] = await identity.events.waitFor('user.registered', user.id);
      assert.equal(event!.subject, user.id);
      assert.deepEqual(event!.data, { user: response.body });

      await identity.http.post('/auth/login').send({ email: user.email, password: body.password }).expect(200);
    });

    test('when a reporter or an admin is created without a department, then that is allowed', async () => {
      for (const role of ['reporter', 'admin']) {
        const response = await admin().create(newUserBody({ role })).expect(201);
        assert.equal(response.body.departmentId, null);
        // Leave a single active admin for the last-admin tests further down.
        if (role === 'admin') await admin().patch(response.body.id, { isActive: false }).expect(200);
      }
    });

    test('when a staff member or manager is created without a department, then 422 USER.DEPARTMENT_REQUIRED', async () => {
      const staff = await admin().create(newUserBody({ role: 'staff' })).expect(422);
      assert.equal(staff.body.code, 'USER.DEPARTMENT_REQUIRED');
      const manager = await admin().create(newUserBody({ role: 'manager', departmentId: null })).expect(422);
      assert.equal(manager.body.code, 'USER.DEPARTMENT_REQUIRED');
    });

    test('when the department does not exist, then 422 USER.DEPARTMENT_NOT_FOUND', async () => {
      const response = await admin().create(newUserBody({ role: 'staff', departmentId: randomUUID() })).expect(422);
      assert.equal(response.body.code, 'USER.DEPARTMENT_NOT_FOUND');
    });

    test('when the email is taken in any letter case, then 409 USER.EMAIL_TAKEN', async () => {
      const email = `${unique('taken')}@example.com`;
      await admin().create(newUserBody({ email })).expect(201);
      const response = await admin().create(newUserBody({ email: email.toUpperCase() })).expect(409);
      assert.equal(response.body.code, 'USER.EMAIL_TAKEN');
      // The field it names, so a form can show it there.
      assert.deepEqual((response.body as { errors?: { location: string; path: string }[] }).errors?.map(({ location, path }) => ({ location, path })), [{ location: 'body', path: '/email' }]);
    });

    test('when the body is invalid or has unknown fields, then 400 VALIDATION.FAILED naming each field', async () => {
      const missing = await admin().create({}).expect(400);
      assert.equal(missing.body.code, 'VALIDATION.FAILED');
      assert.deepEqual(paths(missing.body), ['/email', '/fullName', '/password', '/role']);

      const bad = await admin()
        .create({ email: 'not-an-email', password: 'short', fullName: '', role: 'boss', departmentId: 'department-a' })
        .expect(400);
      assert.deepEqual(paths(bad.body), ['/departmentId', '/email', '/fullName', '/password', '/role']);

      const unknown = await admin().create(newUserBody({ isAdmin: true })).expect(400);
      assert.deepEqual(paths(unknown.body), ['/isAdmin']);
    });

    test('when a reporter, staff member, manager or service account creates a user, then 403; without a token 401', async () => {
      for (const [caller, token] of Object.entries({ reporter: reporter.token, staff: staffA.token, manager: managerA.token, service: usersReader })) {
        const response = await as(token).create(newUserBody());
        assert.equal(response.status, 403, caller);
      }
      await identity.http.post('/users').send(newUserBody()).expect(401);
    });
  });

  describe('GET /users', () => {
    test('when an admin lists users, then accounts of every department come back as a page', async () => {
      const response = await admin().list({ limit: 100 }).expect(200);
      const page = userPageSchema.parse(response.body);
      const ids = page.items.map((user) => user.id);
      for (const account of [managerA, staffA, staffB, reporter]) assert.ok(ids.includes(account.user.id));
      assert.ok(ids.includes(identity.admin.id));
      assertNoPasswordHash(response.body);
    });

    test('when the list spans several pages, then following nextCursor visits everyone once, by name then id', async () => {
      const department = await identity.createDepartment();
      const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'alpha', 'Foxtrot'];
      const created: User[] = [];
      for (const fullName of names) created.push((await identity.createUser({ role: 'staff', departmentId: department.id, fullName })).user);
      const expected = created
        .sort((left, right) => {
          const byName = left.fullName.toLowerCase().localeCompare(right.fullName.toLowerCase());
          return byName !== 0 ? byName : left.id < right.id ? -1 : 1;
        })
        .map((user) => user.id);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { departmentId: department.id, limit: 3 };
        if (cursor) query.cursor = cursor;
        const response = await admin().list(query).expect(200);
        pageSizes.push(response.body.items.length);
        seen.push(...(response.body as { items: User[] }).items.map((user) => user.id));
        cursor = response.body.nextCursor;
        assert.ok(pageSizes.length <= 10, 'the cursor does not advance: paging would never end');
      } while (cursor);

      assert.deepEqual(pageSizes, [3, 3, 1]);
      assert.deepEqual(seen, expected);
    });

    test('when a page is exactly full at the end, then its nextCursor is null', async () => {
      const department = await identity.createDepartment();
      for (const fullName of ['One', 'Two']) await identity.createUser({ role: 'staff', departmentId: department.id, fullName });
      const response = await admin().list({ departmentId: department.id, limit: 2 }).expect(200);
      assert.equal(response.body.items.length, 2);
      assert.equal(response.body.nextCursor, null);
    });

    test('when filtered by role, department and activity, then only matching accounts are returned', async () => {
      const department = await identity.createDepartment();
      const manager = (await identity.createUser({ role: 'manager', departmentId: department.id })).user;
      const active = (await identity.createUser({ role: 'staff', departmentId: department.id })).user;
      const inactive = (await identity.createUser({ role: 'staff', departmentId: department.id })).user;
      await admin().patch(inactive.id, { isActive: false }).expect(200);

      const ids = async (query: Record<string, string>) =>
        ((await admin().list({ departmentId: department.id, ...query }).expect(200)).body.items as User[]).map((user) => user.id).sort();
      assert.deepEqual(await ids({ role: 'manager' }), [manager.id]);
      assert.deepEqual(await ids({ role: 'staff' }), [active.id, inactive.id].sort());
      assert.deepEqual(await ids({ isActive: 'false' }), [inactive.id]);
      assert.deepEqual(await ids({ isActive: 'true', role: 'staff' }), [active.id]);
    });

    test('when q is given, then it matches part of the name or email in any case, with % and _ taken literally', async () => {
      const department = await identity.createDepartment();
      const make = async (fullName: string, email: string) =>
        (await identity.createUser({ role: 'staff', departmentId: department.id, fullName, email })).user.id;
      const ada = await make('Ada Lovelace', `${unique('ada')}@example.com`);
      const grace = await make('Grace Hopper', `g.hopper+ops-${randomUUID().slice(0, 8)}@example.com`);
      const percent = await make('Always 100% Up', `${unique('always')}@example.com`);
      const underscore = await make('Under_score', `${unique('under')}@example.com`);
      await make('Plain Name', `${unique('plain')}@example.com`);

      const search = async (q: string) =>
        ((await admin().list({ departmentId: department.id, q }).expect(200)).body.items as User[]).map((user) => user.id);
      assert.deepEqual(await search('LOVE'), [ada]);
      assert.deepEqual(await search('hopper+OPS'), [grace]);
      assert.deepEqual(await search('%'), [percent]);
      assert.deepEqual(await search('_'), [underscore]);
      assert.deepEqual(await search('nobody-has-this'), []);
    });

    test('when the cursor is not one the list returned, then 400 naming cursor', async () => {
      const wrongShape = Buffer.from(JSON.stringify({ name: 1 })).toString('base64url');
      for (const cursor of ['not a cursor', wrongShape]) {
        const response = await admin().list({ cursor }).expect(400);
        assert.equal(response.body.code, 'VALIDATION.FAILED');
        const issues = (response.body as { errors: FieldIssue[] }).errors;
        assert.deepEqual(issues.map((issue) => [issue.location, issue.path]), [['query', '/cursor']]);
      }
    });

    test('when query parameters are invalid, then 400 naming each; unknown ones are ignored', async () => {
      const bad = await admin().list({ limit: 101, role: 'boss', isActive: 'yes', departmentId: 'x', sort: 'name' }).expect(400);
      assert.deepEqual(paths(bad.body), ['/departmentId', '/isActive', '/limit', '/role']);
      await admin().list({ limit: 5, sort: 'name' }).expect(200);
      assert.ok((bad.body as { errors: FieldIssue[] }).errors.every((issue) => issue.location === 'query'));
      assert.deepEqual(paths((await admin().list({ limit: 0 }).expect(400)).body), ['/limit']);
    });

    test("when a manager lists users, then only their department's are returned", async () => {
      const response = await as(managerA.token).list({ limit: 100 }).expect(200);
      const items = response.body.items as User[];
      assert.ok(items.length >= 2);
      assert.ok(items.every((user) => user.departmentId === departmentA.id));
      assert.ok(items.some((user) => user.id === staffA.user.id));
      const explicit = await as(managerA.token).list({ departmentId: departmentA.id, limit: 100 }).expect(200);
      assert.deepEqual(explicit.body, response.body);
    });

    test('when a manager asks for another department, then 403 USER.FORBIDDEN_DEPARTMENT', async () => {
      const response = await as(managerA.token).list({ departmentId: departmentB.id }).expect(403);
      assert.equal(response.body.code, 'USER.FORBIDDEN_DEPARTMENT');
    });

    test('when a service account holds users:read, then it sees every department', async () => {
      const response = await as(usersReader).list({ limit: 100 }).expect(200);
      const ids = (response.body.items as User[]).map((user) => user.id);
      assert.ok(ids.includes(staffA.user.id) && ids.includes(staffB.user.id));
    });

    test('when staff, a reporter or a service account without users:read lists users, then 403; without a token 401', async () => {
      for (const [caller, token] of Object.entries({ reporter: reporter.token, staff: staffA.token, service: serviceWithoutUsersRead })) {
        const response = await as(token).list();
        assert.equal(response.status, 403, caller);
      }
      await identity.http.get('/users').expect(401);
    });
  });

  describe('GET /users/count', () => {
    /** Every id the list holds for `query`, page after page. */
    const listAll = async (token: string, query: Record<string, string> = {}) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await as(token).list({ ...query, limit: 100, ...(cursor ? { cursor } : {}) }).expect(200);
        const page = userPageSchema.parse(response.body);
        ids.push(...page.items.map((user) => user.id));
        cursor = page.nextCursor;
      } while (cursor);
      return ids;
    };
    const countOf = async (token: string, query: Record<string, string> = {}) => userCountSchema.parse((await as(token).count(query).expect(200)).body);

    /** A department of its own: a manager, two active staff (one found by "needle"), one inactive, a reporter. */
    const populatedDepartment = async () => {
      const department = await identity.createDepartment();
      await identity.createUser({ role: 'manager', departmentId: department.id });
      await identity.createUser({ role: 'staff', departmentId: department.id, fullName: 'Needle Finder' });
      await identity.createUser({ role: 'staff', departmentId: department.id });
      const inactive = (await identity.createUser({ role: 'staff', departmentId: department.id })).user;
      await admin().patch(inactive.id, { isActive: false }).expect(200);
      await identity.createUser({ role: 'reporter', departmentId: department.id });
      return department;
    };

    test('when an admin counts, then for each filter the count is the number of users the list holds, uncapped', async () => {
      const department = await populatedDepartment();
      const filters: Record<string, string>[] = [
        {},
        { isActive: 'true' },
        { isActive: 'false' },
        { role: 'staff' },
        { departmentId: department.id },
        { departmentId: department.id, role: 'staff' },
        { departmentId: department.id, role: 'staff', isActive: 'true' },
        { departmentId: department.id, isActive: 'false' },
        { q: 'needle' },
        { q: 'nobody-has-this' },
      ];
      for (const query of filters) {
        const listed = await listAll(adminToken, query);
        assert.deepEqual(await countOf(adminToken, query), { count: listed.length, capped: false }, JSON.stringify(query));
      }
      assert.equal((await countOf(adminToken, { departmentId: department.id })).count, 5);
      assert.equal((await countOf(adminToken, { departmentId: department.id, role: 'staff', isActive: 'true' })).count, 2);
    });

    test("when a manager counts, then only their department's users are counted, as their list lists them", async () => {
      const queries: Record<string, string>[] = [{}, { departmentId: departmentA.id }, { role: 'staff' }, { isActive: 'true' }];
      for (const query of queries) {
        const listed = await listAll(managerA.token, query);
        assert.ok(listed.length >= 2);
        assert.deepEqual(await countOf(managerA.token, query), { count: listed.length, capped: false }, JSON.stringify(query));
      }
      assert.deepEqual(await countOf(managerA.token), await countOf(adminToken, { departmentId: departmentA.id }));
      assert.ok((await countOf(managerA.token)).count < (await countOf(adminToken)).count);
    });

    test('when a manager counts another department, then 403 USER.FORBIDDEN_DEPARTMENT, as the list answers', async () => {
      const list = await as(managerA.token).list({ departmentId: departmentB.id }).expect(403);
      const count = await as(managerA.token).count({ departmentId: departmentB.id }).expect(403);
      assert.equal(count.body.code, 'USER.FORBIDDEN_DEPARTMENT');
      assert.equal(count.body.code, list.body.code);
    });

    test('when a service account holds users:read, then it counts everyone, as its list lists them', async () => {
      const queries: Record<string, string>[] = [{}, { isActive: 'true' }, { departmentId: departmentB.id }];
      for (const query of queries) {
        const listed = await listAll(usersReader, query);
        assert.deepEqual(await countOf(usersReader, query), { count: listed.length, capped: false }, JSON.stringify(query));
      }
      assert.deepEqual(await countOf(usersReader), await countOf(adminToken));
    });

    test('when staff, a reporter or a service account without users:read counts, then it is refused exactly as the list refuses it; without a token 401', async () => {
      const queries: Record<string, string>[] = [{}, { departmentId: departmentA.id }];
      for (const [caller, token] of Object.entries({ reporter: reporter.token, staff: staffA.token, service: serviceWithoutUsersRead })) {
        for (const query of queries) {
          const list = await as(token).list(query);
          const count = await as(token).count(query);
          assert.equal(count.status, 403, caller);
          assert.deepEqual([count.status, count.body.code], [list.status, list.body.code], caller);
        }
      }
      assert.equal((await as(reporter.token).count().expect(403)).body.code, 'USER.FORBIDDEN');
      await identity.http.get('/users/count').expect(401);
    });

    test('when a filter is invalid, then 400 VALIDATION.FAILED naming each field; paging parameters and unknown ones are ignored', async () => {
      const bad = await admin().count({ role: 'boss', isActive: 'yes', departmentId: 'x' }).expect(400);
      assert.equal(bad.body.code, 'VALIDATION.FAILED');
      assert.deepEqual(paths(bad.body), ['/departmentId', '/isActive', '/role']);
      assert.ok((bad.body as { errors: FieldIssue[] }).errors.every((issue) => issue.location === 'query'));
      assert.deepEqual(paths((await admin().count({ q: '' }).expect(400)).body), ['/q']);
      await admin().count({ limit: 1000, cursor: 'x', sort: 'name' }).expect(200);
    });

    test('when more users match than the count may read, then counting stops there', async () => {
      const department = await populatedDepartment();
      assert.equal(await countUsersInDirectory(identity.service.db, { departmentId: department.id }, 3), 3);
      assert.equal(await countUsersInDirectory(identity.service.db, { departmentId: department.id }, 6), 5);
    });
  });

  describe('GET /users/:id', () => {
    test('when an admin fetches any account, then 200 with it', async () => {
      const response = await admin().get(staffB.user.id).expect(200);
      assert.deepEqual(response.body, staffB.user);
      assertNoPasswordHash(response.body);
    });

    test("when a manager fetches someone of their department, then 200; of another department or none, then 404", async () => {
      await as(managerA.token).get(staffA.user.id).expect(200);
      const other = await as(managerA.token).get(staffB.user.id).expect(404);
      assert.equal(other.body.code, 'USER.NOT_FOUND');
      await as(managerA.token).get(reporter.user.id).expect(404);
    });

    test('when a user fetches their own account, then 200; anyone else, then 403', async () => {
      for (const account of [reporter, staffA]) {
        const own = await as(account.token).get(account.user.id).expect(200);
        assert.equal(own.body.id, account.user.id);
        assertNoPasswordHash(own.body);
      }
      const response = await as(reporter.token).get(staffA.user.id).expect(403);
      assert.equal(response.body.code, 'USER.FORBIDDEN');
      await as(staffA.token).get(staffB.user.id).expect(403);
    });

    test('when a service account fetches an account, then 200 with users:read and 403 without', async () => {
      await as(usersReader).get(staffB.user.id).expect(200);
      await as(serviceWithoutUsersRead).get(staffB.user.id).expect(403);
    });

    test('when the id is unknown, then 404 USER.NOT_FOUND; not a UUID, then 400 naming id; no token, then 401', async () => {
      assert.equal((await admin().get(randomUUID()).expect(404)).body.code, 'USER.NOT_FOUND');
      const malformed = await admin().get('me').expect(400);
      assert.deepEqual(malformed.body.errors, [{ location: 'params', path: '/id', message: 'must be a user id (a UUID)' }]);
      await identity.http.get(`/users/${staffA.user.id}`).expect(401);
    });
  });

  describe('PATCH /users/:id', () => {
    test("when an admin changes a role, then user.updated names the role, the user's live refresh tokens are revoked and the old token stops working", async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id });
      const live = await insertRefreshToken(account.user.id);
      const earlierRevokedAt = new Date('2024-01-01T00:00:00Z');
      const alreadyRevoked = await insertRefreshToken(account.user.id, { at: earlierRevokedAt, reason: 'logout' });

      const response = await admin().patch(account.user.id, { role: 'manager' }).expect(200);
      assert.equal(response.body.role, 'manager');
      assert.ok(response.body.updatedAt > account.user.updatedAt);
      assertNoPasswordHash(response.body);

      const [event] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(event!.data, { user: response.body, changedFields: ['role'], actorId: identity.admin.id });

      const revoked = await refreshToken(live);
      assert.ok(revoked?.revoked_at instanceof Date);
      assert.equal(revoked.revoked_reason, 'account changed');
      assert.deepEqual(await refreshToken(alreadyRevoked), { revoked_at: earlierRevokedAt, revoked_reason: 'logout' });

      await as(account.token).get(account.user.id).expect(401);
    });

    test('when an admin renames a user, then user.updated names fullName only and refresh tokens stay live', async () => {
      const account = await identity.createUser({ role: 'reporter' });
      const live = await insertRefreshToken(account.user.id);
      const response = await admin().patch(account.user.id, { fullName: 'Renamed Person' }).expect(200);
      assert.equal(response.body.fullName, 'Renamed Person');
      const [event] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(event!.data.changedFields, ['fullName']);
      assert.equal((await refreshToken(live))?.revoked_at, null);
    });

    test('when an admin deactivates a user, then exactly one user.deactivated is published and their refresh tokens are revoked', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentB.id });
      const live = await insertRefreshToken(account.user.id);
      const response = await admin().patch(account.user.id, { isActive: false, fullName: account.user.fullName }).expect(200);
      assert.equal(response.body.isActive, false);
      assert.ok((await refreshToken(live))?.revoked_at instanceof Date);

      // Reactivating afterwards publishes user.updated; once it is in, anything before it is too.
      await admin().patch(account.user.id, { isActive: true }).expect(200);
      const [reactivated] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(reactivated!.data.changedFields, ['isActive']);
      const deactivations = deactivationsOf(account.user.id);
      assert.equal(deactivations.length, 1);
      assert.deepEqual(deactivations[0]!.data, { user: response.body, actorId: identity.admin.id });
      assert.equal(updatesOf(account.user.id).length, 1);
    });

    test('when a PATCH repeats the current values, then 200, updatedAt stays, nothing is published and tokens stay live', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id, fullName: 'Same Name' });
      const live = await insertRefreshToken(account.user.id);
      const response = await admin()
        .patch(account.user.id, { fullName: 'Same Name', role: 'staff', departmentId: departmentA.id, isActive: true })
        .expect(200);
      assert.deepEqual(response.body, account.user);
      assert.equal((await refreshToken(live))?.revoked_at, null);

      await admin().patch(account.user.id, { fullName: 'Other Name' }).expect(200);
      await identity.events.waitFor('user.updated', account.user.id);
      const updates = updatesOf(account.user.id);
      assert.equal(updates.length, 1);
      assert.deepEqual(updates[0]!.data.changedFields, ['fullName']);
    });

    test('when moving a user to another department, then user.updated names departmentId and refresh tokens are revoked', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id });
      const live = await insertRefreshToken(account.user.id);
      await admin().patch(account.user.id, { departmentId: departmentB.id }).expect(200);
      const [event] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(event!.data.changedFields, ['departmentId']);
      assert.equal(event!.data.user.departmentId, departmentB.id);
      assert.ok((await refreshToken(live))?.revoked_at instanceof Date);
    });

    test('when a staff member or manager would end up without a department, then 422 USER.DEPARTMENT_REQUIRED', async () => {
      const staff = await identity.createUser({ role: 'staff', departmentId: departmentA.id });
      assert.equal((await admin().patch(staff.user.id, { departmentId: null }).expect(422)).body.code, 'USER.DEPARTMENT_REQUIRED');
      const someone = await identity.createUser({ role: 'reporter' });
      assert.equal((await admin().patch(someone.user.id, { role: 'manager' }).expect(422)).body.code, 'USER.DEPARTMENT_REQUIRED');

      const promoted = await admin().patch(someone.user.id, { role: 'manager', departmentId: departmentB.id }).expect(200);
      assert.equal(promoted.body.role, 'manager');
      const [event] = await identity.events.waitFor('user.updated', someone.user.id);
      assert.deepEqual(event!.data.changedFields, ['role', 'departmentId']);
      // Leaving the department is fine once the role no longer needs one.
      await admin().patch(staff.user.id, { role: 'reporter', departmentId: null }).expect(200);
    });

    test('when the department does not exist, then 422 USER.DEPARTMENT_NOT_FOUND and nothing changes', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id });
      const response = await admin().patch(account.user.id, { departmentId: randomUUID() }).expect(422);
      assert.equal(response.body.code, 'USER.DEPARTMENT_NOT_FOUND');
      assert.equal((await admin().get(account.user.id).expect(200)).body.departmentId, departmentA.id);
    });

    test('when the user is unknown, then 404; a non-UUID id, an empty body, bad values or unknown fields, then 400 naming them', async () => {
      assert.equal((await admin().patch(randomUUID(), { fullName: 'Ghost' }).expect(404)).body.code, 'USER.NOT_FOUND');
      assert.deepEqual(paths((await admin().patch('123', { fullName: 'Ghost' }).expect(400)).body), ['/id']);
      const empty = await admin().patch(staffA.user.id, {}).expect(400);
      assert.equal(empty.body.errors[0].message, 'give at least one field to change');
      const bad = await admin().patch(staffA.user.id, { role: 'boss', isActive: 'no', fullName: '' }).expect(400);
      assert.deepEqual(paths(bad.body), ['/fullName', '/isActive', '/role']);
      const unknown = await admin().patch(staffA.user.id, { fullName: 'Staff of A', email: 'new@example.com', password: 'new-password' }).expect(400);
      assert.deepEqual(paths(unknown.body), ['/email', '/password']);
    });

    test('when a reporter, staff member, manager or service account patches a user, then 403; without a token 401', async () => {
      for (const [caller, token] of Object.entries({ reporter: reporter.token, staff: staffA.token, manager: managerA.token, service: usersReader })) {
        const response = await as(token).patch(staffA.user.id, { fullName: 'Hijacked' });
        assert.equal(response.status, 403, caller);
      }
      await identity.http.patch(`/users/${staffA.user.id}`).send({ fullName: 'Hijacked' }).expect(401);
      assert.equal((await admin().get(staffA.user.id).expect(200)).body.fullName, 'Staff of A');
    });
  });

  describe('PATCH /auth/me', () => {
    test('when a person renames themself, then the account answers with the new name, user.updated names fullName, and it is audited as theirs', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id, fullName: 'Before Rename' });
      const token = await identity.tokenFor(account.user);
      const response = await identity.http.patch('/auth/me').set('Authorization', `Bearer ${token}`).send({ fullName: '  After Rename ' }).expect(200);
      assert.equal(response.body.fullName, 'After Rename');
      assert.equal(response.body.role, 'staff');
      const [event] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(event!.data.changedFields, ['fullName']);
      const audit = await identity.service.db('audit_log').where({ target_id: account.user.id }).orderBy('occurred_at', 'desc').first<{ actor_id: string } | undefined>();
      assert.equal(audit?.actor_id, account.user.id);
    });

    test('when the body names another field or an empty name, then 400 names the field and nothing changes', async () => {
      const account = await identity.createUser({ role: 'reporter', fullName: 'Keeps Name' });
      const token = await identity.tokenFor(account.user);
      const escalation = await identity.http.patch('/auth/me').set('Authorization', `Bearer ${token}`).send({ fullName: 'Sneaky', role: 'admin' }).expect(400);
      assert.deepEqual(paths(escalation.body), ['/role']);
      const empty = await identity.http.patch('/auth/me').set('Authorization', `Bearer ${token}`).send({ fullName: '   ' }).expect(400);
      assert.deepEqual(paths(empty.body), ['/fullName']);
      const me = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      assert.equal(me.body.fullName, 'Keeps Name');
      assert.equal(me.body.role, 'reporter');
    });

    test('when a service account or nobody asks, then it is refused', async () => {
      await identity.http.patch('/auth/me').set('Authorization', `Bearer ${usersReader}`).send({ fullName: 'Robot' }).expect(403);
      await identity.http.patch('/auth/me').send({ fullName: 'Nobody' }).expect(401);
    });
  });

  describe('the last active admin', () => {
    test('when the only active admin would be demoted or deactivated, then 409 USER.LAST_ADMIN and nothing changes', async () => {
      assert.equal(await activeAdminCount(), 1);
      const demoted = await admin().patch(identity.admin.id, { role: 'manager', departmentId: departmentA.id }).expect(409);
      assert.equal(demoted.body.code, 'USER.LAST_ADMIN');
      assert.equal((await admin().patch(identity.admin.id, { isActive: false }).expect(409)).body.code, 'USER.LAST_ADMIN');
      const current = await admin().get(identity.admin.id).expect(200);
      assert.equal(current.body.role, 'admin');
      assert.equal(current.body.isActive, true);
      // Other changes to the last admin are fine.
      await admin().patch(identity.admin.id, { fullName: 'Chief Administrator' }).expect(200);
    });

    test('when another active admin exists, then an admin can be demoted; an inactive admin does not count', async () => {
      const second = await admin().create(newUserBody({ role: 'admin' })).expect(201);
      await admin().patch(second.body.id, { role: 'reporter' }).expect(200);

      const inactive = await admin().create(newUserBody({ role: 'admin' })).expect(201);
      await admin().patch(inactive.body.id, { isActive: false }).expect(200);
      assert.equal((await admin().patch(identity.admin.id, { role: 'reporter' }).expect(409)).body.code, 'USER.LAST_ADMIN');
    });

    test('when the only two admins are demoted at the same moment, then exactly one demotion succeeds', async () => {
      const other = await admin().create(newUserBody({ role: 'admin' })).expect(201);
      assert.equal(await activeAdminCount(), 2);

      // Hold the admins' rows so both requests are past authentication and waiting on the same
      // lock before either may decide: the race is then certain, not left to timing.
      const blocker = await identity.service.db.transaction();
      let results: Awaited<ReturnType<ReturnType<typeof admin>['patch']>>[];
      try {
        await blocker('users').select('id').where({ role: 'admin', is_active: true }).forUpdate();
        const both = Promise.all([
          admin().patch(identity.admin.id, { role: 'reporter' }),
          admin().patch(other.body.id, { role: 'reporter' }),
        ]);
        await waitFor('both demotions to wait on the admin rows', async () => {
          const { rows } = await identity.service.db.raw<{ rows: { waiting: string }[] }>(
            "select count(*) as waiting from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
          );
          return Number(rows[0]!.waiting) >= 2 ? true : undefined;
        });
        await blocker.commit();
        results = await both;
      } finally {
        if (!blocker.isCompleted()) await blocker.rollback();
      }

      const statuses = results.map((response) => response.status).sort();
      assert.deepEqual(statuses, [200, 409]);
      assert.equal(results.find((response) => response.status === 409)!.body.code, 'USER.LAST_ADMIN');
      assert.equal(await activeAdminCount(), 1);

      // Put the bootstrap admin back for whatever runs later.
      const bootstrapDemoted = results[0]!.status === 200;
      if (bootstrapDemoted) {
        const remaining = await identity.tokenFor({ id: other.body.id, role: 'admin', departmentId: null });
        await as(remaining).patch(identity.admin.id, { role: 'admin' }).expect(200);
      }
    });
  });

  describe('PUT /users/me/locale', () => {
    test('a person chooses their language: the account says it, user.updated names locale, and choosing it again changes nothing', async () => {
      const account = await identity.createUser({ role: 'reporter', fullName: unique('Locale') });
      const token = await identity.tokenFor(account.user);
      assert.equal(account.user.locale ?? null, null);
      const response = await identity.http.put('/users/me/locale').set('Authorization', `Bearer ${token}`).send({ locale: 'de' }).expect(200);
      assert.equal(userSchema.parse(response.body).locale, 'de');
      const [event] = await identity.events.waitFor('user.updated', account.user.id);
      assert.deepEqual(event!.data.changedFields, ['locale']);
      assert.equal(event!.data.user.locale, 'de');
      const me = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      assert.equal(me.body.locale, 'de');
      // The same language again publishes nothing more.
      await identity.http.put('/users/me/locale').set('Authorization', `Bearer ${token}`).send({ locale: 'de' }).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(updatesOf(account.user.id).length, 1);
      // And the person can go back to English.
      const back = await identity.http.put('/users/me/locale').set('Authorization', `Bearer ${token}`).send({ locale: 'en' }).expect(200);
      assert.equal(back.body.locale, 'en');
    });

    test('an unsupported language, a missing one or an unknown field is a 400 naming the field, and nothing changes', async () => {
      const account = await identity.createUser({ role: 'staff', departmentId: departmentA.id, fullName: unique('Locale') });
      const token = await identity.tokenFor(account.user);
      for (const [body, field] of [[{ locale: 'fr' }, '/locale'], [{}, '/locale'], [{ locale: 'de', theme: 'dark' }, '/theme']] as const) {
        const response = await identity.http.put('/users/me/locale').set('Authorization', `Bearer ${token}`).send(body).expect(400);
        assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.ok((response.body.errors as FieldIssue[]).some((issue) => issue.path === field), JSON.stringify(response.body));
      }
      const me = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      assert.equal(me.body.locale, null);
    });

    test('service accounts have no language and are refused; without a token it is a 401', async () => {
      const refused = await identity.http.put('/users/me/locale').set('Authorization', `Bearer ${usersReader}`).send({ locale: 'de' }).expect(403);
      assert.equal(refused.body.code, 'AUTH.FORBIDDEN');
      await identity.http.put('/users/me/locale').send({ locale: 'de' }).expect(401);
    });
  });

  test('the password hash never appears in an event or a log line, nor a password sent in a body', async () => {
    assertNoPasswordHash(identity.events.events);
    const logged = JSON.stringify(identity.logs.lines);
    assert.ok(identity.logs.lines.length > 0);
    assert.ok(!logged.includes('$argon2'));
    for (const password of passwordsSent) assert.ok(!logged.includes(password));
  });
});

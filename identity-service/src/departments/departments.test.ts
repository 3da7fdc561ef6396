import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Department, FieldIssue } from '@desk/contracts';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';
import { serviceAccountToken } from '../test-support/service-accounts.js';

/** The paths of the field issues of a problem+json response, in the order given. */
function issuePaths(response: { body: unknown }): string[] {
  return ((response.body as { errors?: FieldIssue[] }).errors ?? []).map((issue) => issue.path);
}

describe('departments', () => {
  let identity: IdentityHarness;
  let adminToken: string;
  /** A token of each caller that may read departments but not write them. */
  let readOnlyCallers: Record<'reporter' | 'staff' | 'manager' | 'service account', string>;

  before(async () => {
    identity = await startIdentity();
    adminToken = await identity.tokenFor(identity.admin);
    const home = await identity.createDepartment('Home Department');
    readOnlyCallers = {
      reporter: (await identity.createUser({ role: 'reporter' })).token,
      staff: (await identity.createUser({ role: 'staff', departmentId: home.id })).token,
      manager: (await identity.createUser({ role: 'manager', departmentId: home.id })).token,
      'service account': await serviceAccountToken(identity, ['users:read']),
    };
  });
  after(() => identity?.close());

  const asAdmin = {
    post: (body: unknown) => identity.http.post('/departments').set('Authorization', `Bearer ${adminToken}`).send(body as object),
    patch: (id: string, body: unknown) =>
      identity.http.patch(`/departments/${id}`).set('Authorization', `Bearer ${adminToken}`).send(body as object),
  };
  const unique = (name: string) => `${name} ${randomUUID().slice(0, 8)}`;

  describe('POST /departments', () => {
    test('when an admin creates a department, then 201 with it, its Location, and department.created carrying it', async () => {
      const name = unique('Network Operations');
      const response = await asAdmin.post({ name, description: 'Routers, switches and links' }).expect(201);
      assert.equal(response.body.name, name);
      assert.equal(response.body.description, 'Routers, switches and links');
      assert.match(response.body.id, /^[0-9a-f-]{36}$/);
      assert.equal(response.headers.location, `/departments/${response.body.id}`);

      const [event] = await identity.events.waitFor('department.created', response.body.id);
      assert.equal(event!.type, 'department.created');
      assert.equal(event!.subject, response.body.id);
      assert.deepEqual(event!.data, { department: response.body, actorId: identity.admin.id });
    });

    test('when no description is given, then the department has none (null)', async () => {
      const response = await asAdmin.post({ name: unique('Facilities') }).expect(201);
      assert.equal(response.body.description, null);
    });

    test('when the name is taken in any letter case, then 409 DEPARTMENT.NAME_TAKEN', async () => {
      const name = unique('Service Desk');
      await asAdmin.post({ name }).expect(201);
      const response = await asAdmin.post({ name: `  ${name.toUpperCase()} ` }).expect(409);
      assert.equal(response.body.code, 'DEPARTMENT.NAME_TAKEN');
      // The field it names, so a form can show it there.
      assert.deepEqual((response.body as { errors?: { location: string; path: string }[] }).errors?.map(({ location, path }) => ({ location, path })), [{ location: 'body', path: '/name' }]);
      assert.match(response.headers['content-type'] ?? '', /application\/problem\+json/);
    });

    test('when two admins create the same name at the same moment, then one gets 201 and the other 409, never a 500', async () => {
      const name = unique('Payroll');
      const statuses = (await Promise.all([asAdmin.post({ name }), asAdmin.post({ name: name.toLowerCase() })])).map(
        (response) => response.status,
      );
      assert.deepEqual(statuses.sort(), [201, 409]);
    });

    test('when the body is invalid or has unknown fields, then 400 VALIDATION.FAILED naming each field', async () => {
      const missing = await asAdmin.post({}).expect(400);
      assert.equal(missing.body.code, 'VALIDATION.FAILED');
      assert.deepEqual(issuePaths(missing), ['/name']);

      const blank = await asAdmin.post({ name: '   ', description: 42 }).expect(400);
      assert.deepEqual(issuePaths(blank).sort(), ['/description', '/name']);

      const unknown = await asAdmin.post({ name: unique('Legal'), colour: 'blue', manager: 'x' }).expect(400);
      assert.deepEqual(issuePaths(unknown).sort(), ['/colour', '/manager']);
      assert.ok((unknown.body as { errors: FieldIssue[] }).errors.every((issue) => issue.location === 'body'));
    });

    test('when a reporter, staff member, manager or service account creates a department, then 403; without a token 401', async () => {
      for (const [caller, token] of Object.entries(readOnlyCallers)) {
        const response = await identity.http.post('/departments').set('Authorization', `Bearer ${token}`).send({ name: unique(caller) });
        assert.equal(response.status, 403, caller);
      }
      await identity.http.post('/departments').send({ name: unique('Anonymous') }).expect(401);
    });
  });

  describe('GET /departments', () => {
    test('when any signed-in caller lists departments, then all come back in { items } ordered by name ignoring case', async () => {
      const tag = randomUUID().slice(0, 8);
      const created = [`zulu ${tag}`, `Alpha ${tag}`, `mike ${tag}`];
      for (const name of created) await asAdmin.post({ name }).expect(201);

      for (const [caller, token] of Object.entries({ ...readOnlyCallers, admin: adminToken })) {
        const response = await identity.http.get('/departments').set('Authorization', `Bearer ${token}`);
        assert.equal(response.status, 200, caller);
        assert.deepEqual(Object.keys(response.body), ['items']);
        const ours = (response.body as { items: Department[] }).items.map((department) => department.name).filter((name) => name.endsWith(tag));
        assert.deepEqual(ours, [`Alpha ${tag}`, `mike ${tag}`, `zulu ${tag}`], caller);
      }
    });

    test('when a service account lacks the users:read scope, then listing or reading departments is 403 AUTH.INSUFFICIENT_SCOPE', async () => {
      const token = await serviceAccountToken(identity, ['incidents:read']);
      const listed = await identity.http.get('/departments').set('Authorization', `Bearer ${token}`).expect(403);
      assert.equal((listed.body as { code: string }).code, 'AUTH.INSUFFICIENT_SCOPE');
      const created = (await asAdmin.post({ name: unique('Scoped') }).expect(201)).body as Department;
      await identity.http.get(`/departments/${created.id}`).set('Authorization', `Bearer ${token}`).expect(403);
    });

    test('when nobody is signed in, then listing departments is 401', async () => {
      await identity.http.get('/departments').expect(401);
    });
  });

  describe('GET /departments/:id', () => {
    test('when a signed-in caller fetches a department by id, then 200 with it', async () => {
      const created = (await asAdmin.post({ name: unique('Security'), description: 'Badges' }).expect(201)).body;
      const response = await identity.http.get(`/departments/${created.id}`).set('Authorization', `Bearer ${readOnlyCallers.reporter}`).expect(200);
      assert.deepEqual(response.body, created);
    });

    test('when the id is unknown, then 404 DEPARTMENT.NOT_FOUND; when it is not a UUID, then 400 naming id', async () => {
      const unknown = await identity.http.get(`/departments/${randomUUID()}`).set('Authorization', `Bearer ${adminToken}`).expect(404);
      assert.equal(unknown.body.code, 'DEPARTMENT.NOT_FOUND');
      const malformed = await identity.http.get('/departments/not-a-uuid').set('Authorization', `Bearer ${adminToken}`).expect(400);
      assert.deepEqual(malformed.body.errors, [{ location: 'params', path: '/id', message: 'must be a department id (a UUID)' }]);
    });

    test('when nobody is signed in, then fetching a department is 401', async () => {
      await identity.http.get(`/departments/${randomUUID()}`).expect(401);
    });
  });

  describe('PATCH /departments/:id', () => {
    test('when an admin renames a department, then 200 with it and department.updated names only the name', async () => {
      const created = (await asAdmin.post({ name: unique('Helpdesk'), description: 'First line' }).expect(201)).body;
      const name = unique('Service Centre');
      const response = await asAdmin.patch(created.id, { name, description: 'First line' }).expect(200);
      assert.equal(response.body.name, name);
      assert.equal(response.body.description, 'First line');
      assert.ok(response.body.updatedAt > created.updatedAt);

      const [event] = await identity.events.waitFor('department.updated', created.id);
      assert.equal(event!.subject, created.id);
      assert.deepEqual(event!.data, { department: response.body, changedFields: ['name'], actorId: identity.admin.id });
    });

    test('when an admin changes the name and clears the description, then department.updated lists both fields', async () => {
      const created = (await asAdmin.post({ name: unique('Archive'), description: 'Paper' }).expect(201)).body;
      const response = await asAdmin.patch(created.id, { name: unique('Records'), description: null }).expect(200);
      assert.equal(response.body.description, null);
      const [event] = await identity.events.waitFor('department.updated', created.id);
      assert.deepEqual(event!.data.changedFields, ['name', 'description']);
    });

    test('when a PATCH repeats the current values, then 200, updatedAt stays and nothing is published', async () => {
      const created = (await asAdmin.post({ name: unique('Canteen'), description: 'Food' }).expect(201)).body;
      const unchanged = await asAdmin.patch(created.id, { name: created.name, description: 'Food' }).expect(200);
      assert.deepEqual(unchanged.body, created);
      const blankDescription = await asAdmin.post({ name: unique('Garage'), description: '' }).expect(201);
      assert.equal(blankDescription.body.description, null, 'a blank description is stored as none');
      await asAdmin.patch(blankDescription.body.id, { description: '' }).expect(200);

      // Events of one subject arrive in order: once the later change is in, an earlier one would be too.
      await asAdmin.patch(created.id, { description: 'Food and drinks' }).expect(200);
      await asAdmin.patch(blankDescription.body.id, { description: 'Cars' }).expect(200);
      const [event] = await identity.events.waitFor('department.updated', created.id);
      await identity.events.waitFor('department.updated', blankDescription.body.id);
      const ofCanteen = identity.events.ofType('department.updated').filter((candidate) => candidate.subject === created.id);
      const ofGarage = identity.events.ofType('department.updated').filter((candidate) => candidate.subject === blankDescription.body.id);
      assert.equal(ofCanteen.length, 1);
      assert.equal(ofGarage.length, 1);
      assert.deepEqual(event!.data.changedFields, ['description']);
    });

    test("when renaming onto another department's name in any letter case, then 409; re-casing its own name is allowed", async () => {
      const taken: Department = (await asAdmin.post({ name: unique('Finance') }).expect(201)).body;
      const renamed: Department = (await asAdmin.post({ name: unique('Accounting') }).expect(201)).body;
      const conflict = await asAdmin.patch(renamed.id, { name: taken.name.toUpperCase() }).expect(409);
      assert.equal(conflict.body.code, 'DEPARTMENT.NAME_TAKEN');
      const stillThere = await identity.http.get(`/departments/${renamed.id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
      assert.equal(stillThere.body.name, renamed.name);

      const recased = await asAdmin.patch(renamed.id, { name: renamed.name.toUpperCase() }).expect(200);
      assert.equal(recased.body.name, renamed.name.toUpperCase());
    });

    test('when the department is unknown, then 404; a non-UUID id, an empty body or an unknown field, then 400 naming it', async () => {
      const unknown = await asAdmin.patch(randomUUID(), { name: unique('Ghost') }).expect(404);
      assert.equal(unknown.body.code, 'DEPARTMENT.NOT_FOUND');

      const malformed = await asAdmin.patch('42', { name: unique('Ghost') }).expect(400);
      assert.equal(malformed.body.errors[0].path, '/id');
      assert.equal(malformed.body.errors[0].location, 'params');

      const existing = (await asAdmin.post({ name: unique('Logistics') }).expect(201)).body;
      const empty = await asAdmin.patch(existing.id, {}).expect(400);
      assert.equal(empty.body.code, 'VALIDATION.FAILED');
      assert.equal(empty.body.errors[0].message, 'give at least one field to change');
      const unknownField = await asAdmin.patch(existing.id, { name: unique('Shipping'), title: 'x' }).expect(400);
      assert.deepEqual(issuePaths(unknownField), ['/title']);
      const blankName = await asAdmin.patch(existing.id, { name: '' }).expect(400);
      assert.deepEqual(issuePaths(blankName), ['/name']);
    });

    test('when a reporter, staff member, manager or service account patches a department, then 403; without a token 401', async () => {
      const existing = (await asAdmin.post({ name: unique('Procurement') }).expect(201)).body;
      for (const [caller, token] of Object.entries(readOnlyCallers)) {
        const response = await identity.http.patch(`/departments/${existing.id}`).set('Authorization', `Bearer ${token}`).send({ name: unique(caller) });
        assert.equal(response.status, 403, caller);
      }
      await identity.http.patch(`/departments/${existing.id}`).send({ name: unique('Anonymous') }).expect(401);
      const after = await identity.http.get(`/departments/${existing.id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
      assert.equal(after.body.name, existing.name);
    });
  });
});

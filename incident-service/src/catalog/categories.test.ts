import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('categories', () => {
  let h: IncidentHarness;
  let department: string;
  let staff: TestUser;

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment();
    staff = await h.createUser('staff', department);
  });
  after(() => h?.close());

  const asAdmin = () => ({ Authorization: `Bearer ${h.admin.token}` });

  test('when an admin creates and edits a category, then category.created and category.updated carry it', async () => {
    const created = await h.http.post('/categories').set(asAdmin()).send({ name: 'Laptops', description: 'Hardware faults', departmentId: department }).expect(201);
    assert.equal(created.body.isActive, true);
    assert.equal(created.body.departmentId, department);
    const [event] = await h.events.waitFor('category.created', created.body.id);
    assert.deepEqual(event!.data.category, created.body);
    const renamed = await h.http.patch(`/categories/${created.body.id}`).set(asAdmin()).send({ name: 'Laptops and docks' }).expect(200);
    assert.equal(renamed.body.name, 'Laptops and docks');
    const [update] = await h.events.waitFor('category.updated', created.body.id);
    assert.deepEqual(update!.data.changedFields, ['name']);
  });

  test('when anyone signed in lists categories, then active ones come, filtered by department', async () => {
    const other = await h.createDepartment();
    const mine = await h.createCategory(department, 'Printers');
    const theirs = await h.createCategory(other, 'Doors');
    const listed = await h.http.get(`/categories?departmentId=${department}`).set('Authorization', `Bearer ${staff.token}`).expect(200);
    const ids = listed.body.items.map((category: { id: string }) => category.id);
    assert.ok(ids.includes(mine) && !ids.includes(theirs));
    await h.http.patch(`/categories/${mine}`).set(asAdmin()).send({ isActive: false }).expect(200);
    const active = await h.http.get(`/categories?departmentId=${department}`).set('Authorization', `Bearer ${staff.token}`).expect(200);
    assert.ok(!active.body.items.some((category: { id: string }) => category.id === mine));
    const all = await h.http.get(`/categories?departmentId=${department}&includeInactive=true`).set(asAdmin()).expect(200);
    assert.ok(all.body.items.some((category: { id: string }) => category.id === mine));
    await h.http.get('/categories').expect(401);
  });

  test('when the department is unknown, then 422; when the name is taken in the department, 409', async () => {
    const unknown = await h.http.post('/categories').set(asAdmin()).send({ name: 'Ghost', departmentId: crypto.randomUUID() }).expect(422);
    assert.equal(unknown.body.code, 'CATEGORY.DEPARTMENT_NOT_FOUND');
    await h.createCategory(department, 'Monitors');
    const taken = await h.http.post('/categories').set(asAdmin()).send({ name: 'MONITORS', departmentId: department }).expect(409);
    assert.equal(taken.body.code, 'CATEGORY.NAME_TAKEN');
    // The field it names, so a form can show it there.
    assert.deepEqual((taken.body as { errors?: { location: string; path: string }[] }).errors?.map(({ location, path }) => ({ location, path })), [{ location: 'body', path: '/name' }]);
    const other = await h.createCategory(department, 'Mice');
    await h.http.patch(`/categories/${other}`).set(asAdmin()).send({ name: 'monitors' }).expect(409);
  });

  test('when someone other than an admin writes, then 403; bad input 400 naming the field', async () => {
    await h.http.post('/categories').set('Authorization', `Bearer ${staff.token}`).send({ name: 'x', departmentId: department }).expect(403);
    const manager = await h.createUser('manager', department);
    await h.http.patch(`/categories/${await h.createCategory(department)}`).set('Authorization', `Bearer ${manager.token}`).send({ name: 'y' }).expect(403);
    const bad = await h.http.post('/categories').set(asAdmin()).send({ name: '', departmentId: 'nope', colour: 'red' }).expect(400);
    assert.deepEqual(bad.body.errors.map((issue: { path: string }) => issue.path).sort(), ['/colour', '/departmentId', '/name']);
    await h.http.patch(`/categories/${crypto.randomUUID()}`).set(asAdmin()).send({ name: 'z' }).expect(404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SAVED_VIEWS_PER_PERSON, type FieldIssue, type SavedView } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('saved views', () => {
  let h: IncidentHarness;
  let owner: TestUser;
  let someoneElse: TestUser;

  before(async () => {
    h = await startIncidents();
    const department = await h.createDepartment('IT');
    owner = await h.createUser('staff', department);
    someoneElse = await h.createUser('manager', department);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const save = (who: TestUser, body: Record<string, unknown>) => h.http.post('/incidents/views').set(auth(who)).send(body);
  const list = async (who: TestUser) => ((await h.http.get('/incidents/views').set(auth(who)).expect(200)).body as { items: SavedView[] }).items;

  test('when a person saves, renames and deletes a view, then their list follows', async () => {
    const saved = await save(owner, { name: '  My urgent queue ', query: 'status=OPEN%2CIN_PROGRESS&priority=CRITICAL&assignee=me' }).expect(201);
    assert.equal(saved.body.name, 'My urgent queue', 'the name is trimmed');
    assert.equal(saved.headers.location, `/incidents/views/${saved.body.id}`);
    assert.deepEqual((await list(owner)).map((view) => view.name), ['My urgent queue']);

    const renamed = await h.http.patch(`/incidents/views/${saved.body.id}`).set(auth(owner)).send({ name: 'Critical, mine' }).expect(200);
    assert.equal(renamed.body.name, 'Critical, mine');
    assert.equal(renamed.body.query, 'status=OPEN%2CIN_PROGRESS&priority=CRITICAL&assignee=me');

    await h.http.delete(`/incidents/views/${saved.body.id}`).set(auth(owner)).expect(204);
    assert.deepEqual(await list(owner), []);
  });

  test("when someone else reads, renames or deletes a person's view, then it is not found and stays as it was", async () => {
    const saved = (await save(owner, { name: 'Only mine', query: 'breached=true' }).expect(201)).body as SavedView;
    assert.ok(!(await list(someoneElse)).some((view) => view.id === saved.id), 'not in their list');
    const renamed = await h.http.patch(`/incidents/views/${saved.id}`).set(auth(someoneElse)).send({ name: 'Taken over' }).expect(404);
    assert.equal(renamed.body.code, 'VIEW.NOT_FOUND');
    const deleted = await h.http.delete(`/incidents/views/${saved.id}`).set(auth(someoneElse)).expect(404);
    assert.equal(deleted.body.code, 'VIEW.NOT_FOUND');
    const admin = await h.http.delete(`/incidents/views/${saved.id}`).set(auth(h.admin)).expect(404);
    assert.equal(admin.body.code, 'VIEW.NOT_FOUND', 'not even an admin');
    assert.deepEqual((await list(owner)).find((view) => view.id === saved.id), saved);
    await h.http.delete(`/incidents/views/${saved.id}`).set(auth(owner)).expect(204);
  });

  test('when a name is taken by the same person, then the save is refused naming the field; another person may use it', async () => {
    await save(owner, { name: 'Mornings', query: 'sort=createdAt' }).expect(201);
    const taken = await save(owner, { name: 'MORNINGS', query: 'sort=priority' }).expect(409);
    assert.equal(taken.body.code, 'VIEW.NAME_TAKEN');
    assert.deepEqual(taken.body.errors.map((issue: FieldIssue) => issue.path), ['/name']);
    await save(someoneElse, { name: 'Mornings', query: 'sort=createdAt' }).expect(201);

    const other = (await save(owner, { name: 'Evenings', query: '' }).expect(201)).body as SavedView;
    const renamedOnto = await h.http.patch(`/incidents/views/${other.id}`).set(auth(owner)).send({ name: 'mornings' }).expect(409);
    assert.equal(renamedOnto.body.code, 'VIEW.NAME_TAKEN');
  });

  test('when a name or query is not acceptable, then the save is refused naming the field', async () => {
    for (const [body, path] of [
      [{ name: '', query: '' }, '/name'],
      [{ name: 'x'.repeat(61), query: '' }, '/name'],
      [{ name: 'Script', query: 'q=<script>' }, '/query'],
      [{ name: 'Leading mark', query: '?status=OPEN' }, '/query'],
    ] as const) {
      const refused = await save(owner, body).expect(400);
      assert.deepEqual(refused.body.errors.map((issue: FieldIssue) => issue.path), [path], JSON.stringify(body));
    }
    await h.http.patch('/incidents/views/not-a-view').set(auth(owner)).send({ name: 'x' }).expect(404);
  });

  test(`when a person has ${SAVED_VIEWS_PER_PERSON} views, then another is refused until they delete one`, async () => {
    const person = await h.createUser('reporter');
    const saves = await Promise.all(Array.from({ length: SAVED_VIEWS_PER_PERSON + 2 }, (_, index) => save(person, { name: `View ${index}`, query: `q=${index}` })));
    assert.equal(saves.filter((response) => response.status === 201).length, SAVED_VIEWS_PER_PERSON, 'saves at the same moment still stop at the limit');
    const refused = saves.filter((response) => response.status !== 201);
    assert.ok(refused.every((response) => response.status === 409 && response.body.code === 'VIEW.LIMIT_REACHED'));
    const first = (await list(person))[0]!;
    await h.http.delete(`/incidents/views/${first.id}`).set(auth(person)).expect(204);
    await save(person, { name: 'One more', query: '' }).expect(201);
  });

  test('when a service account without the read scope asks, then it is refused', async () => {
    const token = await h.tokenFor({ id: '11111111-2222-4333-8444-555555555555', role: 'service', scopes: [] });
    await h.http.get('/incidents/views').set('Authorization', `Bearer ${token}`).expect(403);
    await h.http.get('/incidents/views').expect(401);
  });
});

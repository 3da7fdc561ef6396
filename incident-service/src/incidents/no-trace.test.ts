import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Incident } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

// What a reporter or another department must not learn, not even indirectly: that an internal
// note was written (from updatedAt or a list's order), or that some incident of another
// department contains a word (from how a search is answered).

describe('internal notes and search leave no trace for those who may not see them', () => {
  let incidents: IncidentHarness;
  let reporter: TestUser;
  let staff: TestUser;
  let outsider: TestUser;
  let categoryId: string;

  before(async () => {
    incidents = await startIncidents();
    const department = await incidents.createDepartment('Secrets');
    const other = await incidents.createDepartment('Elsewhere');
    categoryId = await incidents.createCategory(department);
    reporter = await incidents.createUser('reporter');
    staff = await incidents.createUser('staff', department);
    outsider = await incidents.createUser('staff', other);
  });

  after(async () => {
    await incidents?.close();
  });

  const get = (user: TestUser, path: string) => incidents.http.get(path).set('Authorization', `Bearer ${user.token}`).expect(200);

  test('when staff write an internal note, then the incident the reporter sees is unchanged: same updatedAt, same place in their list', async () => {
    const older = await incidents.fileIncident(reporter, categoryId, { title: 'Older one' });
    const newer = await incidents.fileIncident(reporter, categoryId, { title: 'Newer one' });
    const before = (await get(reporter, `/incidents/${older.id}`)).body as Incident;
    const orderBefore = ((await get(reporter, '/incidents?sort=updatedAt')).body as { items: Incident[] }).items.map((item) => item.id);

    await incidents.http
      .post(`/incidents/${older.id}/comments`)
      .set('Authorization', `Bearer ${staff.token}`)
      .send({ content: 'Reporter is on the watch list.', isInternal: true })
      .expect(201);

    const after = (await get(reporter, `/incidents/${older.id}`)).body as Incident;
    assert.deepEqual(after, before, 'the incident reads exactly as before');
    const orderAfter = ((await get(reporter, '/incidents?sort=updatedAt')).body as { items: Incident[] }).items.map((item) => item.id);
    assert.deepEqual(orderAfter, orderBefore);
    assert.ok(orderAfter.indexOf(newer.id) < orderAfter.indexOf(older.id), 'the newer one stays first');
    const timeline = (await get(reporter, `/incidents/${older.id}/timeline`)).body as { items: { action: string }[] };
    assert.ok(!timeline.items.some((entry) => entry.action === 'commented'));
    const people = (await get(reporter, `/incidents/${older.id}/people`)).body as { items: { id: string }[] };
    assert.ok(!people.items.some((person) => person.id === staff.user.id), 'whoever only wrote an internal note is not among the people');
    const comments = (await get(reporter, `/incidents/${older.id}/comments`)).body as { items: unknown[] };
    assert.equal(comments.items.length, 0);
    const staffPeople = (await get(staff, `/incidents/${older.id}/people`)).body as { items: { id: string }[] };
    assert.ok(staffPeople.items.some((person) => person.id === staff.user.id), 'the department sees who wrote it');

    // A public comment is activity the reporter sees: it moves the incident up.
    await incidents.http.post(`/incidents/${older.id}/comments`).set('Authorization', `Bearer ${staff.token}`).send({ content: 'On it.' }).expect(201);
    const touched = (await get(reporter, `/incidents/${older.id}`)).body as Incident;
    assert.ok(touched.updatedAt > before.updatedAt);
  });

  test('when someone searches for a word only another department’s incidents contain, then the service does exactly what it does for a word no incident contains', async () => {
    await incidents.fileIncident(reporter, categoryId, { title: 'Zebracorn outage in the vault', description: 'Only Secrets may know about the zebracorn.' });
    const statements: string[] = [];
    // The search's own statements (not the caller's account lookup, cached after the first request).
    const record = (query: { sql: string }) => {
      if (!/from "users"/.test(query.sql)) statements.push(query.sql);
    };
    const search = async (user: TestUser, q: string) => {
      statements.length = 0;
      incidents.service.db.on('query', record);
      try {
        const body = (await get(user, `/incidents?q=${encodeURIComponent(q)}`)).body as { items: Incident[] };
        return { ids: body.items.map((item) => item.id), statements: [...statements] };
      } finally {
        incidents.service.db.off('query', record);
      }
    };

    for (const user of [outsider, await incidents.createUser('reporter')]) {
      const known = await search(user, 'zebracorn');
      const unknown = await search(user, 'qwxyzzyplugh');
      assert.deepEqual(known.ids, []);
      assert.deepEqual(unknown.ids, []);
      assert.ok(known.statements.length > 0);
      assert.deepEqual(known.statements, unknown.statements, 'the same statements, in the same order, only the words bound differ');
    }
    // Those who may see it find it, by a prefix too.
    assert.equal(((await get(staff, '/incidents?q=zebrac')).body as { items: Incident[] }).items.length, 1);
  });
});

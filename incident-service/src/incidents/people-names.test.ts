import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Incident } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('the names of the people on an incident', () => {
  let h: IncidentHarness;
  let category: string;
  let reporter: TestUser;
  let staff: TestUser;
  let manager: TestUser;

  before(async () => {
    h = await startIncidents();
    const department = await h.createDepartment('IT');
    category = await h.createCategory(department, 'Network');
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    manager = await h.createUser('manager', department);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const listed = async (who: TestUser, id: string) => {
    const page = (await h.http.get('/incidents?limit=100').set(auth(who)).expect(200)).body as { items: Incident[] };
    const item = page.items.find((incident) => incident.id === id);
    assert.ok(item, `incident ${id} in the list of ${who.user.role}`);
    return item;
  };

  test('when a manager assigns an incident, then staff see the reporter and assignee by name in the list and on the incident', async () => {
    const filed = await h.fileIncident(reporter, category);
    assert.equal(filed.reporterName, reporter.user.fullName, 'the create answer names the reporter');
    assert.equal(filed.assigneeName, null);

    const assigned = await h.http.patch(`/incidents/${filed.id}/assign`).set(auth(manager)).send({ assigneeId: staff.user.id }).expect(200);
    assert.equal(assigned.body.assigneeName, staff.user.fullName, 'the assign answer names the assignee');

    // A colleague, not the assignee: staff may not read the directory, yet see who works it.
    const colleague = await h.createUser('staff', staff.user.departmentId);
    const item = await listed(colleague, filed.id);
    assert.equal(item.assigneeName, staff.user.fullName);
    assert.equal(item.reporterName, reporter.user.fullName);
    const single = (await h.http.get(`/incidents/${filed.key}`).set(auth(colleague)).expect(200)).body as Incident;
    assert.deepEqual(single, item, 'the list item and the incident agree, names included');

    const changed = await h.http.patch(`/incidents/${filed.id}`).set(auth(staff)).send({ priority: 'HIGH' }).expect(200);
    assert.equal(changed.body.assigneeName, staff.user.fullName, 'the change answer names the people too');
  });

  test('when a person is renamed, then lists and incidents show the new name at once', async () => {
    const filed = await h.fileIncident(reporter, category);
    await h.http.patch(`/incidents/${filed.id}/assign`).set(auth(manager)).send({ assigneeId: staff.user.id }).expect(200);
    const renamed = await h.changeUser(staff.user, { fullName: 'Renamed Staffer' });
    staff = renamed;

    assert.equal((await listed(manager, filed.id)).assigneeName, 'Renamed Staffer');
    assert.equal((await h.http.get(`/incidents/${filed.id}`).set(auth(reporter)).expect(200)).body.assigneeName, 'Renamed Staffer');
  });

  test('when the reporter lists their incidents, then they see who works on them', async () => {
    const filed = await h.fileIncident(reporter, category);
    await h.http.patch(`/incidents/${filed.id}/assign`).set(auth(manager)).send({ assigneeId: manager.user.id }).expect(200);
    const item = await listed(reporter, filed.id);
    assert.equal(item.assigneeName, manager.user.fullName);
  });
});

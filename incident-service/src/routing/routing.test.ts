import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Incident } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('routing and automatic assignment', () => {
  let h: IncidentHarness;
  let reporter: TestUser;

  before(async () => {
    h = await startIncidents();
    reporter = await h.createUser('reporter');
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const asAdmin = () => auth(h.admin);

  /** A department with `count` staff and a manager, and a category routed by `assignment`. */
  async function desk(count: number, routing: Record<string, unknown>) {
    const department = await h.createDepartment();
    const staff: TestUser[] = [];
    for (let i = 0; i < count; i += 1) staff.push(await h.createUser('staff', department));
    const manager = await h.createUser('manager', department);
    const category = await h.createCategory(department);
    await h.http.patch(`/categories/${category}`).set(asAdmin()).send(routing).expect(200);
    return { department, staff, manager, category };
  }

  /** Files `count` incidents, `parallel` at a time, each its own request and transaction. */
  async function fileMany(category: string, count: number, parallel: number): Promise<Incident[]> {
    const filed: Incident[] = [];
    for (let i = 0; i < count; i += parallel) {
      filed.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, () => h.fileIncident(reporter, category)))));
    }
    return filed;
  }

  const tally = (incidents: Incident[]) => {
    const counts = new Map<string | null, number>();
    for (const incident of incidents) counts.set(incident.assigneeId, (counts.get(incident.assigneeId) ?? 0) + 1);
    return counts;
  };

  test('when 100 incidents arrive, 25 at a time, in a round-robin category of 4 available staff, then each gets 25 ± 1, each in the timeline with its rule', async () => {
    const { staff, category } = await desk(4, { assignment: 'round_robin' });
    const filed = await fileMany(category, 100, 25);
    const counts = tally(filed);
    assert.equal(counts.get(null), undefined, 'every incident assigned');
    assert.deepEqual([...counts.keys()].sort(), staff.map((person) => person.user.id).sort());
    for (const [, count] of counts) assert.ok(Math.abs(count - 25) <= 1, `25 ± 1 each, got ${[...counts.values()].join(', ')}`);

    const one = filed[17]!;
    const timeline = await h.http.get(`/incidents/${one.id}/timeline`).set(asAdmin()).expect(200);
    const assigned = timeline.body.items.find((entry: { action: string }) => entry.action === 'assigned');
    assert.equal(assigned.actorId, null, 'by the platform');
    assert.deepEqual(assigned.newValue, { assigneeId: one.assigneeId, rule: 'round_robin', categoryId: category, categoryName: assigned.newValue.categoryName });
    const [event] = await h.events.waitFor('incident.assigned', one.id);
    assert.equal(event!.data.actorId, null);
    assert.equal(event!.data.assigneeId, one.assigneeId);
  });

  test('when two replicas of the service file 60 incidents at once into one round-robin category, then the turns are shared as by one: 20 each of 3', async () => {
    const { staff, category } = await desk(3, { assignment: 'round_robin' });
    const other = await h.startReplica();
    const file = (agent: typeof h.http) =>
      agent.post('/incidents').set(auth(reporter)).send({ title: 'Badge reader dead', description: 'Side door.', categoryId: category }).expect(201).then((response) => response.body as Incident);
    const filed: Incident[] = [];
    for (let round = 0; round < 3; round += 1) {
      filed.push(...(await Promise.all(Array.from({ length: 20 }, (_, index) => file(index % 2 === 0 ? h.http : other)))));
    }
    const counts = tally(filed);
    assert.deepEqual(staff.map((person) => counts.get(person.user.id) ?? 0), [20, 20, 20]);
  });

  test('when incidents arrive concurrently in a least-loaded category, then no one is given one while another available person has less open work', async () => {
    const { staff, manager, category } = await desk(3, { assignment: 'none' });
    // Uneven to start: 5 open for the first, 2 for the second, none for the third (assigned by the manager).
    const [first, second, third] = staff as [TestUser, TestUser, TestUser];
    for (const [person, count] of [[first, 5], [second, 2]] as const) {
      for (const incident of await fileMany(category, count, count)) {
        await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: person.user.id }).expect(200);
      }
    }
    await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ assignment: 'least_loaded' }).expect(200);
    const filed = await fileMany(category, 20, 10);
    const counts = tally(filed);
    // 27 open incidents over 3 people: 9 each, whatever the order they arrived in.
    assert.equal(counts.get(first.user.id) ?? 0, 4);
    assert.equal(counts.get(second.user.id) ?? 0, 7);
    assert.equal(counts.get(third.user.id) ?? 0, 9);
    const open = await h.http.get(`/availability?departmentId=${(await h.http.get(`/categories/${category}`).set(asAdmin())).body.departmentId}`).set(auth(manager)).expect(200);
    assert.deepEqual(open.body.items.filter((item: { role: string }) => item.role === 'staff').map((item: { openIncidents: number }) => item.openIncidents), [9, 9, 9]);
  });

  test('when people are away or at the cap, then the routing skips them; with nobody left the incident stays unassigned and the timeline says why', async () => {
    const { staff, manager, category, department } = await desk(2, { assignment: 'round_robin', maxOpenPerPerson: 2 });
    const [first, second] = staff as [TestUser, TestUser];
    // The first goes away (they set it themselves): everything goes to the second, up to the cap.
    const away = await h.http.put(`/availability/${first.user.id}`).set(auth(first)).send({ available: false }).expect(200);
    assert.equal(away.body.available, false);
    const filed = await fileMany(category, 3, 1);
    assert.deepEqual(filed.map((incident) => incident.assigneeId), [second.user.id, second.user.id, null]);
    const timeline = await h.http.get(`/incidents/${filed[2]!.id}/timeline`).set(asAdmin()).expect(200);
    const skipped = timeline.body.items.find((entry: { action: string }) => entry.action === 'assigned');
    assert.equal(skipped.newValue.assigneeId, null);
    assert.equal(skipped.newValue.skipped, 'no staff available under the cap of 2');
    // Back (their manager sets it): the first takes the next one.
    await h.http.put(`/availability/${first.user.id}`).set(auth(manager)).send({ available: true }).expect(200);
    assert.equal((await h.fileIncident(reporter, category)).assigneeId, first.user.id);

    // A default assignee comes first while available and under the cap; then the mode decides.
    await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ defaultAssigneeId: manager.user.id, maxOpenPerPerson: 1 }).expect(200);
    const toManager = await h.fileIncident(reporter, category);
    assert.equal(toManager.assigneeId, manager.user.id);
    const timeline2 = await h.http.get(`/incidents/${toManager.id}/timeline`).set(asAdmin()).expect(200);
    assert.equal(timeline2.body.items.find((entry: { action: string }) => entry.action === 'assigned').newValue.rule, 'default_assignee');
    await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ maxOpenPerPerson: null }).expect(200);
    await h.http.put(`/availability/${manager.user.id}`).set(asAdmin()).send({ available: false }).expect(200);
    const notManager = await h.fileIncident(reporter, category);
    assert.ok(staff.some((person) => person.user.id === notManager.assigneeId));

    const listed = await h.http.get(`/availability?departmentId=${department}`).set(auth(first)).expect(200);
    assert.deepEqual(
      listed.body.items.map((item: { userId: string; available: boolean }) => [item.userId, item.available]).sort(),
      [[first.user.id, true], [second.user.id, true], [manager.user.id, false]].sort(),
    );
  });

  test('when an assignee is deactivated, then the job hands their open incidents on by the category rule, once, naming the rule', async () => {
    const { staff, category } = await desk(2, { assignment: 'round_robin' });
    const [first, second] = staff as [TestUser, TestUser];
    const filed = await fileMany(category, 4, 1);
    const theirs = filed.filter((incident) => incident.assigneeId === first.user.id);
    assert.equal(theirs.length, 2);
    await h.http.patch(`/incidents/${theirs[0]!.id}`).set(auth(first)).send({ status: 'IN_PROGRESS' }).expect(200);
    await h.changeUser(first.user, { isActive: false });
    const round = await h.service.slaJobs.runOnce();
    assert.equal(round.reassigned, 2);
    assert.equal((await h.service.slaJobs.runOnce()).reassigned, 0, 'once');
    for (const incident of theirs) {
      const now = await h.http.get(`/incidents/${incident.id}`).set(asAdmin()).expect(200);
      assert.equal(now.body.assigneeId, second.user.id);
      const timeline = await h.http.get(`/incidents/${incident.id}/timeline`).set(asAdmin()).expect(200);
      const handedOn = timeline.body.items.filter((entry: { action: string }) => entry.action === 'assigned').at(-1);
      assert.equal(handedOn.oldValue, first.user.id);
      assert.equal(handedOn.newValue.rule, 'round_robin');
      assert.equal(handedOn.newValue.reason, 'the assignee no longer works in the department');
    }
  });

  test('when routing is set wrongly or by the wrong person, then 400/422 name the field and 403 refuses', async () => {
    const { department, staff, manager, category } = await desk(1, { assignment: 'none' });
    const [person] = staff as [TestUser];
    const mode = await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ assignment: 'random' }).expect(400);
    assert.equal(mode.body.errors[0].path, '/assignment');
    const cap = await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ maxOpenPerPerson: 0 }).expect(400);
    assert.equal(cap.body.errors[0].path, '/maxOpenPerPerson');
    const outsider = await h.http.patch(`/categories/${category}`).set(asAdmin()).send({ defaultAssigneeId: reporter.user.id }).expect(422);
    assert.equal(outsider.body.code, 'CATEGORY.INVALID_ASSIGNEE');
    assert.equal(outsider.body.errors[0].path, '/defaultAssigneeId');
    await h.http.patch(`/categories/${category}`).set(auth(manager)).send({ assignment: 'round_robin' }).expect(403);

    const other = await h.createUser('staff', await h.createDepartment());
    const otherManager = await h.createUser('manager', other.user.departmentId);
    await h.http.put(`/availability/${person.user.id}`).set(auth(reporter)).send({ available: false }).expect(403);
    await h.http.put(`/availability/${person.user.id}`).set(auth(other)).send({ available: false }).expect(403);
    await h.http.put(`/availability/${person.user.id}`).set(auth(otherManager)).send({ available: false }).expect(403);
    await h.http.put(`/availability/${crypto.randomUUID()}`).set(asAdmin()).send({ available: false }).expect(404);
    const notStaff = await h.http.put(`/availability/${reporter.user.id}`).set(asAdmin()).send({ available: false }).expect(422);
    assert.equal(notStaff.body.code, 'AVAILABILITY.NOT_STAFF');
    const bad = await h.http.put(`/availability/${person.user.id}`).set(auth(person)).send({ available: 'no' }).expect(400);
    assert.equal(bad.body.errors[0].path, '/available');
    await h.http.get(`/availability?departmentId=${department}`).set(auth(other)).expect(403);
    await h.http.get(`/availability?departmentId=${department}`).set(auth(reporter)).expect(403);
    await h.http.get(`/availability?departmentId=${department}`).set(asAdmin()).expect(200);
  });
});

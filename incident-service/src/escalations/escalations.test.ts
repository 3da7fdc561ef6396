import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clockAt } from '../clock.js';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('escalation rules', () => {
  let h: IncidentHarness;
  let department: string;
  let category: string;
  let reporter: TestUser;
  let staff: TestUser;
  let manager: TestUser;

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment();
    category = await h.createCategory(department);
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    manager = await h.createUser('manager', department);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const asAdmin = () => auth(h.admin);
  const at = (incidentCreatedAt: string, minutes: number) => clockAt(new Date(Date.parse(incidentCreatedAt) + minutes * 60_000));

  test('when 80 % of a target passes, then the rule fires once, tells the assignee and the manager, across rounds and two job runners', async () => {
    const rule = await h.http.post('/escalation-rules').set(asAdmin()).send({ name: 'Warn at 80 %', priority: 'HIGH', target: 'resolution', thresholdPercent: 80 }).expect(201);
    assert.deepEqual(rule.body.notify, { assignee: true, manager: true });
    const incident = await h.fileIncident(reporter, category, { priority: 'HIGH' });
    await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: staff.user.id }).expect(200);
    // HIGH: 8 h to resolve around the clock; 80 % is 6 h 24 min after the report.
    assert.equal((await h.service.slaJobs.runOnce(at(incident.createdAt, 6 * 60 + 23))).escalations, 0);
    // Two runners at once (replicas): the rule fires once.
    const [one, two] = await Promise.all([h.service.slaJobs.runOnce(at(incident.createdAt, 6 * 60 + 25)), h.service.slaJobs.runOnce(at(incident.createdAt, 6 * 60 + 25))]);
    assert.equal(one.escalations + two.escalations, 1);
    assert.equal((await h.service.slaJobs.runOnce(at(incident.createdAt, 7 * 60))).escalations, 0, 'once only');
    const [event] = await h.events.waitFor('incident.escalated', incident.id);
    assert.deepEqual(event!.data.rule, { id: rule.body.id, name: 'Warn at 80 %', target: 'resolution', thresholdPercent: 80 });
    assert.deepEqual(event!.data.notify, ['assignee', 'manager']);
    assert.equal(event!.data.dueAt, incident.resolutionDueAt);
    const timeline = await h.http.get(`/incidents/${incident.id}/timeline`).set(auth(staff)).expect(200);
    const escalated = timeline.body.items.filter((entry: { action: string }) => entry.action === 'escalated');
    assert.equal(escalated.length, 1);
    assert.equal(escalated[0].newValue.ruleName, 'Warn at 80 %');
    // After the job's restart (a new round from nothing in memory) it still does not fire again.
    await h.service.db('incidents').where({ id: incident.id }).update({ escalation_check_at: new Date(0) });
    assert.equal((await h.service.slaJobs.runOnce(at(incident.createdAt, 7 * 60 + 30))).escalations, 0);
    await h.http.delete(`/escalation-rules/${rule.body.id}`).set(asAdmin()).expect(204);
  });

  test('when a target is breached, then the breach rule raises the priority and hands the incident to the manager, once', async () => {
    const rule = await h.http
      .post('/escalation-rules')
      .set(asAdmin())
      .send({ name: 'Response missed', priority: 'MEDIUM', target: 'response', thresholdPercent: 100, raisePriority: true, reassign: 'manager' })
      .expect(201);
    assert.deepEqual(rule.body.notify, { assignee: false, manager: true });
    const incident = await h.fileIncident(reporter, category, { priority: 'MEDIUM' });
    await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: staff.user.id }).expect(200);
    // MEDIUM response: 4 h. The breach job marks it and fires the rule in the same transaction.
    const round = await h.service.slaJobs.runOnce(at(incident.createdAt, 4 * 60 + 1));
    assert.ok(round.breaches >= 1);
    await h.service.slaJobs.runOnce(at(incident.createdAt, 4 * 60 + 5));
    const now = await h.http.get(`/incidents/${incident.id}`).set(asAdmin()).expect(200);
    assert.equal(now.body.priority, 'HIGH');
    assert.equal(now.body.assigneeId, manager.user.id);
    const escalations = await h.events.waitFor('incident.escalated', incident.id);
    assert.equal(escalations.length, 1);
    assert.equal(escalations[0]!.data.raisedPriority, 'HIGH');
    assert.equal(escalations[0]!.data.reassignedTo, manager.user.id);
    const [priorityChange] = await h.events.waitFor('incident.priority_changed', incident.id);
    assert.equal(priorityChange!.data.actorId, null);
    const timeline = await h.http.get(`/incidents/${incident.id}/timeline`).set(asAdmin()).expect(200);
    const priority = timeline.body.items.find((entry: { action: string }) => entry.action === 'priority_changed');
    assert.deepEqual(priority.newValue, { priority: 'HIGH', rule: 'escalation', ruleId: rule.body.id, ruleName: 'Response missed' });
    await h.http.delete(`/escalation-rules/${rule.body.id}`).set(asAdmin()).expect(204);
  });

  test('when rules are written, then only admins may, everyone who works incidents may read them, and a rule that cannot work is a 422 naming the field', async () => {
    await h.http.get('/escalation-rules').set(auth(staff)).expect(200);
    await h.http.get('/escalation-rules').set(auth(reporter)).expect(403);
    const body = { name: 'Nearly late', priority: 'LOW', target: 'response', thresholdPercent: 50 };
    await h.http.post('/escalation-rules').set(auth(manager)).send(body).expect(403);
    const early = await h.http.post('/escalation-rules').set(asAdmin()).send({ ...body, raisePriority: true }).expect(422);
    assert.equal(early.body.code, 'ESCALATION_RULE.INVALID');
    assert.equal(early.body.errors[0].path, '/raisePriority');
    const idle = await h.http.post('/escalation-rules').set(asAdmin()).send({ ...body, notify: { assignee: false, manager: false } }).expect(422);
    assert.equal(idle.body.errors[0].path, '/notify');
    const bad = await h.http.post('/escalation-rules').set(asAdmin()).send({ ...body, thresholdPercent: 0, priority: 'URGENT' }).expect(400);
    assert.deepEqual(bad.body.errors.map((error: { path: string }) => error.path).sort(), ['/priority', '/thresholdPercent']);
    const created = await h.http.post('/escalation-rules').set(asAdmin()).send(body).expect(201);
    await h.http.patch(`/escalation-rules/${created.body.id}`).set(auth(staff)).send({ isActive: false }).expect(403);
    const reassignEarly = await h.http.patch(`/escalation-rules/${created.body.id}`).set(asAdmin()).send({ reassign: 'routing' }).expect(422);
    assert.equal(reassignEarly.body.errors[0].path, '/reassign');
    const paused = await h.http.patch(`/escalation-rules/${created.body.id}`).set(asAdmin()).send({ isActive: false }).expect(200);
    assert.equal(paused.body.isActive, false);
    await h.http.delete(`/escalation-rules/${created.body.id}`).set(auth(manager)).expect(403);
    await h.http.delete(`/escalation-rules/${created.body.id}`).set(asAdmin()).expect(204);
    await h.http.delete(`/escalation-rules/${created.body.id}`).set(asAdmin()).expect(404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('SLA policies and jobs', () => {
  let h: IncidentHarness;
  let category: string;
  let reporter: TestUser;
  let staff: TestUser;

  before(async () => {
    h = await startIncidents({ AUTO_CLOSE_DAYS: '7' });
    const department = await h.createDepartment();
    category = await h.createCategory(department);
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });

  test('the default policies: CRITICAL 15 min / 4 h, HIGH 1 h / 8 h, MEDIUM 4 h / 24 h, LOW 8 h / 72 h', async () => {
    const response = await h.http.get('/sla-policies').set(auth(reporter)).expect(200);
    const targets = Object.fromEntries(response.body.items.map((policy: { priority: string; responseMinutes: number; resolutionMinutes: number }) => [policy.priority, [policy.responseMinutes, policy.resolutionMinutes]]));
    assert.deepEqual(targets, { CRITICAL: [15, 240], HIGH: [60, 480], MEDIUM: [240, 1440], LOW: [480, 4320] });
  });

  test('when an admin changes a policy, then new incidents of that priority get the new due times; others may not change it', async () => {
    await h.http.put('/sla-policies/LOW').set(auth(staff)).send({ responseMinutes: 10, resolutionMinutes: 20 }).expect(403);
    const bad = await h.http.put('/sla-policies/LOW').set(auth(h.admin)).send({ responseMinutes: 30, resolutionMinutes: 10 }).expect(400);
    assert.equal(bad.body.errors[0].path, '/resolutionMinutes');
    await h.http.put('/sla-policies/URGENT').set(auth(h.admin)).send({ responseMinutes: 10, resolutionMinutes: 20 }).expect(400);
    const changed = await h.http.put('/sla-policies/LOW').set(auth(h.admin)).send({ responseMinutes: 120, resolutionMinutes: 600 }).expect(200);
    assert.equal(changed.body.responseMinutes, 120);
    const incident = await h.fileIncident(reporter, category, { priority: 'LOW' });
    assert.equal(Date.parse(incident.responseDueAt!) - Date.parse(incident.createdAt), 120 * 60_000);
    assert.equal(Date.parse(incident.resolutionDueAt!) - Date.parse(incident.createdAt), 600 * 60_000);
  });

  test('when targets pass unmet, then the job marks each breach once, with one event and timeline entry each, also when run again', async () => {
    const late = await h.fileIncident(reporter, category);
    const startedLate = await h.fileIncident(reporter, category);
    await h.http.patch(`/incidents/${startedLate.id}`).set(auth(staff)).send({ status: 'IN_PROGRESS' }).expect(200);
    const past = new Date(Date.now() - 60_000);
    await h.service.db('incidents').whereIn('id', [late.id, startedLate.id]).update({ response_due_at: past, resolution_due_at: past });

    await h.service.slaJobs.runOnce();
    await h.service.slaJobs.runOnce();

    const lateBreaches = await h.events.waitFor('incident.sla_breached', late.id, 2);
    assert.deepEqual(lateBreaches.map((event) => event.data.target).sort(), ['resolution', 'response']);
    const startedBreaches = await h.events.waitFor('incident.sla_breached', startedLate.id, 1);
    assert.deepEqual(startedBreaches.map((event) => event.data.target), ['resolution'], 'responded in time is not a response breach');
    assert.equal(h.events.about('incident.sla_breached', late.id).length, 2, 'a second run reports nothing again');
    // Each breach is a change: its event carries a newer version than the last, so consumers
    // that keep the newest version of an incident take it.
    const versions = lateBreaches.map((event) => event.data.incident.version).sort();
    assert.deepEqual(versions, [late.version + 1, late.version + 2]);

    const marked = await h.http.get(`/incidents/${late.id}`).set(auth(staff)).expect(200);
    assert.equal(marked.body.slaBreached, true);
    assert.equal(marked.body.version, late.version + 2);
    assert.equal(marked.headers.etag, `"${late.version + 2}"`);
    const breached = await h.http.get('/incidents?breached=true&limit=100').set(auth(staff)).expect(200);
    assert.ok(breached.body.items.some((item: { id: string }) => item.id === late.id));
    const entries = (await h.http.get(`/incidents/${late.id}/timeline`).set(auth(staff)).expect(200)).body.items;
    assert.equal(entries.filter((entry: { action: string }) => entry.action === 'sla_breached').length, 2);
  });

  test('when an incident has been RESOLVED longer than AUTO_CLOSE_DAYS, then the system closes it with a timeline entry', async () => {
    const incident = await h.fileIncident(reporter, category);
    await h.http.patch(`/incidents/${incident.id}`).set(auth(staff)).send({ status: 'IN_PROGRESS' }).expect(200);
    await h.http.patch(`/incidents/${incident.id}`).set(auth(staff)).send({ status: 'RESOLVED' }).expect(200);
    const recent = await h.fileIncident(reporter, category);
    await h.http.patch(`/incidents/${recent.id}`).set(auth(staff)).send({ status: 'IN_PROGRESS' }).expect(200);
    await h.http.patch(`/incidents/${recent.id}`).set(auth(staff)).send({ status: 'RESOLVED' }).expect(200);
    await h.service.db('incidents').where({ id: incident.id }).update({ resolved_at: new Date(Date.now() - 8 * 86_400_000) });

    const { autoClosed } = await h.service.slaJobs.runOnce();
    assert.equal(autoClosed, 1);
    const closed = await h.http.get(`/incidents/${incident.id}`).set(auth(reporter)).expect(200);
    assert.equal(closed.body.status, 'CLOSED');
    assert.equal((await h.http.get(`/incidents/${recent.id}`).set(auth(reporter)).expect(200)).body.status, 'RESOLVED');
    const changes = await h.events.waitFor('incident.status_changed', incident.id, 3);
    const last = changes.at(-1)!;
    assert.equal(last.data.to, 'CLOSED');
    assert.equal(last.data.actorId, null, 'closed by the system');
    assert.match(last.data.reason!, /automatically after 7 days/);
    const entries = (await h.http.get(`/incidents/${incident.id}/timeline`).set(auth(reporter)).expect(200)).body.items;
    assert.deepEqual(entries.at(-1).newValue, { status: 'CLOSED', reason: 'closed automatically after 7 days resolved' });
  });
});

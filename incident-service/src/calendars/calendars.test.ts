import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Caller } from '@desk/auth';
import type { Incident } from '@desk/contracts';
import { clockAt } from '../clock.js';
import { createIncident } from '../incidents/create-incident.use-case.js';
import { addComment } from '../comments/add-comment.use-case.js';
import { updateIncident } from '../incidents/update-incident.use-case.js';
import { startWaiting } from '../incidents/waiting.use-case.js';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

const office = [{ start: '09:00', end: '17:00' }];
/** Berlin office hours, Monday to Friday 09:00–17:00, Christmas off. */
const berlin = {
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  week: { monday: office, tuesday: office, wednesday: office, thursday: office, friday: office },
  holidays: [{ date: '2026-12-25', name: 'Christmas Day' }],
};

const callerOf = (who: TestUser): Caller => ({
  kind: 'user',
  id: who.user.id,
  role: who.user.role,
  departmentId: who.user.departmentId,
  scopes: [],
  tokenId: 'test',
  sessionId: null,
  clientId: null,
  issuedAt: new Date(),
  expiresAt: new Date(Date.now() + 3_600_000),
});

describe('business-hours calendars and the SLA clock', () => {
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
  /** The service's use cases as of an instant (the clock set there), as the demo history runs them. */
  const at = (iso: string) => ({ ...h.service.deps, clock: clockAt(new Date(iso)) });
  const fileAt = async (iso: string, body: Record<string, unknown> = {}): Promise<Incident> =>
    (await createIncident(at(iso), callerOf(reporter), { title: 'Printer jams', description: '', categoryId: category, ...body })).incident;

  test('when an admin creates, reads and assigns a calendar, then the department counts SLA targets in its working time', async () => {
    const created = await h.http.post('/calendars').set(auth(h.admin)).send(berlin).expect(201);
    assert.equal(created.body.version, 1);
    assert.equal(created.body.isDefault, false);
    assert.match(created.headers.location!, new RegExp(`/calendars/${created.body.id}$`));
    const assigned = await h.http.put(`/calendars/assignments/${department}`).set(auth(h.admin)).send({ calendarId: created.body.id }).expect(200);
    assert.deepEqual(assigned.body, { departmentId: department, calendarId: created.body.id, effectiveCalendarId: created.body.id });
    const read = await h.http.get(`/calendars/${created.body.id}`).set(auth(staff)).expect(200);
    assert.deepEqual(read.body.departmentIds, [department]);
    const listed = await h.http.get('/calendars').set(auth(manager)).expect(200);
    assert.equal(listed.body.items[0].isDefault, true, 'the default first');
    assert.equal(listed.body.items[0].name, 'Around the clock');

    // Friday 16:00 in Berlin (15:00Z), HIGH: 1 h response → Friday 17:00 (16:00Z); 8 h resolution: 1 h on Friday, 7 h on Monday → 16:00.
    const friday = await fileAt('2026-12-04T15:00:00Z', { priority: 'HIGH' });
    assert.equal(friday.slaCalendarId, created.body.id);
    assert.equal(friday.responseDueAt, '2026-12-04T16:00:00.000Z');
    assert.equal(friday.resolutionDueAt, '2026-12-07T15:00:00.000Z');
    // Thursday 24 December 16:30 (15:30Z): 30 min are left on Thursday; Christmas Day is off, then the weekend; the rest is on Monday 28th.
    const christmas = await fileAt('2026-12-24T15:30:00Z', { priority: 'HIGH' });
    assert.equal(christmas.responseDueAt, '2026-12-28T08:30:00.000Z');
    assert.equal(christmas.resolutionDueAt, '2026-12-28T15:30:00.000Z');
  });

  test('when a calendar changes while incidents are open, then the job recounts them: time used stays, the rest counts on the new hours, in the timeline', async () => {
    const created = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: 'Short days' }).expect(201);
    const other = await h.createDepartment();
    const otherCategory = await h.createCategory(other);
    await h.http.put(`/calendars/assignments/${other}`).set(auth(h.admin)).send({ calendarId: created.body.id }).expect(200);
    // Monday 7 December 09:00 Berlin (08:00Z), MEDIUM: 24 h of working time = three 8-hour days → Wednesday 17:00 (16:00Z).
    const open = (await createIncident(at('2026-12-07T08:00:00Z'), callerOf(reporter), { title: 'Badge reader', description: '', categoryId: otherCategory })).incident;
    assert.equal(open.resolutionDueAt, '2026-12-09T16:00:00.000Z');
    // Stays resolved-and-closed: a closed incident is never recounted.
    const closed = (await createIncident(at('2026-12-07T08:00:00Z'), callerOf(reporter), { title: 'Old', description: '', categoryId: otherCategory })).incident;
    await h.service.db('incidents').where({ id: closed.id }).update({ status: 'CANCELLED', closed_at: new Date('2026-12-07T09:00:00Z') });

    // Monday 13:00 Berlin (12:00Z): 4 h used. From then on the office works 09:00–13:00 only.
    const short = [{ start: '09:00', end: '13:00' }];
    const changed = await h.http
      .patch(`/calendars/${created.body.id}`)
      .set(auth(h.admin))
      .send({ week: { monday: short, tuesday: short, wednesday: short, thursday: short, friday: short }, version: 1 })
      .expect(200);
    assert.equal(changed.body.version, 2);
    await h.http.patch(`/calendars/${created.body.id}`).set(auth(h.admin)).send({ name: 'Stale', version: 1 }).expect(412);
    const round = await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-07T12:00:00Z')));
    assert.ok(round.recounted >= 1);
    // 20 h left at 4 h a day: Tuesday to Friday (16 h) and 4 h on Monday 14th → 13:00 Berlin (12:00Z).
    const recounted = await h.http.get(`/incidents/${open.id}`).set(auth(h.admin)).expect(200);
    assert.equal(recounted.body.resolutionDueAt, '2026-12-14T12:00:00.000Z');
    assert.equal(recounted.body.version, open.version + 1);
    const timeline = await h.http.get(`/incidents/${open.id}/timeline`).set(auth(h.admin)).expect(200);
    const entry = timeline.body.items.find((item: { action: string }) => item.action === 'sla_recalculated');
    assert.deepEqual(entry.newValue.calendar, { id: created.body.id, name: 'Short days', version: 2 });
    assert.equal(entry.oldValue.resolutionDueAt, '2026-12-09T16:00:00.000Z');
    const [event] = await h.events.waitFor('incident.sla_recalculated', open.id);
    assert.equal(event!.data.incident.resolutionDueAt, '2026-12-14T12:00:00.000Z');
    const untouched = await h.http.get(`/incidents/${closed.id}`).set(auth(h.admin)).expect(200);
    assert.equal(untouched.body.version, closed.version, 'a closed incident keeps its due times');
    // Once recounted, nothing more to do: a second round changes nothing.
    assert.equal((await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-07T12:05:00Z')))).recounted, 0);

    // Back to the default (around the clock) at Tuesday 09:00Z: 4 h + 1 h (Tuesday 09:00–10:00 Berlin) used, 19 h left around the clock.
    await h.http.put(`/calendars/assignments/${other}`).set(auth(h.admin)).send({ calendarId: null }).expect(200);
    await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-08T09:00:00Z')));
    const onDefault = await h.http.get(`/incidents/${open.id}`).set(auth(h.admin)).expect(200);
    assert.equal(onDefault.body.resolutionDueAt, '2026-12-09T04:00:00.000Z');
  });

  test('when an incident waits on its reporter, then the resolution clock pauses; the reply resumes it; a wait without reply resolves it', async () => {
    const created = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: 'Waiting desk' }).expect(201);
    const waiting = await h.createDepartment();
    const waitingCategory = await h.createCategory(waiting);
    const waitingStaff = await h.createUser('staff', waiting);
    await h.http.put(`/calendars/assignments/${waiting}`).set(auth(h.admin)).send({ calendarId: created.body.id }).expect(200);
    // Monday 09:00 Berlin, MEDIUM (24 working hours): due Wednesday 17:00 Berlin.
    const incident = (await createIncident(at('2026-12-07T08:00:00Z'), callerOf(reporter), { title: 'Laptop slow', description: '', categoryId: waitingCategory })).incident;
    await updateIncident(at('2026-12-07T09:00:00Z'), callerOf(waitingStaff), incident.id, { status: 'IN_PROGRESS' }, undefined);
    // Monday 12:00 Berlin: 3 h used; asks the reporter.
    const asked = await startWaiting(at('2026-12-07T11:00:00Z'), callerOf(waitingStaff), incident.id, 'Which model is it?', undefined);
    assert.equal(asked.resolutionDueAt, null, 'paused: no due time');
    assert.equal(asked.waiting!.message, 'Which model is it?');
    // Five working days from Monday: Tuesday … Monday 14th, end of the day (17:00 Berlin).
    assert.equal(asked.waiting!.expiresAt, '2026-12-14T16:00:00.000Z');
    // The question is a public comment the reporter sees.
    const comments = await h.http.get(`/incidents/${incident.id}/comments`).set(auth(reporter)).expect(200);
    assert.equal(comments.body.items.at(-1).content, 'Which model is it?');
    // Nothing is marked breached while it waits, however long.
    await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-10T08:00:00Z')));
    assert.equal((await h.http.get(`/incidents/${incident.id}`).set(auth(h.admin)).expect(200)).body.slaBreached, false);

    // The reply on Thursday 10:00 Berlin (09:00Z): 21 h left from then → Thursday 7 h, Friday 8 h, Monday 6 h → Monday 15:00 Berlin.
    await addComment(at('2026-12-10T09:00:00Z'), callerOf(reporter), incident.id, { content: 'A ThinkPad T14' });
    const resumed = await h.http.get(`/incidents/${incident.id}`).set(auth(h.admin)).expect(200);
    assert.equal(resumed.body.waiting, null);
    assert.equal(resumed.body.resolutionDueAt, '2026-12-14T14:00:00.000Z');
    const timeline = await h.http.get(`/incidents/${incident.id}/timeline`).set(auth(reporter)).expect(200);
    const actions = timeline.body.items.map((item: { action: string }) => item.action);
    assert.ok(actions.includes('waiting_started') && actions.includes('waiting_ended'));
    const ended = timeline.body.items.find((item: { action: string }) => item.action === 'waiting_ended');
    assert.equal(ended.newValue.reason, 'replied');
    const changes = await h.events.waitFor('incident.waiting_changed', incident.id, 2);
    assert.deepEqual(changes.map((event) => event.data.reason), ['asked', 'replied']);

    // Asked again; no reply for five working days: resolved with a note, once.
    await startWaiting(at('2026-12-10T10:00:00Z'), callerOf(waitingStaff), incident.id, 'Does it happen on battery too?', undefined);
    assert.equal((await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-17T15:59:00Z')))).waitsExpired, 0);
    assert.equal((await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-17T16:00:00Z')))).waitsExpired, 1);
    assert.equal((await h.service.slaJobs.runOnce(clockAt(new Date('2026-12-17T16:05:00Z')))).waitsExpired, 0);
    const resolved = await h.http.get(`/incidents/${incident.id}`).set(auth(reporter)).expect(200);
    assert.equal(resolved.body.status, 'RESOLVED');
    assert.equal(resolved.body.waiting, null);
    const [statusChange] = (await h.events.waitFor('incident.status_changed', incident.id, 2)).slice(-1);
    assert.equal(statusChange!.data.to, 'RESOLVED');
    assert.equal(statusChange!.data.actorId, null);
    assert.match(statusChange!.data.reason ?? '', /no reply from the reporter in 5 working days/);
  });

  test('when someone asks the reporter, then only who works the incident may, only IN_PROGRESS, once; the reporter may end the wait', async () => {
    const incident = await h.fileIncident(reporter, category);
    const other = await h.createUser('staff', await h.createDepartment());
    await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(staff)).send({ message: 'Which floor?' }).expect(409);
    await h.http.patch(`/incidents/${incident.id}`).set(auth(staff)).send({ status: 'IN_PROGRESS' }).expect(200);
    await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(reporter)).send({ message: 'Me?' }).expect(403);
    await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(other)).send({ message: 'Which floor?' }).expect(404);
    const empty = await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(staff)).send({ message: ' ' }).expect(400);
    assert.equal(empty.body.errors[0].path, '/message');
    const asked = await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(staff)).set('If-Match', `"${incident.version + 1}"`).send({ message: 'Which floor?' }).expect(200);
    assert.equal(asked.body.waiting.byId, staff.user.id);
    const again = await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(manager)).send({ message: 'And which room?' }).expect(409);
    assert.equal(again.body.code, 'INCIDENT.ALREADY_WAITING');
    await h.http.delete(`/incidents/${incident.id}/waiting`).set(auth(other)).expect(404);
    const stopped = await h.http.delete(`/incidents/${incident.id}/waiting`).set(auth(reporter)).expect(200);
    assert.equal(stopped.body.waiting, null);
    assert.ok(stopped.body.resolutionDueAt, 'the clock runs again');
    // A status change ends a wait too.
    await h.http.post(`/incidents/${incident.id}/waiting`).set(auth(staff)).send({ message: 'Still there?' }).expect(200);
    const resolved = await h.http.patch(`/incidents/${incident.id}`).set(auth(staff)).send({ status: 'RESOLVED' }).expect(200);
    assert.equal(resolved.body.waiting, null);
    const [, , last] = await h.events.waitFor('incident.waiting_changed', incident.id, 4).then((events) => events.slice(-3));
    assert.equal(last!.data.reason, 'status_changed');
  });

  test('when a calendar is bad, then 422 names the field; names are unique; only admins write; the default cannot be deleted', async () => {
    const bad = async (body: Record<string, unknown>, path: string) => {
      const response = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: `Bad ${path}`, ...body }).expect(422);
      assert.equal(response.body.code, 'CALENDAR.INVALID');
      assert.deepEqual(response.body.errors.map((error: { path: string }) => error.path), [path]);
    };
    await bad({ timeZone: 'Mars/Olympus_Mons' }, '/timeZone');
    await bad({ week: { monday: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } }, '/week/monday/1');
    await bad({ week: { tuesday: [{ start: '17:00', end: '09:00' }] } }, '/week/tuesday/0/end');
    await bad({ week: {} }, '/week');
    await bad({ closures: [{ from: '2026-12-31T12:00:00Z', to: '2026-12-31T08:00:00Z' }] }, '/closures/0/to');
    const malformed = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: 'Malformed', week: { monday: [{ start: '9am', end: '17:00' }] }, holidays: [{ date: '25.12.2026', name: 'X' }] }).expect(400);
    assert.deepEqual(malformed.body.errors.map((error: { path: string }) => error.path).sort(), ['/holidays/0/date', '/week/monday/0/start']);
    const taken = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: 'BERLIN OFFICE' }).expect(409);
    assert.equal(taken.body.errors[0].path, '/name');

    const listed = await h.http.get('/calendars').set(auth(h.admin)).expect(200);
    const theDefault = listed.body.items.find((calendar: { isDefault: boolean }) => calendar.isDefault);
    const someOther = listed.body.items.find((calendar: { isDefault: boolean }) => !calendar.isDefault);
    await h.http.get('/calendars').set(auth(reporter)).expect(403);
    await h.http.post('/calendars').set(auth(manager)).send({ ...berlin, name: 'Mine' }).expect(403);
    await h.http.patch(`/calendars/${someOther.id}`).set(auth(staff)).send({ name: 'Mine' }).expect(403);
    await h.http.delete(`/calendars/${someOther.id}`).set(auth(manager)).expect(403);
    await h.http.put(`/calendars/assignments/${department}`).set(auth(manager)).send({ calendarId: null }).expect(403);
    const unknown = await h.http.put(`/calendars/assignments/${department}`).set(auth(h.admin)).send({ calendarId: crypto.randomUUID() }).expect(422);
    assert.equal(unknown.body.errors[0].path, '/calendarId');
    await h.http.put(`/calendars/assignments/${crypto.randomUUID()}`).set(auth(h.admin)).send({ calendarId: null }).expect(404);
    const refused = await h.http.delete(`/calendars/${theDefault.id}`).set(auth(h.admin)).expect(409);
    assert.equal(refused.body.code, 'CALENDAR.IS_DEFAULT');

    // Another calendar made the default: the old one can go, and departments on it move.
    const spare = await h.http.post('/calendars').set(auth(h.admin)).send({ ...berlin, name: 'Spare' }).expect(201);
    const promoted = await h.http.patch(`/calendars/${spare.body.id}`).set(auth(h.admin)).send({ isDefault: true }).expect(200);
    assert.equal(promoted.body.isDefault, true);
    await h.http.delete(`/calendars/${theDefault.id}`).set(auth(h.admin)).expect(204);
    await h.http.get(`/calendars/${theDefault.id}`).set(auth(h.admin)).expect(404);
    await h.http.patch(`/calendars/${theDefault.id}`).set(auth(h.admin)).send({ isDefault: true }).expect(404);
    // Put the around-the-clock calendar back as the default for the rest of the tests.
    const around = await h.http
      .post('/calendars')
      .set(auth(h.admin))
      .send({ name: 'Around the clock', timeZone: 'UTC', week: Object.fromEntries(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [day, [{ start: '00:00', end: '24:00' }]])), isDefault: true })
      .expect(201);
    assert.equal(around.body.isDefault, true);
  });

  test('when incidents are filed with impact and urgency, then the matrix gives the priority; staff may override with a reason; priority alone still works', async () => {
    const matrix = await h.http.get('/priority-matrix').set(auth(reporter)).expect(200);
    assert.deepEqual(matrix.body.matrix.HIGH, { HIGH: 'CRITICAL', MEDIUM: 'HIGH', LOW: 'MEDIUM' });
    const rated = await h.fileIncident(reporter, category, { impact: 'HIGH', urgency: 'MEDIUM' });
    assert.equal(rated.priority, 'HIGH');
    assert.equal(rated.impact, 'HIGH');
    assert.equal(rated.urgency, 'MEDIUM');
    const legacy = await h.fileIncident(reporter, category, { priority: 'LOW' });
    assert.equal(legacy.priority, 'LOW');
    assert.equal(legacy.impact, null);
    // Reporters rate on filing only; staff change the rating, and the priority follows the matrix.
    await h.http.patch(`/incidents/${rated.id}`).set(auth(reporter)).send({ urgency: 'HIGH' }).expect(403);
    const raised = await h.http.patch(`/incidents/${rated.id}`).set(auth(staff)).send({ urgency: 'HIGH' }).expect(200);
    assert.equal(raised.body.priority, 'CRITICAL');
    const overridden = await h.http.patch(`/incidents/${rated.id}`).set(auth(staff)).send({ priority: 'MEDIUM', priorityReason: 'Only the demo room is affected' }).expect(200);
    assert.equal(overridden.body.priority, 'MEDIUM');
    const timeline = await h.http.get(`/incidents/${rated.id}/timeline`).set(auth(h.admin)).expect(200);
    const priorities = timeline.body.items.filter((item: { action: string }) => item.action === 'priority_changed').map((item: { newValue: unknown }) => item.newValue);
    assert.deepEqual(priorities, [
      { priority: 'CRITICAL', rule: 'matrix', impact: 'HIGH', urgency: 'HIGH' },
      { priority: 'MEDIUM', reason: 'Only the demo room is affected' },
    ]);
    const reasonAlone = await h.http.patch(`/incidents/${rated.id}`).set(auth(staff)).send({ priorityReason: 'Why not' }).expect(400);
    assert.ok(reasonAlone.body.errors.some((error: { path: string }) => error.path === '/priorityReason'));

    // The admin edits the matrix; an empty cell is a 422 naming it; others may not.
    const full = matrix.body.matrix;
    await h.http.put('/priority-matrix').set(auth(manager)).send({ matrix: full }).expect(403);
    const holes = await h.http.put('/priority-matrix').set(auth(h.admin)).send({ matrix: { ...full, LOW: { HIGH: '', MEDIUM: 'LOW' } } }).expect(422);
    assert.equal(holes.body.code, 'PRIORITY_MATRIX.INCOMPLETE');
    assert.deepEqual(holes.body.errors.map((error: { path: string }) => error.path), ['/matrix/LOW/HIGH', '/matrix/LOW/LOW']);
    await h.http.put('/priority-matrix').set(auth(h.admin)).send({ matrix: { ...full, LOW: { ...full.LOW, HIGH: 'URGENT' } } }).expect(400);
    const saved = await h.http.put('/priority-matrix').set(auth(h.admin)).send({ matrix: { ...full, LOW: { ...full.LOW, LOW: 'MEDIUM' } } }).expect(200);
    assert.equal(saved.body.matrix.LOW.LOW, 'MEDIUM');
    const lowLow = await h.fileIncident(reporter, category, { impact: 'LOW', urgency: 'LOW' });
    assert.equal(lowLow.priority, 'MEDIUM');
    await h.http.put('/priority-matrix').set(auth(h.admin)).send({ matrix: full }).expect(200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { signSatisfactionLink } from '@desk/auth';
import { satisfactionSchema, type Incident, type TimelineEntry } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

const SECRET = 'a satisfaction link secret of at least 32 characters';

describe('satisfaction: the reporter rates a resolved incident', () => {
  let h: IncidentHarness;
  let categoryId: string;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let staff: TestUser;
  let manager: TestUser;

  before(async () => {
    h = await startIncidents({ SATISFACTION_LINK_SECRET: SECRET });
    const department = await h.createDepartment();
    categoryId = await h.createCategory(department);
    [reporter, otherReporter, staff, manager] = await Promise.all([h.createUser('reporter'), h.createUser('reporter'), h.createUser('staff', department), h.createUser('manager', department)]);
  });
  after(() => h?.close());

  const as = (who: TestUser) => ({
    get: (path: string) => h.http.get(path).set('Authorization', `Bearer ${who.token}`),
    put: (path: string, body: object) => h.http.put(path).set('Authorization', `Bearer ${who.token}`).send(body),
    patch: (path: string, body: object) => h.http.patch(path).set('Authorization', `Bearer ${who.token}`).send(body),
  });
  const resolved = async (): Promise<Incident> => {
    const incident = await h.fileIncident(reporter, categoryId);
    await as(staff).patch(`/incidents/${incident.id}`, { status: 'IN_PROGRESS' }).expect(200);
    return (await as(staff).patch(`/incidents/${incident.id}`, { status: 'RESOLVED' }).expect(200)).body as Incident;
  };

  test('the reporter rates it once resolved, changes the rating, and the department sees it; the timeline and an event record it', async () => {
    const open = await h.fileIncident(reporter, categoryId);
    const early = await as(reporter).put(`/incidents/${open.id}/satisfaction`, { rating: 5 }).expect(409);
    assert.equal(early.body.code, 'SATISFACTION.NOT_RESOLVED');
    const before = satisfactionSchema.parse((await as(reporter).get(`/incidents/${open.id}/satisfaction`).expect(200)).body);
    assert.deepEqual([before.rating, before.canRate], [null, false]);

    const incident = await resolved();
    assert.equal(satisfactionSchema.parse((await as(reporter).get(`/incidents/${incident.id}/satisfaction`).expect(200)).body).canRate, true);
    const first = satisfactionSchema.parse((await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 2, comment: 'Took three days.' }).expect(200)).body);
    assert.deepEqual([first.rating, first.comment, first.canRate], [2, 'Took three days.', true]);
    assert.ok(Date.parse(first.changeableUntil!) - Date.parse(first.ratedAt!) === 7 * 24 * 3600_000);
    // Changed: the comment stays unless sent; the first rating's time stays.
    const changed = satisfactionSchema.parse((await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 4 }).expect(200)).body);
    assert.deepEqual([changed.rating, changed.comment, changed.ratedAt], [4, 'Took three days.', first.ratedAt]);
    const cleared = satisfactionSchema.parse((await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 4, comment: null }).expect(200)).body);
    assert.equal(cleared.comment, null);

    const seenByStaff = satisfactionSchema.parse((await as(staff).get(`/incidents/${incident.id}/satisfaction`).expect(200)).body);
    assert.deepEqual([seenByStaff.rating, seenByStaff.canRate], [4, false]);
    const events = await h.events.waitFor('incident.satisfaction_rated', incident.id, 3);
    assert.deepEqual(events.map((event) => [event.data.rating, event.data.previousRating]), [[2, null], [4, 2], [4, 4]]);
    assert.equal(events[0]!.data.comment, 'Took three days.');
    const timeline = ((await as(staff).get(`/incidents/${incident.id}/timeline`).query({ limit: 100 }).expect(200)).body as { items: TimelineEntry[] }).items;
    assert.equal(timeline.filter((entry) => entry.action === 'satisfaction_rated').length, 3);

    // Closing keeps it rateable; the window is 7 days from the first rating.
    await as(reporter).patch(`/incidents/${incident.id}`, { status: 'CLOSED' }).expect(200);
    await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 5 }).expect(200);
    await h.service.db('incident_satisfaction').where('incident_id', incident.id).update({ first_rated_at: h.service.db.raw("now() - interval '8 days'") });
    const locked = await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 1 }).expect(409);
    assert.equal(locked.body.code, 'SATISFACTION.LOCKED');
    assert.equal(satisfactionSchema.parse((await as(reporter).get(`/incidents/${incident.id}/satisfaction`).expect(200)).body).canRate, false);
  });

  test('nobody but its reporter rates it: staff and managers are refused, another reporter does not learn it exists, service accounts are refused', async () => {
    const incident = await resolved();
    for (const who of [staff, manager]) {
      const refused = await as(who).put(`/incidents/${incident.id}/satisfaction`, { rating: 5 }).expect(403);
      assert.equal(refused.body.code, 'SATISFACTION.REPORTER_ONLY');
    }
    await as(otherReporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 1 }).expect(404);
    await as(otherReporter).get(`/incidents/${incident.id}/satisfaction`).expect(404);
    const service = await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read', 'incidents:write'] });
    const byService = await h.http.put(`/incidents/${incident.id}/satisfaction`).set('Authorization', `Bearer ${service}`).send({ rating: 5 }).expect(403);
    assert.equal(byService.body.code, 'SATISFACTION.REPORTER_ONLY');
    await h.http.put(`/incidents/${incident.id}/satisfaction`).send({ rating: 5 }).expect(401);
    assert.equal(satisfactionSchema.parse((await as(reporter).get(`/incidents/${incident.id}/satisfaction`).expect(200)).body).rating, null);
  });

  test('bad ratings are refused naming the field', async () => {
    const incident = await resolved();
    for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 3.5 }, { rating: '4' }, {}, { rating: 4, stars: 4 }, { rating: 4, comment: 'x'.repeat(2001) }]) {
      const refused = await as(reporter).put(`/incidents/${incident.id}/satisfaction`, body).expect(400);
      assert.equal(refused.body.code, 'VALIDATION.FAILED', JSON.stringify(body));
      assert.ok(refused.body.errors.length > 0);
    }
    assert.equal((await as(reporter).put(`/incidents/${incident.id}/satisfaction`, { rating: 6 }).expect(400)).body.errors[0].path, '/rating');
  });

  test('the one-click link rates it without signing in, for its own incident only; forged, foreign and expired links are refused alike', async () => {
    const incident = await resolved();
    const token = await signSatisfactionLink(SECRET, { incidentId: incident.id, reporterId: reporter.user.id });
    const rated = satisfactionSchema.parse((await h.http.put(`/satisfaction/${token}`).send({ rating: 5 }).expect(200)).body);
    assert.deepEqual([rated.incidentKey, rated.rating], [incident.key, 5]);
    await h.http.put(`/satisfaction/${token}`).send({ rating: 4, comment: 'Changed my mind' }).expect(200);

    const refusals = [
      await signSatisfactionLink('another secret of at least thirty-two characters', { incidentId: incident.id, reporterId: reporter.user.id }),
      // A token naming someone who is not the incident's reporter.
      await signSatisfactionLink(SECRET, { incidentId: incident.id, reporterId: otherReporter.user.id }),
      await signSatisfactionLink(SECRET, { incidentId: incident.id, reporterId: reporter.user.id }, -60),
      'not-a-token',
    ];
    for (const bad of refusals) {
      const refused = await h.http.put(`/satisfaction/${bad}`).send({ rating: 1 }).expect(404);
      assert.equal(refused.body.code, 'SATISFACTION.LINK_INVALID');
    }
    const open = await h.fileIncident(reporter, categoryId);
    const early = await h.http.put(`/satisfaction/${await signSatisfactionLink(SECRET, { incidentId: open.id, reporterId: reporter.user.id })}`).send({ rating: 5 }).expect(409);
    assert.equal(early.body.code, 'SATISFACTION.NOT_RESOLVED');
    assert.equal(satisfactionSchema.parse((await as(reporter).get(`/incidents/${incident.id}/satisfaction`).expect(200)).body).rating, 4);
  });
});

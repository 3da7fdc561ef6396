import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InProcessEventBus } from '@desk/messaging';
import { catalogTypesConsumedBy, waitFor } from '@desk/testing';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('incidents', () => {
  let h: IncidentHarness;
  let department: string;
  let otherDepartment: string;
  let category: string;
  let otherCategory: string;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let staff: TestUser;
  let otherStaff: TestUser;
  let manager: TestUser;
  let otherManager: TestUser;

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment('IT');
    otherDepartment = await h.createDepartment('Facilities');
    category = await h.createCategory(department, 'Network');
    otherCategory = await h.createCategory(otherDepartment, 'Heating');
    reporter = await h.createUser('reporter');
    otherReporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    otherStaff = await h.createUser('staff', otherDepartment);
    manager = await h.createUser('manager', department);
    otherManager = await h.createUser('manager', otherDepartment);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const patch = (who: TestUser, id: string, body: Record<string, unknown>, version?: number) => {
    const call = h.http.patch(`/incidents/${id}`).set(auth(who)).send(body);
    return version === undefined ? call : call.set('If-Match', `"${version}"`);
  };
  const timeline = async (id: string) => (await h.http.get(`/incidents/${id}/timeline?limit=100`).set(auth(h.admin)).expect(200)).body.items as { action: string }[];

  test('when Prometheus scrapes /metrics, then it finds the outbox backlog, the bus connection and the parked events', async () => {
    const text = (await h.http.get('/metrics').expect(200)).text;
    assert.match(text, /desk_outbox_pending_events\{service="incident-service"\} \d+/);
    assert.match(text, /desk_outbox_oldest_pending_seconds\{service="incident-service"\} [\d.e+-]+/);
    assert.match(text, /desk_event_bus_connected\{service="incident-service"\} 1/);
    assert.match(text, /desk_parked_events\{consumer="incident-service",service="incident-service"\} 0/);
  });

  test('the event types it subscribes to are those the event catalogue lists it as consuming', () => {
    assert.ok(h.service.bus instanceof InProcessEventBus);
    assert.deepEqual(h.service.bus.boundTypes('incident-service'), catalogTypesConsumedBy('incident-service'));
  });

  test('when incidents in every state are listed, then each list item equals the incident as GET /incidents/{id} shows it', async () => {
    // Lists are built as JSON by Postgres, single incidents in Node: the two must not drift.
    const open = await h.fileIncident(reporter, category, { title: 'Listed open', priority: 'HIGH' });
    const resolved = await h.fileIncident(reporter, category, { title: 'Listed, then re-opened and resolved' });
    await patch(staff, resolved.id, { status: 'IN_PROGRESS' }).expect(200);
    await patch(staff, resolved.id, { status: 'RESOLVED' }).expect(200);
    await patch(reporter, resolved.id, { status: 'IN_PROGRESS', reason: 'Not fixed' }).expect(200);
    await patch(staff, resolved.id, { status: 'RESOLVED' }).expect(200);
    const cancelled = await h.fileIncident(reporter, category, { title: 'Listed "quoted", with \\ and ünïcode\nnewline' });
    await patch(reporter, cancelled.id, { status: 'CANCELLED' }).expect(200);
    // A target already missed, so the breach times are filled in.
    await h.service.db('incidents').where({ id: open.id }).update({ response_due_at: h.service.db.raw("now() - interval '1 hour'"), response_breached_at: h.service.db.raw('now()') });
    const listed = (await h.http.get('/incidents?limit=100').set(auth(h.admin)).expect(200)).body.items as { id: string }[];
    for (const { id } of [open, resolved, cancelled]) {
      const single = (await h.http.get(`/incidents/${id}`).set(auth(h.admin)).expect(200)).body as Record<string, unknown>;
      assert.deepEqual(listed.find((item) => item.id === id), single);
    }
    const reopened = listed.find((item) => item.id === resolved.id) as unknown as { reopenCount: number; reopenedAt: string | null };
    assert.equal(reopened.reopenCount, 1);
    assert.ok(reopened.reopenedAt);
  });

  describe('POST /incidents', () => {
    test('when a reporter files an incident, then it is OPEN, MEDIUM, in the category\'s department, with a key and SLA due times', async () => {
      const before = Date.now();
      const response = await h.http
        .post('/incidents')
        .set(auth(reporter))
        .send({ title: 'VPN drops every hour', description: 'Since the update.', categoryId: category })
        .expect(201);
      const incident = response.body;
      assert.match(incident.key, /^INC-\d{6,}$/);
      assert.equal(incident.status, 'OPEN');
      assert.equal(incident.priority, 'MEDIUM');
      assert.equal(incident.departmentId, department);
      assert.equal(incident.reporterId, reporter.user.id);
      assert.equal(incident.assigneeId, null);
      assert.equal(incident.version, 1);
      assert.equal(incident.slaBreached, false);
      assert.equal(response.headers.etag, '"1"');
      assert.equal(response.headers.location, `/incidents/${incident.id}`);
      const created = Date.parse(incident.createdAt);
      assert.ok(created >= before - 1000);
      assert.equal(Date.parse(incident.responseDueAt) - created, 4 * 3_600_000, 'MEDIUM: response in 4 h');
      assert.equal(Date.parse(incident.resolutionDueAt) - created, 24 * 3_600_000, 'MEDIUM: resolution in 24 h');

      const [event] = await h.events.waitFor('incident.created', incident.id);
      assert.equal(event!.data.incident.key, incident.key);
      assert.equal(event!.data.actorId, reporter.user.id);
      assert.deepEqual((await timeline(incident.id)).map((entry) => entry.action), ['created']);
    });

    test('when two incidents are filed, then their keys are distinct and increasing', async () => {
      const first = await h.fileIncident(reporter, category);
      const second = await h.fileIncident(reporter, category);
      assert.ok(Number(second.key.slice(4)) > Number(first.key.slice(4)));
    });

    test('when the body is invalid, then 400 names each field', async () => {
      const response = await h.http
        .post('/incidents')
        .set(auth(reporter))
        .send({ title: 'ab', description: 'x'.repeat(10_001), categoryId: 'nope', severity: 'high' })
        .expect(400);
      const paths = response.body.errors.map((issue: { path: string }) => issue.path).sort();
      assert.deepEqual(paths, ['/categoryId', '/description', '/severity', '/title']);
      const priority = await h.http.post('/incidents').set(auth(reporter)).send({ title: 'Valid title', description: '', categoryId: category, priority: 'URGENT' }).expect(400);
      assert.equal(priority.body.errors[0].path, '/priority');
    });

    test('when the category does not exist or is deactivated, then 422', async () => {
      const unknown = await h.http.post('/incidents').set(auth(reporter)).send({ title: 'Valid title', description: '', categoryId: crypto.randomUUID() }).expect(422);
      assert.equal(unknown.body.code, 'INCIDENT.CATEGORY_NOT_FOUND');
      const retired = await h.createCategory(department, 'Fax machines');
      await h.http.patch(`/categories/${retired}`).set(auth(h.admin)).send({ isActive: false }).expect(200);
      const inactive = await h.http.post('/incidents').set(auth(reporter)).send({ title: 'Valid title', description: '', categoryId: retired }).expect(422);
      assert.equal(inactive.body.code, 'INCIDENT.CATEGORY_INACTIVE');
    });

    test('when a service account files an incident, then it needs the incidents:write scope', async () => {
      const reader = await h.tokenFor({ id: crypto.randomUUID(), role: 'service', scopes: ['incidents:read'] });
      await h.http.post('/incidents').set('Authorization', `Bearer ${reader}`).send({ title: 'From monitoring', description: '', categoryId: category }).expect(403);
      const writer = await h.tokenFor({ id: crypto.randomUUID(), role: 'service', scopes: ['incidents:write'] });
      await h.http.post('/incidents').set('Authorization', `Bearer ${writer}`).send({ title: 'From monitoring', description: 'Disk full', categoryId: category }).expect(201);
      await h.http.post('/incidents').send({ title: 'No token', description: '', categoryId: category }).expect(401);
    });

    test('when a create is retried with the same Idempotency-Key, then the first incident comes back and no second one is filed', async () => {
      const key = crypto.randomUUID();
      const body = { title: 'Retry me', description: 'Timeout on the client', categoryId: category };
      const first = await h.http.post('/incidents').set(auth(reporter)).set('Idempotency-Key', key).send(body).expect(201);
      const again = await h.http.post('/incidents').set(auth(reporter)).set('Idempotency-Key', key).send(body).expect(201);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const concurrent = crypto.randomUUID();
      const results = await Promise.all([1, 2, 3].map(() => h.http.post('/incidents').set(auth(reporter)).set('Idempotency-Key', concurrent).send(body)));
      assert.deepEqual(results.map((response) => response.status), [201, 201, 201]);
      assert.equal(new Set(results.map((response) => response.body.id as string)).size, 1, 'concurrent retries make one incident');
      await h.events.waitFor('incident.created', first.body.id);
      assert.equal(h.events.about('incident.created', results[0]!.body.id).length <= 1, true);
      const misuse = await h.http.post('/incidents').set(auth(reporter)).set('Idempotency-Key', key).send({ ...body, title: 'Something else' }).expect(422);
      assert.equal(misuse.body.code, 'INCIDENT.IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('GET /incidents/{id}', () => {
    test('when the reporter, the department or an admin reads it, then by id or key with an ETag; others get 404', async () => {
      const incident = await h.fileIncident(reporter, category);
      for (const who of [reporter, staff, manager, h.admin]) {
        const byId = await h.http.get(`/incidents/${incident.id}`).set(auth(who)).expect(200);
        assert.equal(byId.headers.etag, '"1"');
      }
      const byKey = await h.http.get(`/incidents/${incident.key}`).set(auth(reporter)).expect(200);
      assert.equal(byKey.body.id, incident.id);
      for (const who of [otherReporter, otherStaff, otherManager]) {
        const hidden = await h.http.get(`/incidents/${incident.id}`).set(auth(who)).expect(404);
        assert.equal(hidden.body.code, 'INCIDENT.NOT_FOUND');
      }
      await h.http.get('/incidents/not-an-id').set(auth(h.admin)).expect(404);
      await h.http.get(`/incidents/${crypto.randomUUID()}`).set(auth(h.admin)).expect(404);
    });
  });

  describe('PATCH /incidents/{id}', () => {
    test('when staff of the department start an unassigned incident, then it is IN_PROGRESS, assigned to them, respondedAt set', async () => {
      const incident = await h.fileIncident(reporter, category);
      const started = await patch(staff, incident.id, { status: 'IN_PROGRESS' }, 1).expect(200);
      assert.equal(started.body.status, 'IN_PROGRESS');
      assert.equal(started.body.assigneeId, staff.user.id);
      assert.ok(started.body.respondedAt);
      assert.equal(started.body.version, 2);
      assert.equal(started.headers.etag, '"2"');
      const [changed] = await h.events.waitFor('incident.status_changed', incident.id);
      assert.equal(changed!.data.from, 'OPEN');
      assert.equal(changed!.data.to, 'IN_PROGRESS');
      assert.equal(changed!.data.actorId, staff.user.id);
      await h.events.waitFor('incident.assigned', incident.id);
      assert.deepEqual((await timeline(incident.id)).map((entry) => entry.action), ['created', 'status_changed', 'assigned']);
    });

    test('when the move is not in the lifecycle, then 409 INCIDENT.INVALID_TRANSITION; when the role may not make it, 403', async () => {
      const incident = await h.fileIncident(reporter, category);
      const invalid = await patch(staff, incident.id, { status: 'RESOLVED' }).expect(409);
      assert.equal(invalid.body.code, 'INCIDENT.INVALID_TRANSITION');
      const forbidden = await patch(reporter, incident.id, { status: 'IN_PROGRESS' }).expect(403);
      assert.equal(forbidden.body.code, 'INCIDENT.FORBIDDEN');
      await patch(otherStaff, incident.id, { status: 'IN_PROGRESS' }).expect(404);
      await patch(otherManager, incident.id, { status: 'CANCELLED' }).expect(404);
      const unchanged = await h.http.get(`/incidents/${incident.id}`).set(auth(reporter)).expect(200);
      assert.equal(unchanged.body.version, 1, 'refused changes change nothing');
      assert.equal(h.events.about('incident.status_changed', incident.id).length, 0);
    });

    test('the whole journey: start, resolve with a reason, reporter re-opens, resolve, reporter closes; then it is final', async () => {
      const incident = await h.fileIncident(reporter, category);
      await patch(staff, incident.id, { status: 'IN_PROGRESS' }).expect(200);
      const resolved = await patch(staff, incident.id, { status: 'RESOLVED', reason: 'Replaced the switch' }).expect(200);
      assert.ok(resolved.body.resolvedAt);
      const reopened = await patch(reporter, incident.id, { status: 'IN_PROGRESS', reason: 'Still dropping' }).expect(200);
      assert.equal(reopened.body.resolvedAt, null);
      await patch(manager, incident.id, { status: 'RESOLVED' }).expect(200);
      const closed = await patch(reporter, incident.id, { status: 'CLOSED' }).expect(200);
      assert.ok(closed.body.closedAt);
      const final = await patch(h.admin, incident.id, { status: 'IN_PROGRESS' }).expect(409);
      assert.equal(final.body.code, 'INCIDENT.FINAL');
      const changes = await h.events.waitFor('incident.status_changed', incident.id, 5);
      assert.deepEqual(changes.map((event) => `${event.data.from}->${event.data.to}`), [
        'OPEN->IN_PROGRESS', 'IN_PROGRESS->RESOLVED', 'RESOLVED->IN_PROGRESS', 'IN_PROGRESS->RESOLVED', 'RESOLVED->CLOSED',
      ]);
      assert.equal(changes[1]!.data.reason, 'Replaced the switch');
    });

    test('when the reporter cancels an OPEN incident, then it is CANCELLED and final', async () => {
      const incident = await h.fileIncident(reporter, category);
      const cancelled = await patch(reporter, incident.id, { status: 'CANCELLED', reason: 'Fixed itself' }).expect(200);
      assert.equal(cancelled.body.status, 'CANCELLED');
      await patch(staff, incident.id, { status: 'IN_PROGRESS' }).expect(409);
    });

    test('when the If-Match version is stale, then 412; of two concurrent PATCHes of one version exactly one wins', async () => {
      const incident = await h.fileIncident(reporter, category);
      await patch(staff, incident.id, { priority: 'HIGH' }, 1).expect(200);
      const stale = await patch(staff, incident.id, { priority: 'LOW' }, 1).expect(412);
      assert.equal(stale.body.code, 'INCIDENT.VERSION_MISMATCH');
      await patch(staff, incident.id, { priority: 'LOW', version: 1 }).expect(412);
      const racers = await Promise.all([
        patch(staff, incident.id, { priority: 'CRITICAL' }, 2),
        patch(manager, incident.id, { title: 'Renamed by the manager' }, 2),
      ]);
      assert.deepEqual(racers.map((response) => response.status).sort(), [200, 412]);
      await patch(staff, incident.id, { priority: 'LOW' }).set('If-Match', 'garbage').expect(400);
    });

    test('when a documented path is asked for with a method it does not take, then 405 with Allow; an unknown path stays 404', async () => {
      const incident = await h.fileIncident(reporter, category);
      const wrong = await h.http.delete(`/incidents/${incident.id}`).set(auth(staff)).expect(405);
      assert.equal(wrong.headers.allow, 'GET, HEAD, PATCH');
      assert.equal(wrong.body.code, 'HTTP.METHOD_NOT_ALLOWED');
      assert.match(wrong.headers['content-type']!, /application\/problem\+json/);
      assert.equal((await h.http.put('/incidents').set(auth(staff)).send({}).expect(405)).headers.allow, 'GET, HEAD, POST');
      assert.equal((await h.http.get(`/incidents/${incident.id}/nothing-here`).set(auth(staff)).expect(404)).body.code, 'HTTP.NOT_FOUND');
    });

    test('when If-Match is * or a list of ETags (RFC 9110), then a current one lets the change through and the 412 names the versions exactly', async () => {
      const incident = await h.fileIncident(reporter, category);
      const any = await patch(staff, incident.id, { priority: 'HIGH' }).set('If-Match', '*').expect(200);
      assert.equal(any.headers.etag, '"2"');
      await patch(staff, incident.id, { priority: 'LOW' }).set('If-Match', '"1", W/"2", "9"').expect(200);
      const stale = await patch(staff, incident.id, { priority: 'MEDIUM' }).set('If-Match', '"1", "100000000000000000001"').expect(412);
      assert.match(stale.body.detail, /you have version 1 or 100000000000000000001, it is at 3\)/, 'a version past 2^53 is printed as sent');
      await patch(staff, incident.id, { priority: 'MEDIUM' }).set('If-Match', '"3", garbage').expect(400);
    });

    test('when the priority changes, then the due times follow the new policy and one entry and one event record it', async () => {
      const incident = await h.fileIncident(reporter, category);
      const raised = await patch(staff, incident.id, { priority: 'CRITICAL' }).expect(200);
      const created = Date.parse(raised.body.createdAt);
      assert.equal(Date.parse(raised.body.responseDueAt) - created, 15 * 60_000);
      assert.equal(Date.parse(raised.body.resolutionDueAt) - created, 4 * 3_600_000);
      const [event] = await h.events.waitFor('incident.priority_changed', incident.id);
      assert.equal(event!.data.from, 'MEDIUM');
      assert.equal(event!.data.to, 'CRITICAL');
      assert.deepEqual((await timeline(incident.id)).map((entry) => entry.action), ['created', 'priority_changed']);
      const refused = await patch(reporter, incident.id, { priority: 'LOW' }).expect(403);
      assert.equal(refused.body.code, 'INCIDENT.FORBIDDEN');
    });

    test('when the reporter edits the title of their OPEN incident, then allowed; once work started, refused', async () => {
      const incident = await h.fileIncident(reporter, category);
      const edited = await patch(reporter, incident.id, { title: 'VPN drops every 55 minutes', description: 'More precise now' }).expect(200);
      assert.equal(edited.body.title, 'VPN drops every 55 minutes');
      const [event] = await h.events.waitFor('incident.updated', incident.id);
      assert.deepEqual(event!.data.changedFields, ['title', 'description']);
      await patch(otherReporter, incident.id, { title: 'Hijacked title' }).expect(404);
      await patch(staff, incident.id, { status: 'IN_PROGRESS' }).expect(200);
      await patch(reporter, incident.id, { title: 'Too late now' }).expect(403);
      const noop = await patch(reporter, incident.id, { title: 'VPN drops every 55 minutes' }).expect(200);
      assert.equal(noop.body.version, 3, 'a PATCH that changes nothing bumps nothing');
    });

    test('when a response comes after its due time, then the breach is recorded at once, once', async () => {
      const incident = await h.fileIncident(reporter, category);
      await h.service.db('incidents').where({ id: incident.id }).update({ response_due_at: new Date(Date.now() - 60_000) });
      const started = await patch(staff, incident.id, { status: 'IN_PROGRESS' }).expect(200);
      assert.equal(started.body.slaBreached, true);
      const [breach] = await h.events.waitFor('incident.sla_breached', incident.id);
      assert.equal(breach!.data.target, 'response');
      const rerun = await h.service.slaJobs.runOnce();
      assert.equal(h.events.about('incident.sla_breached', incident.id).length, 1, `no second breach event (${JSON.stringify(rerun)})`);
    });

    test('when the body is empty or has unknown fields, then 400', async () => {
      const incident = await h.fileIncident(reporter, category);
      await patch(staff, incident.id, {}).expect(400);
      const unknown = await patch(staff, incident.id, { status: 'IN_PROGRESS', assignee: 'me' }).expect(400);
      assert.equal(unknown.body.errors[0].path, '/assignee');
      await patch(staff, incident.id, { status: 'DONE' }).expect(400);
    });
  });

  describe('PATCH /incidents/{id}/assign', () => {
    test('when the manager assigns staff of the department, then it is assigned with one entry and one event; unassigning works too', async () => {
      const incident = await h.fileIncident(reporter, category);
      const assigned = await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: staff.user.id }).expect(200);
      assert.equal(assigned.body.assigneeId, staff.user.id);
      const [event] = await h.events.waitFor('incident.assigned', incident.id);
      assert.equal(event!.data.previousAssigneeId, null);
      assert.equal(event!.data.assigneeId, staff.user.id);
      const unassigned = await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(h.admin)).send({ assigneeId: null }).expect(200);
      assert.equal(unassigned.body.assigneeId, null);
      assert.deepEqual((await timeline(incident.id)).map((entry) => entry.action), ['created', 'assigned', 'assigned']);
    });

    test('when the assignee does not work in the department, then 422; when staff or another manager assign, 403 / 404', async () => {
      const incident = await h.fileIncident(reporter, category);
      const outsider = await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: otherStaff.user.id }).expect(422);
      assert.equal(outsider.body.code, 'INCIDENT.INVALID_ASSIGNEE');
      await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({ assigneeId: reporter.user.id }).expect(422);
      await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(staff)).send({ assigneeId: staff.user.id }).expect(403);
      await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(otherManager)).send({ assigneeId: otherStaff.user.id }).expect(404);
      await h.http.patch(`/incidents/${incident.id}/assign`).set(auth(manager)).send({}).expect(400);
    });
  });

  describe('GET /incidents', () => {
    test('when an incident has a long description, then its row stays whole in line (a list page reads no TOAST table and decompresses nothing)', async () => {
      const words = Array.from({ length: 120 }, (_, index) => `word${(index * 7919) % 10007}`).join(' ');
      const response = await h.http.post('/incidents').set(auth(reporter)).send({ title: 'Printer queue stuck on every floor', description: words, categoryId: category }).expect(201);
      const { rows } = await h.service.db.raw<{ rows: { row_bytes: number; compression: string | null; toast_bytes: string }[] }>(
        `select pg_column_size(i.*) as row_bytes, pg_column_compression(i.api_json) as compression,
                pg_relation_size((select reltoastrelid from pg_class where oid = 'incidents'::regclass)) as toast_bytes
           from incidents i where id = ?`,
        [response.body.id],
      );
      assert.ok(rows[0]!.row_bytes > 2_500, `the row (${rows[0]!.row_bytes} bytes) is over the 2 kB at which Postgres would move values out`);
      assert.equal(rows[0]!.compression, null, 'api_json is stored as it is');
      assert.equal(Number(rows[0]!.toast_bytes), 0, 'nothing went to the TOAST table');
    });

    test('each role sees its scope: reporters their own, staff and managers their department, admins everything', async () => {
      const mine = await h.fileIncident(otherReporter, category);
      const elsewhere = await h.fileIncident(otherReporter, otherCategory);
      const ids = async (who: TestUser, query = '') => ((await h.http.get(`/incidents?limit=100${query}`).set(auth(who)).expect(200)).body.items as { id: string }[]).map((item) => item.id);
      assert.deepEqual(new Set(await ids(otherReporter)), new Set([mine.id, elsewhere.id]));
      const staffView = await ids(staff);
      assert.ok(staffView.includes(mine.id) && !staffView.includes(elsewhere.id));
      const otherView = await ids(otherStaff);
      assert.ok(otherView.includes(elsewhere.id) && !otherView.includes(mine.id));
      const adminView = await ids(h.admin);
      assert.ok(adminView.includes(mine.id) && adminView.includes(elsewhere.id));
      assert.ok(!(await ids(reporter)).includes(mine.id));
      await h.http.get(`/incidents?departmentId=${otherDepartment}`).set(auth(staff)).expect(403);
    });

    test('filters: status (several), priority, assignee me/unassigned, q, breached, createdFrom', async () => {
      const tagged = `zebra${Date.now()}`;
      const a = await h.fileIncident(reporter, category, { title: `Projector ${tagged} flickers`, priority: 'HIGH' });
      const b = await h.fileIncident(reporter, category, { title: 'Keyboard missing keys', description: `Spare in ${tagged} room` });
      await patch(staff, a.id, { status: 'IN_PROGRESS' }).expect(200);
      const list = async (who: TestUser, query: string) => ((await h.http.get(`/incidents?limit=100&${query}`).set(auth(who)).expect(200)).body.items as { id: string; status: string; priority: string }[]);

      const found = await list(staff, `q=${tagged}`);
      assert.deepEqual(new Set(found.map((item) => item.id)), new Set([a.id, b.id]), 'full text over title and description');
      assert.deepEqual((await list(staff, `q=${tagged.slice(0, 8)}`)).length >= 2, true, 'prefix match');
      assert.deepEqual((await list(staff, `q=${a.key}`)).map((item) => item.id), [a.id], 'by key');
      assert.deepEqual((await list(staff, `q=${a.key.toLowerCase()}`)).map((item) => item.id), [a.id], 'by key in any case');
      const host = await h.fileIncident(reporter, category, { title: `Host srv-${tagged.slice(-4)} unreachable` });
      assert.deepEqual((await list(staff, `q=srv-${tagged.slice(-4)}`)).map((item) => item.id), [host.id], 'a hyphenated name as a phrase');
      const byStatus = await list(staff, 'status=OPEN,IN_PROGRESS');
      assert.ok(byStatus.every((item) => ['OPEN', 'IN_PROGRESS'].includes(item.status)));
      assert.ok(byStatus.some((item) => item.id === a.id) && byStatus.some((item) => item.id === b.id));
      assert.ok((await list(staff, 'priority=HIGH')).every((item) => item.priority === 'HIGH'));
      assert.deepEqual((await list(staff, `assigneeId=me&q=${tagged}`)).map((item) => item.id), [a.id]);
      assert.deepEqual((await list(staff, `assigneeId=unassigned&q=${tagged}`)).map((item) => item.id), [b.id]);
      assert.equal((await list(staff, `breached=true&q=${tagged}`)).length, 0);
      assert.equal((await list(staff, `createdFrom=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).length, 0);
      const inRange = (await h.http.get(`/incidents?limit=100&createdFrom=${encodeURIComponent(a.createdAt)}`).set(auth(staff)).expect(200)).body.items as { createdAt: string }[];
      const created = inRange.map((item) => item.createdAt);
      assert.deepEqual(created, [...created].sort().reverse(), 'a created range lists newest created first');
      const bad = await h.http.get('/incidents?status=OPEN,NOPE&sort=title').set(auth(staff)).expect(400);
      assert.deepEqual(bad.body.errors.map((issue: { path: string }) => issue.path).sort(), ['/sort', '/status/1']);
    });

    test('full text: a typed beginning finds the words it begins, the moment they are written; a beginning of no word finds nothing', async () => {
      const tag = `quokka${Date.now().toString(36)}`;
      const list = async (q: string) =>
        ((await h.http.get(`/incidents?limit=100&q=${encodeURIComponent(q)}`).set(auth(h.admin)).expect(200)).body.items as { id: string }[]).map((item) => item.id).sort();
      const first = await h.fileIncident(reporter, category, { title: `Badge reader ${tag}alpha rejects cards` });
      const second = await h.fileIncident(reporter, category, { title: 'Door stuck', description: `Path /srv/${tag}beta/o'brien\\x and ${tag}gamma` });
      assert.deepEqual(await list(tag), [first.id, second.id].sort(), 'a beginning shared by three new words finds both incidents');
      assert.deepEqual(await list(`${tag}al`), [first.id]);
      assert.deepEqual(await list(`${tag}alpha badge`), [first.id], 'every word must match');
      assert.deepEqual(await list(`${tag}alpha door`), []);
      assert.deepEqual(await list(`${tag}zz`), [], 'no indexed word begins so');
      assert.deepEqual(await list(`/srv/${tag}`), [], 'punctuation is not searched for');

      // A word the reporter adds by editing is found by its beginning at once.
      await patch(reporter, first.id, { title: `Badge reader ${tag}delta rejects cards` }, first.version).expect(200);
      assert.deepEqual(await list(`${tag}del`), [first.id]);
      assert.deepEqual(await list(`${tag}alpha`), [], 'the old word is gone from the incident');

      // Digits stay a prefix of the number itself; a key is found by its number.
      const digits = first.key.replace(/^INC-0*/, '');
      assert.ok((await list(digits)).includes(first.id));
    });

    test('pages follow each other without gaps or repeats, in every sort order', async () => {
      const pager = await h.createUser('reporter');
      const filed: string[] = [];
      for (const priority of ['LOW', 'HIGH', 'MEDIUM', 'CRITICAL', 'LOW', 'HIGH', 'MEDIUM']) filed.push((await h.fileIncident(pager, category, { priority })).id);
      for (const sort of ['updatedAt', 'createdAt', 'priority']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `/incidents?limit=3&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`;
          const page: { items: { id: string; priority: string }[]; nextCursor: string | null } = (await h.http.get(query).set(auth(pager)).expect(200)).body;
          seen.push(...page.items.map((item) => item.id));
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor);
        assert.equal(pages, 3, `${sort}: 3 + 3 + 1`);
        assert.deepEqual([...seen].sort(), [...filed].sort(), `${sort}: every incident once`);
      }
      await h.http.get('/incidents?cursor=garbage').set(auth(pager)).expect(400);
      const forged = Buffer.from(JSON.stringify({ t: 'garbage', id: crypto.randomUUID() })).toString('base64url');
      const refused = await h.http.get(`/incidents?cursor=${forged}`).set(auth(pager)).expect(400);
      assert.equal(refused.body.errors[0].path, '/cursor');
    });
  });

  describe('tokens of changed accounts', () => {
    test('when a user is deactivated or changes department, then their old token is refused at once', async () => {
      const leaving = await h.createUser('staff', department);
      await h.http.get('/incidents').set(auth(leaving)).expect(200);
      const moved = await h.changeUser(leaving.user, { departmentId: otherDepartment });
      // The service drops a cached account once it sees the replica change it (about a second).
      const refused = await waitFor('the old token to be refused', async () => {
        const response = await h.http.get('/incidents').set(auth(leaving));
        return response.status === 401 ? response : undefined;
      }, { timeoutMs: 5_000, intervalMs: 200 });
      assert.equal(refused.body.code, 'AUTH.TOKEN_REVOKED');
      await h.http.get('/incidents').set(auth(moved)).expect(200);
      await h.changeUser(moved.user, { isActive: false });
      await waitFor('the deactivated user to be refused', async () => (await h.http.get('/incidents').set(auth(moved))).status === 401, { timeoutMs: 5_000, intervalMs: 200 });
    });
  });
});

import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Incident, IncidentChangeEvent } from '@desk/contracts';
import { closeServer, listen } from '@desk/platform';
import { closedEvent, eventsNamed, holdEventStream, waitFor, type HeldEventStream } from '@desk/testing';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('the live incident change stream', () => {
  let h: IncidentHarness;
  let server: Server;
  let baseUrl: string;
  let it: string;
  let facilities: string;
  let itCategory: string;
  let facilitiesCategory: string;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let itStaff: TestUser;
  let itManager: TestUser;
  let facilitiesStaff: TestUser;

  before(async () => {
    h = await startIncidents({ STREAM_CHECK_INTERVAL: '200ms' });
    server = await listen(h.service.app, { port: 0, host: '127.0.0.1', logger: h.service.deps.logger });
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    it = await h.createDepartment('IT');
    facilities = await h.createDepartment('Facilities');
    itCategory = await h.createCategory(it);
    facilitiesCategory = await h.createCategory(facilities);
    reporter = await h.createUser('reporter');
    otherReporter = await h.createUser('reporter');
    itStaff = await h.createUser('staff', it);
    itManager = await h.createUser('manager', it);
    facilitiesStaff = await h.createUser('staff', facilities);
  });
  after(async () => {
    await closeServer(server, { deadlineMs: 1_000 });
    await h.close();
  });

  const open = (user: TestUser, headers: Record<string, string> = {}) => holdEventStream(`${baseUrl}/incidents/stream`, user.token, headers);
  const changes = (stream: HeldEventStream) => eventsNamed<IncidentChangeEvent>(stream.state.text, 'incident');
  const changesOf = (stream: HeldEventStream, incident: Incident) => changes(stream).filter((event) => event.data.id === incident.id).map((event) => event.data.change);
  const send = (user: TestUser) => ({ Authorization: `Bearer ${user.token}` });

  /** Files an incident nobody above may see but `viewers`, and waits until each of them heard of it: later than anything sent before. */
  async function sentinel(viewers: HeldEventStream[]): Promise<Incident> {
    const incident = await h.fileIncident(otherReporter, facilitiesCategory, { title: 'Sentinel: a door sticks' });
    for (const viewer of viewers) await waitFor('the sentinel to arrive', () => changesOf(viewer, incident).length > 0);
    return incident;
  }

  test('when people change an incident, then each viewer is told of what they may see: reporters their own, staff their department, admins all; internal notes only to those who may read them', async () => {
    const streams = {
      reporter: await open(reporter),
      otherReporter: await open(otherReporter),
      itStaff: await open(itStaff),
      itManager: await open(itManager),
      facilitiesStaff: await open(facilitiesStaff),
      admin: await open(h.admin),
    };
    try {
      for (const stream of Object.values(streams)) assert.equal(stream.response.status, 200);
      assert.match(streams.admin.response.headers.get('content-type') ?? '', /^text\/event-stream/);
      await waitFor('every stream to be registered', () => h.service.deps.streams.openStreams === 6);

      const incident = await h.fileIncident(reporter, itCategory);
      await h.http.patch(`/incidents/${incident.id}/assign`).set(send(itManager)).send({ assigneeId: itStaff.user.id }).expect(200);
      await h.http.patch(`/incidents/${incident.id}`).set(send(itStaff)).send({ status: 'IN_PROGRESS' }).expect(200);
      await h.http.post(`/incidents/${incident.id}/comments`).set(send(itStaff)).send({ content: 'Toner is a fake, order a genuine one.', isInternal: true }).expect(201);
      await h.http.post(`/incidents/${incident.id}/comments`).set(send(reporter)).send({ content: 'It jammed again just now.' }).expect(201);

      const everything = ['created', 'assigned', 'status_changed', 'commented', 'commented'];
      const publicOnly = ['created', 'assigned', 'status_changed', 'commented'];
      await waitFor('the department and admin to hear of every change', () =>
        [streams.itStaff, streams.itManager, streams.admin].every((stream) => changesOf(stream, incident).length === everything.length),
      );
      await waitFor('the reporter to hear of the public changes', () => changesOf(streams.reporter, incident).length === publicOnly.length);
      // Past the sentinel, anything sent about the IT incident to these two would have arrived.
      await sentinel([streams.otherReporter, streams.facilitiesStaff]);

      for (const stream of [streams.itStaff, streams.itManager, streams.admin]) assert.deepEqual(changesOf(stream, incident), everything);
      assert.deepEqual(changesOf(streams.reporter, incident), publicOnly, 'the reporter never learns that an internal note was written');
      assert.deepEqual(changesOf(streams.otherReporter, incident), [], "another reporter is told nothing of someone else's incident");
      assert.deepEqual(changesOf(streams.facilitiesStaff, incident), [], "staff of another department are told nothing of IT's incident");

      const staffEvents = changes(streams.itStaff).filter((event) => event.data.id === incident.id);
      const first = staffEvents[0]!.data;
      assert.equal(first.key, incident.key);
      assert.equal(first.departmentId, it);
      assert.equal(first.byYou, false);
      assert.deepEqual(
        staffEvents.map((event) => event.data.byYou),
        [false, false, true, true, false],
        'the staff member is told which changes were their own',
      );
      const statusEvent = staffEvents.find((event) => event.data.change === 'status_changed')!;
      assert.ok(statusEvent.data.version > first.version, 'the version after the change');
      for (const event of staffEvents) assert.match(event.id ?? '', /^\d+$/, 'every change has an id to resume after');
      // Only the refresh hint travels: no title, description or comment text.
      assert.doesNotMatch(streams.reporter.state.text, /jammed|Toner|Printer/);
    } finally {
      for (const stream of Object.values(streams)) stream.close();
    }
  });

  test('when a change is written but not yet committed, then no one hears of it until it commits; a change rolled back is never announced', async () => {
    const incident = await h.fileIncident(reporter, itCategory);
    const staff = await open(itStaff);
    // The filing itself may reach a stream opened just after it (its announcement is on its way):
    // only what follows it counts here.
    const after = () => changesOf(staff, incident).filter((change) => change !== 'created');
    let commit: () => void = () => undefined;
    try {
      await waitFor('the stream to be registered', () => h.service.deps.streams.openStreamsOf(itStaff.user.id) === 1);
      const { body: current } = await h.http.get(`/incidents/${incident.id}`).set(send(itStaff)).expect(200);
      const snapshot = { ...(current as Incident) };
      const { outbox, db } = h.service;

      const committed = new Promise<void>((resolve) => (commit = resolve));
      const pending = db.transaction(async (trx) => {
        await outbox.add(trx, 'incident.updated', { subject: incident.id, data: { incident: snapshot, actorId: itManager.user.id, changedFields: ['title'] } });
        await committed;
      });
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.deepEqual(after(), [], 'nothing before the commit');
      commit();
      await pending;
      await waitFor('the committed change to arrive', () => after().length === 1);

      await assert.rejects(
        db.transaction(async (trx) => {
          await outbox.add(trx, 'incident.priority_changed', { subject: incident.id, data: { incident: snapshot, actorId: itManager.user.id, from: 'MEDIUM', to: 'HIGH' } });
          throw new Error('rolled back on purpose');
        }),
        /rolled back on purpose/,
      );
      await h.http.post(`/incidents/${incident.id}/comments`).set(send(reporter)).send({ content: 'Any news?' }).expect(201);
      await waitFor('the comment after the rollback to arrive', () => after().length === 2);
      assert.deepEqual(after(), ['updated', 'commented'], 'the rolled-back priority change was never announced');
    } finally {
      // A failed assertion above must not leave the transaction open (the file would hang on it).
      commit();
      staff.close();
    }
  });

  test('when a client reconnects with Last-Event-ID, then it gets the changes it missed that it may see; an unknown id is answered with reset', async () => {
    const incident = await h.fileIncident(reporter, itCategory);
    const first = await open(reporter);
    await waitFor('the stream to be registered', () => h.service.deps.streams.openStreamsOf(reporter.user.id) === 1);
    await h.http.post(`/incidents/${incident.id}/comments`).set(send(itStaff)).send({ content: 'Looking into it.' }).expect(201);
    await waitFor('the comment to arrive', () => changesOf(first, incident).length === 1);
    const lastId = changes(first).at(-1)!.id!;
    first.close();
    await waitFor('the stream to be gone', () => h.service.deps.streams.openStreamsOf(reporter.user.id) === 0);

    await h.http.post(`/incidents/${incident.id}/comments`).set(send(itStaff)).send({ content: 'Internal: vendor ticket 42.', isInternal: true }).expect(201);
    await h.http.patch(`/incidents/${incident.id}`).set(send(itStaff)).send({ status: 'IN_PROGRESS' }).expect(200);
    await h.fileIncident(otherReporter, itCategory, { title: 'Not yours' });

    const resumed = await open(reporter, { 'Last-Event-ID': lastId });
    const unknown = await open(reporter, { 'Last-Event-ID': '999999999' });
    try {
      // Starting work on an unassigned incident assigns it to whoever starts it.
      await waitFor('the missed status change and assignment', () => changesOf(resumed, incident).length >= 2);
      assert.deepEqual(changesOf(resumed, incident), ['status_changed', 'assigned'], 'neither the internal note nor what came before Last-Event-ID');
      assert.equal(changes(resumed).length, 2, "nothing of someone else's incident");
      await waitFor('the reset', () => eventsNamed(unknown.state.text, 'reset').length === 1);
      assert.equal(eventsNamed<{ reason: string }>(unknown.state.text, 'reset')[0]!.data.reason, 'unknown-last-event-id');
    } finally {
      resumed.close();
      unknown.close();
    }
  });

  test('when a staff member is moved to another department, then their open stream ends within the check interval, saying why', async () => {
    const moving = await h.createUser('staff', it);
    const stream = await open(moving);
    try {
      await waitFor('the stream to be registered', () => h.service.deps.streams.openStreamsOf(moving.user.id) === 1);
      await h.changeUser(moving.user, { departmentId: facilities });
      await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 5_000 });
      const closed = closedEvent(stream.state.text);
      assert.equal(closed?.reason, 'access-revoked');
    } finally {
      stream.close();
    }
  });

  test('when a service account without an incidents scope asks for the stream, then it is refused; without a token, 401', async () => {
    const token = await h.tokenFor({ id: crypto.randomUUID(), role: 'service', scopes: ['analytics:read'] });
    const refused = await holdEventStream(`${baseUrl}/incidents/stream`, token);
    assert.equal(refused.response.status, 403);
    assert.equal(((await refused.response.json()) as { code: string }).code, 'AUTH.INSUFFICIENT_SCOPE');
    const anonymous = await fetch(`${baseUrl}/incidents/stream`);
    assert.equal(anonymous.status, 401);
  });
});

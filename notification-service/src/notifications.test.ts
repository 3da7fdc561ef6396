import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { NOTIFIABLE_EVENT_TYPES, type IncidentSnapshot, type Notification, type NotificationPage, type UserSnapshot } from '@desk/contracts';
import { InProcessEventBus } from '@desk/messaging';
import { closeServer, listen } from '@desk/platform';
import { catalogTypesConsumedBy, waitFor } from '@desk/testing';
import { createNotificationService } from './service.js';
import { startNotifications, type NotificationHarness, type TestUser } from './test-support/harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('notification-service', () => {
  let h: NotificationHarness;
  let reporter: TestUser;
  let staff: TestUser;
  let otherStaff: TestUser;
  let manager: TestUser;
  let outsider: TestUser;

  before(async () => {
    h = await startNotifications();
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', h.department);
    otherStaff = await h.createUser('staff', h.department);
    manager = await h.createUser('manager', h.department);
    outsider = await h.createUser('staff', randomUUID());
  });
  after(() => h?.close());

  const inbox = async (user: TestUser, query = '') => {
    const response = await h.http.get(`/notifications${query}`).set('Authorization', `Bearer ${user.token}`).expect(200);
    return response.body as NotificationPage;
  };
  const about = async (user: TestUser, incident: IncidentSnapshot) => (await inbox(user, '?limit=100')).items.filter((item) => item.incidentId === incident.id);
  const mailsAbout = (user: TestUser, incident: IncidentSnapshot) => h.smtp.to(user.user.email).filter((mail) => mail.headers.get('x-incident-key') === incident.key);

  /** An incident assigned to `staff`, filed by `reporter`. */
  const assignedIncident = (overrides: Partial<IncidentSnapshot> = {}) => h.incident(reporter.user, { assigneeId: staff.user.id, status: 'IN_PROGRESS', version: 3, ...overrides });

  test('when Prometheus scrapes /metrics, then it finds the event spine and the mail: connection, deliveries per outcome, parked events, mail by status', async () => {
    const incident = assignedIncident({ status: 'RESOLVED', version: 9 });
    const event = await h.publish('incident.status_changed', { incident, actorId: staff.user.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null });
    await h.handled(event.id);
    await waitFor('the mail', () => mailsAbout(reporter, incident).length === 1);
    // The server accepts the mail a moment before the delivery is marked SENT.
    const text = await waitFor('the SENT mark in the metrics', async () => {
      const scraped = (await h.http.get('/metrics').expect(200)).text;
      return /desk_mail_deliveries\{status="SENT",service="notification-service"\} [1-9]/.test(scraped) ? scraped : undefined;
    });
    assert.match(text, /desk_event_bus_connected\{service="notification-service"\} 1/);
    assert.match(text, /desk_event_deliveries_total\{type="incident.status_changed",outcome="handled",service="notification-service"\} \d+/);
    assert.match(text, /desk_parked_events\{consumer="notification-service",service="notification-service"\} \d+/);
    assert.match(text, /desk_mail_deliveries\{status="SENT",service="notification-service"\} [1-9]/);
  });

  test('the event types it subscribes to are those the event catalogue lists it as consuming', () => {
    assert.ok(h.bus instanceof InProcessEventBus);
    assert.deepEqual(h.bus.boundTypes('notification-service'), catalogTypesConsumedBy('notification-service'));
  });

  test('when an incident is filed, then the reporter gets the receipt by mail and the department in the app, the outsider nothing', async () => {
    const incident = h.incident(reporter.user, { title: 'VPN drops every hour' });
    const event = await h.publish('incident.created', { incident, actorId: reporter.user.id });
    await h.handled(event.id);
    const [receipt] = await waitFor('the receipt', () => (mailsAbout(reporter, incident).length === 1 ? mailsAbout(reporter, incident) : undefined));
    assert.equal(receipt!.subject, `[${incident.key}] VPN drops every hour`);
    assert.match(receipt!.text, new RegExp(`We received ${incident.key}`));
    assert.match(receipt!.text, new RegExp(`https://desk.example.com/incidents/${incident.key}`));
    assert.match(receipt!.html, new RegExp(`href="https://desk.example.com/incidents/${incident.key}"`));
    assert.equal(receipt!.messageId, `<incident-${incident.id}@desk.test>`);
    assert.equal(receipt!.headers.get('auto-submitted'), 'auto-generated');

    for (const person of [staff, otherStaff, manager]) {
      const items = await about(person, incident);
      assert.equal(items.length, 1, `${person.user.role} told once in the app`);
      assert.equal(items[0]!.headline, `New incident ${incident.key}: VPN drops every hour`);
      assert.equal(items[0]!.link, `https://desk.example.com/incidents/${incident.key}`);
      assert.equal(mailsAbout(person, incident).length, 0, 'no mail to the department');
    }
    assert.deepEqual(await about(reporter, incident), [], 'the receipt is a mail only');
    assert.deepEqual(await about(outsider, incident), []);
  });

  test('when an incident is assigned, then the assignee gets mail and in-app, the reporter in-app, the manager who assigned nothing', async () => {
    const incident = h.incident(reporter.user, { assigneeId: staff.user.id, version: 2 });
    const event = await h.publish('incident.assigned', { incident, actorId: manager.user.id, previousAssigneeId: null, assigneeId: staff.user.id });
    await h.handled(event.id);
    await waitFor('mail to the assignee', () => mailsAbout(staff, incident).length === 1);
    const [assigned] = mailsAbout(staff, incident);
    assert.equal(assigned!.inReplyTo, `<incident-${incident.id}@desk.test>`, 'threads under the receipt');
    assert.deepEqual(assigned!.references, [`<incident-${incident.id}@desk.test>`]);
    assert.match(assigned!.text, new RegExp(`${incident.key} was assigned to you`));
    assert.equal((await about(staff, incident))[0]!.headline, `${incident.key} was assigned to you`);
    assert.equal((await about(reporter, incident))[0]!.headline, `${incident.key} was assigned to ${staff.user.fullName}`);
    assert.equal(mailsAbout(reporter, incident).length, 0);
    assert.deepEqual(await about(manager, incident), []);
    assert.equal(mailsAbout(manager, incident).length, 0);
  });

  test('when the status changes, then exactly one mail reaches the reporter, also when the event is delivered twice', async () => {
    const incident = assignedIncident({ status: 'RESOLVED', version: 4 });
    const data = { incident, actorId: staff.user.id, from: 'IN_PROGRESS' as const, to: 'RESOLVED' as const, reason: 'Replaced the toner' };
    const event = await h.publish('incident.status_changed', data);
    await h.publish('incident.status_changed', data, { id: event.id }); // a redelivery: same event id
    await h.handled(event.id);
    await waitFor('the mail to the reporter', () => mailsAbout(reporter, incident).length >= 1);
    await sleep(500); // time for a second mail, if one were coming
    const mails = mailsAbout(reporter, incident);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, `[${incident.key}] ${incident.title}`);
    assert.match(mails[0]!.text, new RegExp(`${incident.key} is now resolved`));
    assert.match(mails[0]!.text, /Reason: Replaced the toner\. If the problem is solved, close the incident/);
    assert.match(mails[0]!.text, /Priority: Medium/);
    assert.match(mails[0]!.text, new RegExp(`Open it: https://desk.example.com/incidents/${incident.key}`));
    assert.equal(mails[0]!.headers.get('x-desk-event-id'), event.id);
    assert.equal((await about(reporter, incident)).length, 1, 'and one in-app notification');
    assert.deepEqual(await about(staff, incident), [], 'the assignee made the change: not told');
    assert.equal(mailsAbout(staff, incident).length, 0);
  });

  test('when the reporter changes the status, then the assignee is told in the app and the reporter is not', async () => {
    const incident = assignedIncident({ status: 'CLOSED', version: 5 });
    const event = await h.publish('incident.status_changed', { incident, actorId: reporter.user.id, from: 'RESOLVED', to: 'CLOSED', reason: null });
    await h.handled(event.id);
    assert.equal((await about(staff, incident))[0]!.headline, `${incident.key} is now closed`);
    assert.deepEqual(await about(reporter, incident), []);
    await sleep(300);
    assert.equal(mailsAbout(reporter, incident).length + mailsAbout(staff, incident).length, 0);
  });

  test('when a public comment is added, then the reporter and the assignee are told by mail and in the app', async () => {
    const incident = assignedIncident();
    const event = await h.publish('incident.commented', {
      incident,
      actorId: manager.user.id,
      commentId: randomUUID(),
      isInternal: false,
      content: 'We ordered a new drum.\n\nIt arrives Monday.',
      createdAt: new Date().toISOString(),
    });
    await h.handled(event.id);
    await waitFor('both mails', () => mailsAbout(reporter, incident).length === 1 && mailsAbout(staff, incident).length === 1);
    assert.match(mailsAbout(reporter, incident)[0]!.text, /We ordered a new drum\.\n\nIt arrives Monday\./);
    assert.equal((await about(reporter, incident))[0]!.headline, `${manager.user.fullName} commented on ${incident.key}`);
    assert.equal((await about(staff, incident)).length, 1);
    assert.deepEqual(await about(otherStaff, incident), []);
  });

  test('when a comment mentions someone and the incident has watchers, then each is told by mail, the mention reading as @Full Name', async () => {
    const watcher = await h.createUser('reporter');
    const incident = assignedIncident({ watcherIds: [watcher.user.id] });
    const event = await h.publish('incident.commented', {
      incident,
      actorId: staff.user.id,
      commentId: randomUUID(),
      isInternal: false,
      content: `<@${manager.user.id}> please approve the new drum.`,
      createdAt: new Date().toISOString(),
      mentionedIds: [manager.user.id],
    });
    await h.handled(event.id);
    await waitFor('mails to the watcher and the person mentioned', () => mailsAbout(watcher, incident).length === 1 && mailsAbout(manager, incident).length === 1);
    assert.match(mailsAbout(manager, incident)[0]!.text, new RegExp(`@${manager.user.fullName} please approve the new drum\\.`));
    assert.doesNotMatch(mailsAbout(watcher, incident)[0]!.text, /<@/);
    assert.match(mailsAbout(watcher, incident)[0]!.text, /because you watch this incident/);
    assert.equal((await about(manager, incident))[0]!.headline, `${staff.user.fullName} mentioned you on ${incident.key}`);
  });

  test('when a major incident posts an update, then everyone it affects is told by mail and in the app', async () => {
    const childReporter = await h.createUser('reporter');
    const incident = assignedIncident({ isMajor: true });
    const event = await h.publish('incident.major_update_posted', {
      incident,
      actorId: staff.user.id,
      update: { id: randomUUID(), message: 'Failover has started.', createdAt: new Date().toISOString() },
      affectedUserIds: [reporter.user.id, childReporter.user.id],
    });
    await h.handled(event.id);
    await waitFor('both mails', () => mailsAbout(childReporter, incident).length === 1 && mailsAbout(reporter, incident).length === 1);
    assert.equal((await about(childReporter, incident))[0]!.headline, `Update on major incident ${incident.key}`);
    assert.match(mailsAbout(childReporter, incident)[0]!.text, /Failover has started\./);
  });

  test('when an internal note is added, then the assignee and the department hear of it and the reporter never does, by any channel', async () => {
    // The reporter here is staff of the same department: still the reporter, still never told.
    const staffReporter = await h.createUser('staff', h.department);
    const incident = h.incident(staffReporter.user, { assigneeId: staff.user.id, status: 'IN_PROGRESS', version: 3 });
    const event = await h.publish('incident.commented', {
      incident,
      actorId: manager.user.id,
      commentId: randomUUID(),
      isInternal: true,
      content: 'Vendor contract lapsed; do not promise a date.',
      createdAt: new Date().toISOString(),
    });
    await h.handled(event.id);
    await waitFor('mail to the assignee', () => mailsAbout(staff, incident).length === 1);
    assert.equal((await about(staff, incident))[0]!.headline, `${manager.user.fullName} added an internal note on ${incident.key}`);
    assert.equal((await about(otherStaff, incident)).length, 1);
    assert.deepEqual(await about(manager, incident), [], 'the author is not told');
    await sleep(300);
    assert.deepEqual(await about(staffReporter, incident), []);
    assert.equal(mailsAbout(staffReporter, incident).length, 0);
    assert.ok(!h.smtp.mails.some((mail) => mail.to.includes(staffReporter.user.email)), 'no mail at all to the reporter');
    const unread = await inbox(staffReporter);
    assert.equal(unread.unreadCount, 0, 'nor in their unread count');
  });

  test('when the priority changes or an SLA is breached, then the assignee (and for a breach the managers) are told', async () => {
    const incident = assignedIncident({ priority: 'HIGH' });
    const changed = await h.publish('incident.priority_changed', { incident, actorId: manager.user.id, from: 'MEDIUM', to: 'HIGH' });
    await h.handled(changed.id);
    assert.equal((await about(staff, incident))[0]!.headline, `${incident.key} priority changed to High`);
    assert.equal((await about(staff, incident))[0]!.detail, `${manager.user.fullName} changed the priority from Medium to High.`);
    assert.deepEqual(await about(reporter, incident), []);

    const breached = await h.publish('incident.sla_breached', {
      incident: { ...incident, slaBreached: true },
      target: 'resolution',
      dueAt: '2026-11-20T09:00:00.000Z',
      breachedAt: '2026-11-20T09:00:30.000Z',
    });
    await h.handled(breached.id);
    await waitFor('breach mails', () => mailsAbout(manager, incident).length === 1 && mailsAbout(staff, incident).length === 2);
    assert.match(mailsAbout(manager, incident)[0]!.text, new RegExp(`${incident.key} missed its resolution target`));
    assert.match(mailsAbout(manager, incident)[0]!.text, /was due Nov 20, 2026, 9:00\sAM UTC/);
    assert.equal((await about(manager, incident)).length, 1);
    assert.deepEqual(await about(otherStaff, incident), [], 'staff who are not the assignee are not told of breaches');
  });

  test('when an event happened before the accounts it would reach existed (history replayed), then the replica takes it and nobody is told', async () => {
    const weekAgo = new Date(Date.now() - 7 * 86_400_000);
    const incident = h.incident(reporter.user, { title: 'Printer jams (last week)', createdAt: weekAgo.toISOString(), updatedAt: weekAgo.toISOString() });
    const filed = await h.publish('incident.created', { incident, actorId: reporter.user.id }, { time: weekAgo });
    const commented = await h.publish(
      'incident.commented',
      { incident: { ...incident, version: 2 }, actorId: staff.user.id, commentId: randomUUID(), isInternal: false, content: 'Fixed the tray.', createdAt: weekAgo.toISOString() },
      { time: weekAgo },
    );
    await h.handled(filed.id);
    await h.handled(commented.id);
    const replicated = await h.service.db('incidents').where({ id: incident.id }).first<{ version: number } | undefined>();
    assert.equal(replicated?.version, 2, 'the incident replica is current');
    for (const person of [reporter, staff, otherStaff, manager]) assert.deepEqual(await about(person, incident), [], `${person.user.role} not told in the app`);

    // The same moments now: told as usual (and the mails of the history never came).
    const now = await h.publish('incident.commented', { incident: { ...incident, version: 3 }, actorId: staff.user.id, commentId: randomUUID(), isInternal: false, content: 'Anything else?', createdAt: new Date().toISOString() });
    await h.handled(now.id);
    assert.equal((await about(reporter, incident)).length, 1);
    await waitFor('the mail about the new comment', () => mailsAbout(reporter, incident).length === 1);
    await sleep(200);
    assert.equal(mailsAbout(reporter, incident).length, 1, 'no mail about last week');
  });

  test('when a user is deactivated, then nothing reaches them and their token is refused', async () => {
    const leaver = await h.createUser('staff', h.department);
    await h.changeUser(leaver.user, { isActive: false });
    const incident = h.incident(reporter.user, { assigneeId: leaver.user.id, status: 'IN_PROGRESS', version: 2 });
    const event = await h.publish('incident.priority_changed', { incident, actorId: manager.user.id, from: 'MEDIUM', to: 'LOW' });
    await h.handled(event.id);
    const rows = await h.service.db('notifications').where({ user_id: leaver.user.id });
    assert.equal(rows.length, 0);
    assert.equal((await h.service.db('deliveries').where({ user_id: leaver.user.id })).length, 0);
    const refused = await h.http.get('/notifications').set('Authorization', `Bearer ${leaver.token}`);
    assert.equal(refused.status, 401);
  });

  describe('preferences', () => {
    test('when nothing was chosen, then every event type has both channels on', async () => {
      const person = await h.createUser('reporter');
      const response = await h.http.get('/notifications/preferences').set('Authorization', `Bearer ${person.token}`).expect(200);
      assert.equal(response.body.items.length, NOTIFIABLE_EVENT_TYPES.length);
      assert.ok(response.body.items.every((item: { email: boolean; inApp: boolean }) => item.email && item.inApp));
    });

    test('when a person switches email off for status changes, then they get the in-app notification and no mail', async () => {
      const person = await h.createUser('reporter');
      const put = await h.http
        .put('/notifications/preferences')
        .set('Authorization', `Bearer ${person.token}`)
        .send({ items: [{ eventType: 'incident.status_changed', email: false, inApp: true }] })
        .expect(200);
      assert.deepEqual(put.body.items.find((item: { eventType: string }) => item.eventType === 'incident.status_changed'), {
        eventType: 'incident.status_changed',
        email: false,
        inApp: true,
      });
      const incident = h.incident(person.user, { status: 'IN_PROGRESS', version: 2, assigneeId: staff.user.id });
      const event = await h.publish('incident.status_changed', { incident, actorId: staff.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
      await h.handled(event.id);
      assert.equal((await about(person, incident)).length, 1);
      await sleep(300);
      assert.equal(mailsAbout(person, incident).length, 0);

      // And in-app off: nothing at all; PUT with no items puts both back on.
      await h.http
        .put('/notifications/preferences')
        .set('Authorization', `Bearer ${person.token}`)
        .send({ items: [{ eventType: 'incident.commented', email: false, inApp: false }] })
        .expect(200);
      const comment = await h.publish('incident.commented', { incident, actorId: staff.user.id, commentId: randomUUID(), isInternal: false, content: 'Hello', createdAt: new Date().toISOString() });
      await h.handled(comment.id);
      assert.equal((await about(person, incident)).length, 1, 'still only the status change');
      const reset = await h.http.put('/notifications/preferences').set('Authorization', `Bearer ${person.token}`).send({ items: [] }).expect(200);
      assert.ok(reset.body.items.every((item: { email: boolean; inApp: boolean }) => item.email && item.inApp));
    });

    test('when one person saves their preferences several times at once, then every save succeeds and one of them is what is kept', async () => {
      const saves = [true, false, true, false, false, true].map((email, index) =>
        h.http
          .put('/notifications/preferences')
          .set('Authorization', `Bearer ${reporter.token}`)
          .send({ items: [{ eventType: 'incident.assigned', email, inApp: true }, { eventType: 'incident.commented', email: index % 2 === 0, inApp: false }] }),
      );
      const answers = await Promise.all(saves);
      assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200, 200, 200, 200]);
      const kept = (await h.http.get('/notifications/preferences').set('Authorization', `Bearer ${reporter.token}`).expect(200)).body.items as { eventType: string; inApp: boolean }[];
      assert.equal(kept.find((item) => item.eventType === 'incident.commented')?.inApp, false);
      await h.http.put('/notifications/preferences').set('Authorization', `Bearer ${reporter.token}`).send({ items: [] }).expect(200);
    });

    test('when preferences are malformed, then 400 names the field', async () => {
      const cases: [unknown, string][] = [
        [{ items: [{ eventType: 'incident.exploded', email: true, inApp: true }] }, '/items/0/eventType'],
        [{ items: [{ eventType: 'incident.created', email: 'yes', inApp: true }] }, '/items/0/email'],
        [{ items: [{ eventType: 'incident.created', email: true, inApp: true }, { eventType: 'incident.created', email: false, inApp: true }] }, '/items'],
        [{ items: [], extra: 1 }, '/extra'],
      ];
      for (const [body, path] of cases) {
        const response = await h.http.put('/notifications/preferences').set('Authorization', `Bearer ${reporter.token}`).send(body as object).expect(400);
        assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.ok(response.body.errors.some((error: { path: string }) => error.path === path), `${JSON.stringify(body)} → ${JSON.stringify(response.body.errors)}`);
      }
    });
  });

  describe('the inbox', () => {
    test('when a person reads their notifications, then the list is theirs only, newest first, paginated, with the unread count', async () => {
      const person = await h.createUser('reporter');
      const incidents = [1, 2, 3].map(() => h.incident(person.user, { assigneeId: staff.user.id, version: 2 }));
      for (const incident of incidents) {
        const event = await h.publish('incident.assigned', { incident, actorId: manager.user.id, previousAssigneeId: null, assigneeId: staff.user.id });
        await h.handled(event.id);
      }
      const first = await inbox(person, '?limit=2');
      assert.equal(first.unreadCount, 3);
      assert.deepEqual(first.items.map((item) => item.incidentId), [incidents[2]!.id, incidents[1]!.id]);
      assert.ok(first.nextCursor);
      const second = await inbox(person, `?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(second.items.map((item) => item.incidentId), [incidents[0]!.id]);
      assert.equal(second.nextCursor, null);

      // Someone else's notification is not found, neither to read nor to mark.
      const mine = first.items[0]!;
      await h.http.post(`/notifications/${mine.id}/read`).set('Authorization', `Bearer ${reporter.token}`).expect(404);
      await h.http.post(`/notifications/not-an-id/read`).set('Authorization', `Bearer ${person.token}`).expect(404);
      const read = await h.http.post(`/notifications/${mine.id}/read`).set('Authorization', `Bearer ${person.token}`).expect(200);
      assert.ok((read.body as Notification).readAt);
      const again = await h.http.post(`/notifications/${mine.id}/read`).set('Authorization', `Bearer ${person.token}`).expect(200);
      assert.equal(again.body.readAt, read.body.readAt, 'the first reading time is kept');
      assert.equal((await inbox(person)).unreadCount, 2);
      assert.deepEqual((await inbox(person, '?unread=true')).items.map((item) => item.incidentId).sort(), [incidents[0]!.id, incidents[1]!.id].sort());

      const all = await h.http.post('/notifications/read-all').set('Authorization', `Bearer ${person.token}`).expect(200);
      assert.deepEqual(all.body, { updated: 2, unreadCount: 0 });
      assert.equal((await inbox(person)).unreadCount, 0);
    });

    test('when the query is bad, or a service account asks, then it is refused', async () => {
      for (const [query, path] of [
        ['?limit=0', '/limit'],
        ['?unread=maybe', '/unread'],
        ['?cursor=garbage', '/cursor'],
      ]) {
        const response = await h.http.get(`/notifications${query}`).set('Authorization', `Bearer ${reporter.token}`).expect(400);
        assert.ok(response.body.errors.some((error: { path: string }) => error.path === path), `${query} → ${JSON.stringify(response.body)}`);
      }
      await h.http.get('/notifications?colour=red').set('Authorization', `Bearer ${reporter.token}`).expect(200); // unknown: ignored
      const service = await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read'] });
      for (const path of ['/notifications', '/notifications/preferences']) {
        const response = await h.http.get(path).set('Authorization', `Bearer ${service}`).expect(403);
        assert.equal(response.body.code, 'NOTIFICATION.PEOPLE_ONLY');
      }
      await h.http.get('/notifications').expect(401);
    });
  });

  describe('the live stream', () => {
    let server: Server;
    let baseUrl: string;
    before(async () => {
      server = await listen(h.service.app, { port: 0, host: '127.0.0.1', logger: h.service.deps.logger });
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => closeServer(server, { deadlineMs: 1_000 }));

    /** Opens the stream and collects what arrives. */
    async function open(user: TestUser, lastEventId?: string) {
      const controller = new AbortController();
      const response = await fetch(`${baseUrl}/notifications/stream`, {
        headers: { Authorization: `Bearer ${user.token}`, ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
        signal: controller.signal,
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      let text = '';
      const events: { id: string; data: Notification; at: number }[] = [];
      const raw: string[] = [];
      void (async () => {
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body!) {
            text += decoder.decode(chunk as Uint8Array, { stream: true });
            let end: number;
            while ((end = text.indexOf('\n\n')) >= 0) {
              const block = text.slice(0, end);
              text = text.slice(end + 2);
              const id = /^id: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (id && data) events.push({ id, data: JSON.parse(data) as Notification, at: Date.now() });
              else raw.push(block);
            }
          }
        } catch {
          // aborted
        }
      })();
      return { events, raw, close: () => controller.abort() };
    }

    test('when a notification is recorded, then the stream delivers it within a second', async () => {
      const stream = await open(reporter);
      await sleep(100);
      const incident = h.incident(reporter.user, { assigneeId: staff.user.id, version: 2 });
      const published = Date.now();
      await h.publish('incident.assigned', { incident, actorId: manager.user.id, previousAssigneeId: null, assigneeId: staff.user.id });
      const [event] = await waitFor('the pushed notification', () => (stream.events.length > 0 ? stream.events : undefined), { timeoutMs: 1_000 });
      assert.ok(event!.at - published < 1_000, `arrived after ${event!.at - published} ms`);
      assert.equal(event!.data.incidentId, incident.id);
      assert.equal(event!.data.headline, `${incident.key} was assigned to ${staff.user.fullName}`);
      assert.equal(event!.id, event!.data.id);
      stream.close();

      // Reconnecting with Last-Event-ID gets what was missed meanwhile, and only that.
      const missed = h.incident(reporter.user, { assigneeId: staff.user.id, version: 2 });
      const gap = await h.publish('incident.assigned', { incident: missed, actorId: manager.user.id, previousAssigneeId: null, assigneeId: staff.user.id });
      await h.handled(gap.id);
      const resumed = await open(reporter, event!.id);
      const [caughtUp] = await waitFor('the missed notification', () => (resumed.events.length > 0 ? resumed.events : undefined));
      assert.equal(caughtUp!.data.incidentId, missed.id);
      await sleep(200);
      assert.equal(resumed.events.length, 1, 'nothing sent twice');
      resumed.close();
    });

    test('when someone else is notified, then my stream stays quiet but for heartbeats', async () => {
      const quiet = await startNotifications({ SSE_HEARTBEAT_INTERVAL: '100ms' });
      const quietServer = await listen(quiet.service.app, { port: 0, host: '127.0.0.1', logger: quiet.service.deps.logger });
      try {
        const me = await quiet.createUser('reporter');
        const other = await quiet.createUser('reporter');
        const controller = new AbortController();
        const response = await fetch(`http://127.0.0.1:${(quietServer.address() as AddressInfo).port}/notifications/stream`, {
          headers: { Authorization: `Bearer ${me.token}` },
          signal: controller.signal,
        });
        const incident = quiet.incident(other.user, { version: 2 });
        const event = await quiet.publish('incident.status_changed', { incident, actorId: null, from: 'OPEN', to: 'CANCELLED', reason: null });
        await quiet.handled(event.id);
        let text = '';
        const reader = response.body!.getReader();
        const until = Date.now() + 500;
        while (Date.now() < until) {
          const chunk = await Promise.race([reader.read(), sleep(until - Date.now()).then(() => undefined)]);
          if (chunk?.value) text += new TextDecoder().decode(chunk.value);
        }
        controller.abort();
        assert.match(text, /: heartbeat /);
        assert.doesNotMatch(text, /event: notification/);
      } finally {
        await closeServer(quietServer, { deadlineMs: 500 });
        await quiet.close();
      }
    });
  });

  describe('mail delivery', () => {
    test('when SMTP is down during a burst of 200 events, then every mail arrives once it is back, none twice', async () => {
      const burst = await startNotifications({ MAIL_RETRY_DELAY: '200ms', MAIL_RETRY_MAX_DELAY: '1s', MAIL_MAX_ATTEMPTS: '50' });
      try {
        const people = await Promise.all(Array.from({ length: 20 }, () => burst.createUser('reporter')));
        const actor = await burst.createUser('staff', burst.department);
        await burst.smtp.stop();
        const incidents: IncidentSnapshot[] = [];
        for (let index = 0; index < 200; index += 1) {
          const incident = burst.incident(people[index % people.length]!.user, { status: 'IN_PROGRESS', version: 2 });
          incidents.push(incident);
          await burst.publish('incident.status_changed', { incident, actorId: actor.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
        }
        await waitFor('200 mails recorded', async () => Number((await burst.service.db('deliveries').count<{ count: string }[]>('* as count'))[0]!.count) === 200);
        await waitFor('failed attempts while SMTP is down', async () => (await burst.service.db('deliveries').where('attempts', '>', 0).whereNotNull('last_error').first()) !== undefined);
        await sleep(1_000);
        assert.equal(burst.smtp.mails.length, 0);
        await burst.smtp.start(); // same port, back up
        await waitFor('200 mails', () => burst.smtp.mails.length >= 200, { timeoutMs: 20_000 });
        await sleep(500);
        assert.equal(burst.smtp.mails.length, 200);
        const keys = new Set(burst.smtp.mails.map((mail) => mail.headers.get('x-incident-key')));
        assert.equal(keys.size, 200, 'one mail per incident');
        assert.equal(new Set(burst.smtp.mails.map((mail) => mail.messageId)).size, 200);
        const statuses = await burst.service.db('deliveries').select('status').count('* as count').groupBy('status');
        assert.deepEqual(statuses, [{ status: 'SENT', count: '200' }]);
        for (const mail of burst.smtp.mails) {
          const incident = incidents.find((candidate) => candidate.key === mail.headers.get('x-incident-key'))!;
          const owner = people.find((person) => person.user.id === incident.reporterId)!;
          assert.deepEqual(mail.to, [owner.user.email]);
        }

        // A restarted service (a second instance on the same database) sends nothing again.
        const otherBus = new InProcessEventBus({ logger: burst.service.deps.logger });
        const again = await createNotificationService({ config: burst.config, logger: burst.service.deps.logger, bus: otherBus, syncReplicas: false });
        await again.start();
        await sleep(700);
        await again.stop();
        await otherBus.close();
        assert.equal(burst.smtp.mails.length, 200);
      } finally {
        await burst.close();
      }
    });

    test('when the SENT mark fails after the server accepted a mail, then the mark is retried and the mail is not sent again', async () => {
      const marking = await startNotifications();
      const db = marking.service.db;
      try {
        const person = await marking.createUser('reporter');
        const actor = await marking.createUser('staff', marking.department);
        // The database refuses the first three SENT marks, as it would while failing over.
        // (A sequence counts the marks: nextval survives the rollback the refusal causes.)
        await db.raw('create sequence sent_marks');
        await db.raw(`create function refuse_sent_mark() returns trigger language plpgsql as $$
          begin
            if new.status = 'SENT' and nextval('sent_marks') <= 3 then
              raise exception 'the database is failing over';
            end if;
            return new;
          end $$`);
        await db.raw('create trigger refuse_sent_mark before update on deliveries for each row execute function refuse_sent_mark()');
        const incident = marking.incident(person.user, { status: 'IN_PROGRESS', version: 2 });
        await marking.publish('incident.status_changed', { incident, actorId: actor.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
        await waitFor('the mail marked SENT', async () => (await db('deliveries').where({ user_id: person.user.id, status: 'SENT' })).length === 1, { timeoutMs: 15_000 });
        assert.equal(Number((await db.raw('select last_value from sent_marks')).rows[0].last_value), 4, 'three marks refused, the fourth landed');
        await sleep(300);
        const mails = marking.smtp.to(person.user.email);
        assert.equal(mails.length, 1, 'sent once, however many marks it took');
        const row = await db('deliveries').where({ user_id: person.user.id }).first();
        assert.equal(row.attempts, 1);
        assert.ok(marking.logs.lines.some((line) => line.msg === 'the mail server accepted a mail but it could not be marked SENT; marking again (it is not sent again)'));
      } finally {
        await marking.close();
      }
    });

    test('when the mail server refuses for good, or keeps failing, then the delivery is FAILED with the reason, for admins to see', async () => {
      const failing = await startNotifications({ MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_DELAY: '50ms' });
      try {
        const person = await failing.createUser('reporter');
        const actor = await failing.createUser('staff', failing.department);
        failing.smtp.mode = 'permanent-failure';
        const refused = failing.incident(person.user, { status: 'IN_PROGRESS', version: 2 });
        await failing.publish('incident.status_changed', { incident: refused, actorId: actor.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
        const list = async (query: string) =>
          (await failing.http.get(`/notifications/deliveries${query}`).set('Authorization', `Bearer ${failing.admin.token}`).expect(200)).body as {
            items: { status: string; attempts: number; lastError: string; incidentKey: string; to: string }[];
          };
        const [permanent] = await waitFor('the refused mail failed', async () => {
          const page = await list('?status=FAILED');
          return page.items.length === 1 ? page.items : undefined;
        });
        assert.equal(permanent!.attempts, 1, 'a 5xx is not retried');
        assert.match(permanent!.lastError, /^refused by the mail server: 550 /);
        assert.equal(permanent!.to, person.user.email);

        failing.smtp.mode = 'temporary-failure';
        const flaky = failing.incident(person.user, { status: 'IN_PROGRESS', version: 2 });
        await failing.publish('incident.status_changed', { incident: flaky, actorId: actor.user.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
        const [gaveUp] = await waitFor('the retried mail failed', async () => {
          const page = await list(`?status=FAILED&incidentKey=${flaky.key}`);
          return page.items.length === 1 ? page.items : undefined;
        });
        assert.equal(gaveUp!.attempts, 3);
        assert.match(gaveUp!.lastError, /^gave up after 3 attempts: 451 /);
        assert.equal((await list('?status=SENT')).items.length, 0);
        assert.equal((await list(`?incidentKey=${refused.key}`)).items.length, 1);

        // Only admins see deliveries; filters are checked.
        const manager = await failing.createUser('manager', failing.department);
        await failing.http.get('/notifications/deliveries').set('Authorization', `Bearer ${manager.token}`).expect(403);
        const bad = await failing.http.get('/notifications/deliveries?status=LOST').set('Authorization', `Bearer ${failing.admin.token}`).expect(400);
        assert.match(bad.body.errors[0].path, /^\/status/);
      } finally {
        await failing.close();
      }
    });
  });

  test('when an incident event arrives before its reporter\'s registration (as while the demo is seeded), then it waits for the replica without spending attempts, and the receipt is sent', async () => {
    const newcomer: UserSnapshot = { ...reporter.user, id: randomUUID(), email: `newcomer-${randomUUID().slice(0, 6)}@example.com` };
    const incident = h.incident(newcomer);
    const event = await h.publish('incident.created', { incident, actorId: newcomer.id });
    // More waits than the harness's 3 attempts would allow as failures.
    await waitFor('five waits', () => h.logs.lines.filter((line) => line.msg === 'event cannot be handled yet; will retry without counting an attempt' && line.eventId === event.id).length >= 5);
    await h.createUser('reporter', null, { id: newcomer.id, email: newcomer.email });
    await h.handled(event.id);
    await waitFor('the receipt', () => h.smtp.to(newcomer.email).length === 1);
    assert.equal((await h.service.db('parked_events').where({ event_id: event.id })).length, 0, 'nothing parked');
  });

  test('when an event names a reporter the replica does not know yet, then it is retried, and set aside with the reason if the replica never catches up', async () => {
    const stranger: UserSnapshot = { ...reporter.user, id: randomUUID(), email: 'late@example.com' };
    const incident = h.incident(stranger);
    const event = await h.publish('incident.created', { incident, actorId: stranger.id });
    await waitFor('a failed attempt', () => h.logs.lines.some((line) => line.eventId === event.id || JSON.stringify(line).includes(stranger.id)));
    const parked = await waitFor('the event parked after its attempts', async () => (await h.service.db('parked_events').where({ event_id: event.id }).first<{ reason: string; attempts: number } | undefined>()));
    assert.match(parked.reason, /not in the replica yet/);
    assert.equal(parked.attempts, 3);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

interface Incident {
  id: string;
  key: string;
  status: string;
  assigneeId: string | null;
  version: number;
}
interface Entry {
  action: string;
  actorId: string | null;
  oldValue: unknown;
  newValue: unknown;
}

describe('system journeys through the gateway (Postgres, RabbitMQ, every service)', () => {
  let platform: RunningPlatform;
  const admin = () => new ApiClient(platform.gatewayUrl);
  let adminClient: ApiClient;
  let it: { department: string; category: string };
  let facilities: { department: string; category: string };
  const people: Record<string, { client: ApiClient; id: string }> = {};

  /** Creates a member of staff through the admin API and signs them in once the incident side knows them. */
  async function member(name: string, role: 'manager' | 'staff', department: string) {
    const email = `${name}@example.com`;
    const created = await adminClient.call<{ id: string }>('POST', '/users', { email, password: 'kettle-orbit-meadow', fullName: name, role, departmentId: department });
    assert.equal(created.status, 201);
    const client = new ApiClient(platform.gatewayUrl);
    await client.signIn(email, 'kettle-orbit-meadow');
    // The replica in incident-service learns of the account through identity's events.
    await waitFor(`${name} known to incident-service`, async () => (await client.call('GET', '/incidents?limit=1')).status === 200);
    people[name] = { client, id: created.body.id };
  }

  before(async () => {
    platform = await startPlatform();
    adminClient = admin();
    await adminClient.signIn(ADMIN.email, ADMIN.password);
    for (const [name, target] of [['IT', 'it'], ['Facilities', 'facilities']] as const) {
      const department = await adminClient.call<{ id: string }>('POST', '/departments', { name });
      assert.equal(department.status, 201);
      // Categories need the department in incident-service's replica, which an event brings.
      const category = await waitFor(`department ${name} replicated`, async () => {
        const response = await adminClient.call<{ id: string }>('POST', '/categories', { name: `${name} general`, departmentId: department.body.id });
        return response.status === 201 ? response.body.id : undefined;
      });
      const value = { department: department.body.id, category };
      if (target === 'it') it = value;
      else facilities = value;
    }
    await member('maria-manager', 'manager', it.department);
    await member('sam-staff', 'staff', it.department);
    await member('olga-other', 'staff', facilities.department);
  });

  after(() => platform?.close());

  test('a reporter files an incident; it is assigned, worked with a note and a comment, resolved; the reporter sees the comment, not the note, and closes it', async () => {
    const reporter = new ApiClient(platform.gatewayUrl);
    const registered = await reporter.call('POST', '/auth/register', { email: 'rita@example.com', password: 'kettle-orbit-meadow', fullName: 'Rita Reporter' });
    assert.equal(registered.status, 202);
    const { id: ritaId } = await reporter.signIn('rita@example.com', 'kettle-orbit-meadow');
    await waitFor('Rita known to incident-service', async () => (await reporter.call('GET', '/incidents')).status === 200);

    const filed = await reporter.call<Incident>('POST', '/incidents', { title: 'VPN drops every hour', description: 'Since the update on Monday.', categoryId: it.category });
    assert.equal(filed.status, 201);
    const incident = filed.body;

    const manager = people['maria-manager']!;
    const staff = people['sam-staff']!;
    const assigned = await manager.client.call<Incident>('PATCH', `/incidents/${incident.id}/assign`, { assigneeId: staff.id });
    assert.equal(assigned.status, 200);
    assert.equal(assigned.body.assigneeId, staff.id);

    assert.equal((await staff.client.call('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' })).status, 200);
    assert.equal((await staff.client.call('POST', `/incidents/${incident.id}/comments`, { content: 'Probably the new firewall rule', isInternal: true })).status, 201);
    assert.equal((await staff.client.call('POST', `/incidents/${incident.id}/comments`, { content: 'We found the cause; a fix is coming.' })).status, 201);
    const resolved = await staff.client.call<Incident>('PATCH', `/incidents/${incident.id}`, { status: 'RESOLVED', reason: 'Firewall rule corrected' });
    assert.equal(resolved.status, 200);

    const comments = await reporter.call<{ items: { content: string; isInternal: boolean }[] }>('GET', `/incidents/${incident.id}/comments`);
    assert.deepEqual(comments.body.items.map((comment) => comment.content), ['We found the cause; a fix is coming.']);
    const reporterTimeline = await reporter.call<{ items: Entry[] }>('GET', `/incidents/${incident.id}/timeline`);
    assert.ok(!JSON.stringify(reporterTimeline.body).includes('firewall rule'), 'nothing of the internal note reaches the reporter');

    const closed = await reporter.call<Incident>('PATCH', `/incidents/${incident.id}`, { status: 'CLOSED' }, { 'If-Match': `"${resolved.body.version}"` });
    assert.equal(closed.status, 200);
    assert.equal(closed.body.status, 'CLOSED');

    const timeline = await adminClient.call<{ items: Entry[] }>('GET', `/incidents/${incident.key}/timeline`);
    assert.deepEqual(
      timeline.body.items.map((entry) => [entry.action, entry.actorId]),
      [
        ['created', ritaId],
        ['assigned', manager.id],
        ['status_changed', staff.id],
        ['commented', staff.id],
        ['commented', staff.id],
        ['status_changed', staff.id],
        ['status_changed', ritaId],
      ],
    );
    assert.deepEqual(timeline.body.items[5]!.newValue, { status: 'RESOLVED', reason: 'Firewall rule corrected' });
    assert.deepEqual(reporterTimeline.body.items.map((entry) => entry.action), ['created', 'assigned', 'status_changed', 'commented', 'status_changed']);

    // notification-service told each person their part, by mail and in the app, through the gateway.
    const mailsTo = (email: string) => platform.smtp.to(email).filter((mail) => mail.headers.get('x-incident-key') === incident.key);
    const ritaMails = await waitFor("Rita's mails", () => {
      const mails = mailsTo('rita@example.com');
      return mails.length >= 4 ? mails : undefined;
    });
    // Not the assignment (in-app only for the reporter), not the note, not her own closing.
    assert.deepEqual(ritaMails.map((mail) => mail.text.split('\n')[0]).sort(), [
      `${incident.key} is now in progress`,
      `${incident.key} is now resolved`,
      `We received ${incident.key}`,
      `sam-staff commented on ${incident.key}`,
    ].sort());
    assert.ok(ritaMails.every((mail) => mail.subject === `[${incident.key}] VPN drops every hour`));
    assert.ok(ritaMails.slice(1).every((mail) => mail.inReplyTo === ritaMails[0]!.messageId), 'one thread');
    assert.ok(!ritaMails.some((mail) => /firewall rule/i.test(mail.text) && !/Firewall rule corrected/.test(mail.text)), 'no mail of the internal note');
    const resolvedMail = ritaMails.find((mail) => mail.text.startsWith(`${incident.key} is now resolved`))!;
    assert.match(resolvedMail.text, /Reason: Firewall rule corrected/);
    assert.match(resolvedMail.text, new RegExp(`https://desk.example.com/incidents/${incident.key}`));
    await waitFor('the assignment mail to Sam', () => mailsTo('sam-staff@example.com').some((mail) => mail.text.startsWith(`${incident.key} was assigned to you`)));

    const inbox = await reporter.call<{ items: { headline: string; incidentKey: string }[]; unreadCount: number }>('GET', '/notifications?limit=100');
    assert.equal(inbox.status, 200);
    const headlines = inbox.body.items.filter((item) => item.incidentKey === incident.key).map((item) => item.headline);
    assert.ok(headlines.includes(`${incident.key} was assigned to sam-staff`), headlines.join(' | '));
    assert.ok(!headlines.some((headline) => /internal note/.test(headline)), 'no in-app word of the internal note');
    const samInbox = await waitFor("Sam's internal-note notification", async () => {
      const response = await staff.client.call<{ items: { headline: string; incidentKey: string }[] }>('GET', '/notifications?limit=100');
      return response.body.items.some((item) => item.incidentKey === incident.key && /closed/.test(item.headline)) ? response.body.items : undefined;
    });
    assert.ok(samInbox.some((item) => item.headline === `${incident.key} is now closed`), 'the assignee hears that the reporter closed it');
  });

  test('when someone acts on my incident, then my live stream through the gateway shows it within a second', async () => {
    const reporter = new ApiClient(platform.gatewayUrl);
    await reporter.call('POST', '/auth/register', { email: 'lena@example.com', password: 'kettle-orbit-meadow', fullName: 'Lena Live' });
    await reporter.signIn('lena@example.com', 'kettle-orbit-meadow');
    await waitFor('Lena known to incident-service', async () => (await reporter.call('GET', '/incidents')).status === 200);
    const filed = await reporter.call<Incident>('POST', '/incidents', { title: 'Badge reader dead', description: 'Door B.', categoryId: it.category });
    assert.equal(filed.status, 201);

    const controller = new AbortController();
    const stream = await fetch(`${platform.gatewayUrl}/notifications/stream`, { headers: { Authorization: `Bearer ${reporter.token}` }, signal: controller.signal });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    let text = '';
    const reading = (async () => {
      try {
        for await (const chunk of stream.body!) text += Buffer.from(chunk as Uint8Array).toString('utf8');
      } catch {
        // aborted
      }
    })();
    await waitFor('the stream to open', () => text.includes(': connected'));
    const started = Date.now();
    const changed = await people['maria-manager']!.client.call('PATCH', `/incidents/${filed.body.id}`, { priority: 'HIGH', status: 'IN_PROGRESS' });
    assert.equal(changed.status, 200);
    await waitFor('the pushed notification', () => text.includes(`${filed.body.key} is now in progress`), { timeoutMs: 1_000 });
    assert.ok(Date.now() - started < 1_000);
    controller.abort();
    await reading;
  });

  test('when the gateway reports health and documents the API, then notification-service is part of both', async () => {
    const health = await fetch(`${platform.gatewayUrl}/health`);
    const report = (await health.json()) as { status: string; services: Record<string, string> };
    assert.equal(health.status, 200, JSON.stringify(report));
    assert.equal(report.services['notification-service'], 'up', JSON.stringify(report));
    const document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/notifications', '/notifications/stream', '/notifications/preferences', '/notifications/deliveries']) assert.ok(document.paths[path], `${path} documented`);
  });

  test('a reporter re-opens a resolved incident; staff of another department can neither see nor change it; an admin sees everything', async () => {
    const reporter = new ApiClient(platform.gatewayUrl);
    await reporter.call('POST', '/auth/register', { email: 'rob@example.com', password: 'kettle-orbit-meadow', fullName: 'Rob Reporter' });
    await reporter.signIn('rob@example.com', 'kettle-orbit-meadow');
    await waitFor('Rob known to incident-service', async () => (await reporter.call('GET', '/incidents')).status === 200);
    const incident = (await reporter.call<Incident>('POST', '/incidents', { title: 'Laptop fan loud', description: 'Constantly', categoryId: it.category })).body;
    const staff = people['sam-staff']!;
    await staff.client.call('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' });
    await staff.client.call('PATCH', `/incidents/${incident.id}`, { status: 'RESOLVED' });
    const reopened = await reporter.call<Incident>('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS', reason: 'Still loud' });
    assert.equal(reopened.status, 200);
    assert.equal(reopened.body.status, 'IN_PROGRESS');

    const outsider = people['olga-other']!;
    assert.equal((await outsider.client.call('GET', `/incidents/${incident.id}`)).status, 404);
    assert.equal((await outsider.client.call('PATCH', `/incidents/${incident.id}`, { status: 'RESOLVED' })).status, 404);
    assert.equal((await outsider.client.call('POST', `/incidents/${incident.id}/comments`, { content: 'peek' })).status, 404);
    const outsiderList = await outsider.client.call<{ items: { id: string }[] }>('GET', '/incidents?limit=100');
    assert.ok(!outsiderList.body.items.some((item) => item.id === incident.id));

    const everything = await adminClient.call<{ items: { id: string }[] }>('GET', '/incidents?limit=100');
    assert.ok(everything.body.items.some((item) => item.id === incident.id));
    assert.equal((await adminClient.call('GET', `/incidents/${incident.key}`)).status, 200);
  });

  test('a manager reads their department\'s figures through the gateway, matching what incident-service holds; another department is refused; a rebuild changes nothing', async () => {
    const manager = people['maria-manager']!;
    // What incident-service holds for IT, re-opened incident included.
    const held = (await adminClient.call<{ items: { status: string; reopenCount: number }[] }>('GET', `/incidents?departmentId=${it.department}&limit=100`)).body.items;
    assert.ok(held.length >= 2);
    interface Summary {
      total: number;
      byStatus: Record<string, number>;
      reopen: { reopened: number };
      mtta: { count: number };
      filters: { departmentId: string };
    }
    // Analytics follows events: wait until it has caught up with every change, not only every incident.
    const caughtUp = (summary: Summary) =>
      summary.total === held.length &&
      summary.reopen.reopened === held.filter((incident) => incident.reopenCount > 0).length &&
      ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED'].every((status) => (summary.byStatus[status] ?? 0) === held.filter((incident) => incident.status === status).length);
    const summary = await waitFor('analytics to have every IT incident and every change to them', async () => {
      const response = await manager.client.call<Summary>('GET', '/analytics/summary');
      return response.status === 200 && caughtUp(response.body) ? response.body : undefined;
    }).catch(async (error: Error) => {
      const last = await manager.client.call<Summary>('GET', '/analytics/summary');
      throw new Error(`${error.message}: analytics says ${JSON.stringify({ total: last.body.total, byStatus: last.body.byStatus, reopen: last.body.reopen })}`, { cause: error });
    });
    assert.equal(summary.filters.departmentId, it.department);
    for (const status of ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED']) {
      assert.equal(summary.byStatus[status], held.filter((incident) => incident.status === status).length, status);
    }
    assert.equal(summary.reopen.reopened, held.filter((incident) => incident.reopenCount > 0).length);
    assert.ok(summary.mtta.count >= 2, 'work was started on the journeys\' incidents');

    const refused = await manager.client.call<{ code: string }>('GET', `/analytics/summary?departmentId=${facilities.department}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'ANALYTICS.FORBIDDEN');
    assert.equal((await people['sam-staff']!.client.call('GET', '/analytics/workload')).status, 403);

    const trends = await manager.client.call<{ points: { created: number }[] }>('GET', '/analytics/trends?interval=week');
    assert.equal(trends.status, 200);
    assert.equal(trends.body.points.reduce((sum, point) => sum + point.created, 0), held.length);
    const workload = await manager.client.call<{ departments: { departmentId: string; name: string; open: number }[] }>('GET', '/analytics/workload');
    assert.deepEqual(
      workload.body.departments.map(({ departmentId, name, open }) => ({ departmentId, name, open })),
      [{ departmentId: it.department, name: 'IT', open: held.filter((incident) => ['OPEN', 'IN_PROGRESS'].includes(incident.status)).length }],
    );
    const csv = await fetch(`${platform.gatewayUrl}/analytics/export.csv`, { headers: { Authorization: `Bearer ${manager.client.token}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal((await csv.text()).trim().split('\r\n').length, 1 + held.length);

    // Rebuilt from incident-service's internal listing: the same figures.
    const everything = (await adminClient.call<Record<string, unknown>>('GET', '/analytics/summary')).body;
    const rebuilt = await adminClient.call<{ incidents: number }>('POST', '/analytics/rebuild');
    assert.equal(rebuilt.status, 200, JSON.stringify(rebuilt.body));
    const again = (await adminClient.call<Record<string, unknown>>('GET', '/analytics/summary')).body;
    assert.deepEqual({ ...again, generatedAt: null }, { ...everything, generatedAt: null });

    const health = (await (await fetch(`${platform.gatewayUrl}/health`)).json()) as { services: Record<string, string> };
    assert.equal(health.services['analytics-service'], 'up', JSON.stringify(health));
    const document = (await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const path of ['/analytics/summary', '/analytics/trends', '/analytics/workload', '/analytics/export.csv', '/analytics/rebuild']) assert.ok(document.paths[path], `${path} documented`);
  });

  test('when the admin deactivates a member of staff, then their token stops working through the gateway within seconds', async () => {
    const leaving = people['olga-other']!;
    assert.equal((await leaving.client.call('GET', '/incidents')).status, 200);
    assert.equal((await adminClient.call('PATCH', `/users/${leaving.id}`, { isActive: false })).status, 200);
    await waitFor('the token to be refused', async () => (await leaving.client.call('GET', '/incidents')).status === 401, { timeoutMs: 5_000, intervalMs: 200 });
  });
});

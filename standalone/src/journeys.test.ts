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
    const created = await adminClient.call<{ id: string }>('POST', '/users', { email, password: 'long password', fullName: name, role, departmentId: department });
    assert.equal(created.status, 201);
    const client = new ApiClient(platform.gatewayUrl);
    await client.signIn(email, 'long password');
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
    const registered = await reporter.call<{ user: { id: string } }>('POST', '/auth/register', { email: 'rita@example.com', password: 'rita password', fullName: 'Rita Reporter' });
    assert.equal(registered.status, 201);
    const ritaId = registered.body.user.id;
    await reporter.signIn('rita@example.com', 'rita password');
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
  });

  test('a reporter re-opens a resolved incident; staff of another department can neither see nor change it; an admin sees everything', async () => {
    const reporter = new ApiClient(platform.gatewayUrl);
    await reporter.call('POST', '/auth/register', { email: 'rob@example.com', password: 'rob password', fullName: 'Rob Reporter' });
    await reporter.signIn('rob@example.com', 'rob password');
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

  test('when the admin deactivates a member of staff, then their token stops working through the gateway within seconds', async () => {
    const leaving = people['olga-other']!;
    assert.equal((await leaving.client.call('GET', '/incidents')).status, 200);
    assert.equal((await adminClient.call('PATCH', `/users/${leaving.id}`, { isActive: false })).status, 200);
    await waitFor('the token to be refused', async () => (await leaving.client.call('GET', '/incidents')).status === 401, { timeoutMs: 5_000, intervalMs: 200 });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

// Categories and SLA policies are administrative: each change is told to the audit trail
// (identity-service) by an `audit.recorded` event from the change's own transaction.

describe('audit events of administrative changes', () => {
  let h: IncidentHarness;
  let department: string;
  const address = '198.51.100.40';

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment();
  });
  after(() => h?.close());

  const asAdmin = (admin: TestUser) => ({ Authorization: `Bearer ${admin.token}`, 'X-Forwarded-For': address });

  test('when an admin creates and changes a category, then one audit.recorded each, naming the admin, the address, before and after', async () => {
    const created = await h.http.post('/categories').set(asAdmin(h.admin)).send({ name: 'Printers', departmentId: department }).expect(201);
    await h.http.patch(`/categories/${created.body.id}`).set(asAdmin(h.admin)).send({ isActive: false }).expect(200);
    // Changing nothing records nothing.
    await h.http.patch(`/categories/${created.body.id}`).set(asAdmin(h.admin)).send({ isActive: false }).expect(200);

    await h.events.waitFor('audit.recorded', created.body.id, 2);
    // The outbox relays in order; give a wrongly recorded third change time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const all = h.events.about('audit.recorded', created.body.id);
    assert.equal(all.length, 2, JSON.stringify(all.map((event) => event.data.action)));
    const [creation, change] = all;
    assert.deepEqual(creation!.data.actor, { kind: 'user', id: h.admin.user.id });
    assert.equal(creation!.data.sourceAddress, address);
    assert.equal(creation!.data.action, 'category.created');
    assert.deepEqual(creation!.data.target, { type: 'category', id: created.body.id });
    assert.equal(creation!.data.before, null);
    assert.equal(creation!.data.after?.name, 'Printers');
    assert.equal(change!.data.action, 'category.updated');
    assert.deepEqual([change!.data.before?.isActive, change!.data.after?.isActive], [true, false]);
  });

  test('when an admin changes an SLA policy, then audit.recorded holds the targets before and after; a refused change publishes nothing', async () => {
    const staff = await h.createUser('staff', department);
    await h.http.put('/sla-policies/MEDIUM').set(asAdmin(staff)).send({ responseMinutes: 1, resolutionMinutes: 2 }).expect(403);
    await h.http.put('/sla-policies/MEDIUM').set(asAdmin(h.admin)).send({ responseMinutes: 120, resolutionMinutes: 600 }).expect(200);
    const [event] = await h.events.waitFor('audit.recorded', 'MEDIUM');
    assert.equal(event!.data.action, 'sla_policy.updated');
    assert.deepEqual(event!.data.target, { type: 'sla_policy', id: 'MEDIUM' });
    assert.deepEqual([event!.data.before?.responseMinutes, event!.data.before?.resolutionMinutes], [240, 1440]);
    assert.deepEqual([event!.data.after?.responseMinutes, event!.data.after?.resolutionMinutes], [120, 600]);
    assert.deepEqual(event!.data.actor, { kind: 'user', id: h.admin.user.id });
    assert.equal(h.events.about('audit.recorded', 'MEDIUM').length, 1);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildEvent, type AuditEntry, type Page } from '@desk/contracts';
import { catalogTypesConsumedBy, waitFor } from '@desk/testing';
import type { InProcessEventBus } from '@desk/messaging';
import { accountFingerprint } from '../auth/sign-in-refusals.js';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';
import { serviceAccountToken } from '../test-support/service-accounts.js';

/** The address the gateway put in X-Forwarded-For; identity-service trusts it from loopback. */
const ADMIN_ADDRESS = '203.0.113.24';

describe('audit trail of administrative changes', () => {
  let identity: IdentityHarness;
  let adminToken: string;

  before(async () => {
    identity = await startIdentity();
    adminToken = await identity.tokenFor(identity.admin);
  });
  after(() => identity?.close());

  const asAdmin = {
    post: (path: string, body: object) =>
      identity.http.post(path).set('Authorization', `Bearer ${adminToken}`).set('X-Forwarded-For', ADMIN_ADDRESS).send(body),
    patch: (path: string, body: object) =>
      identity.http.patch(path).set('Authorization', `Bearer ${adminToken}`).set('X-Forwarded-For', ADMIN_ADDRESS).send(body),
    delete: (path: string) => identity.http.delete(path).set('Authorization', `Bearer ${adminToken}`).set('X-Forwarded-For', ADMIN_ADDRESS),
  };

  async function audit(query: Record<string, string> = {}): Promise<Page<AuditEntry>> {
    const response = await identity.http.get('/admin/audit').query(query).set('Authorization', `Bearer ${adminToken}`).expect(200);
    assert.equal(response.headers['cache-control'], 'no-store');
    return response.body as Page<AuditEntry>;
  }

  /** The one entry for `targetId` and `action`; fails when there is none or more than one. */
  async function onlyEntry(targetId: string, action: AuditEntry['action']): Promise<AuditEntry> {
    const { items } = await audit({ targetId, action });
    assert.equal(items.length, 1, `one ${action} entry for ${targetId}`);
    return items[0]!;
  }

  function assertByAdmin(entry: AuditEntry): void {
    assert.deepEqual(entry.actor, { kind: 'user', id: identity.admin.id });
    assert.equal(entry.sourceAddress, ADMIN_ADDRESS);
    assert.ok(Date.now() - Date.parse(entry.occurredAt) < 60_000);
  }

  test('when an admin creates a user, then the trail holds who, from where, and the new account without its password hash', async () => {
    const email = `new-${randomUUID().slice(0, 8)}@example.com`;
    const created = await asAdmin.post('/users', { email, fullName: 'New Person', password: 'a-long-password-1', role: 'reporter' }).expect(201);
    const entry = await onlyEntry(created.body.id, 'user.created');
    assertByAdmin(entry);
    assert.deepEqual(entry.target, { type: 'user', id: created.body.id });
    assert.equal(entry.before, null);
    assert.equal(entry.after?.email, email);
    const stored = JSON.stringify(await identity.service.db('audit_log').where({ target_id: created.body.id }).select('before', 'after'));
    assert.doesNotMatch(stored, /password|argon2|a-long-password-1/i);
  });

  test('when an admin changes a role, department and activation, then each change is one entry with before and after, and the events name the admin', async () => {
    const department = await identity.createDepartment();
    const { user } = await identity.createUser({ role: 'reporter' });

    await asAdmin.patch(`/users/${user.id}`, { role: 'staff', departmentId: department.id }).expect(200);
    const [updated] = await identity.events.waitFor('user.updated', user.id);
    assert.equal((updated!.data as { actorId?: string }).actorId, identity.admin.id);

    await asAdmin.patch(`/users/${user.id}`, { isActive: false }).expect(200);
    const [deactivated] = await identity.events.waitFor('user.deactivated', user.id);
    assert.equal((deactivated!.data as { actorId?: string }).actorId, identity.admin.id);

    // A PATCH that changes nothing records nothing.
    await asAdmin.patch(`/users/${user.id}`, { isActive: false }).expect(200);

    const { items } = await audit({ targetId: user.id, action: 'user.updated' });
    assert.equal(items.length, 2);
    const [deactivation, promotion] = items;
    assertByAdmin(promotion!);
    assert.deepEqual([promotion!.before?.role, promotion!.before?.departmentId], ['reporter', null]);
    assert.deepEqual([promotion!.after?.role, promotion!.after?.departmentId], ['staff', department.id]);
    assert.deepEqual([deactivation!.before?.isActive, deactivation!.after?.isActive], [true, false]);
    assert.ok(deactivation!.id !== promotion!.id);
  });

  test('when an admin edits a profile, then the entry shows the old and new name', async () => {
    const { user } = await identity.createUser({ fullName: 'Old Name' });
    await asAdmin.patch(`/users/${user.id}`, { fullName: 'New Name' }).expect(200);
    const entry = await onlyEntry(user.id, 'user.updated');
    assert.deepEqual([entry.before?.fullName, entry.after?.fullName], ['Old Name', 'New Name']);
  });

  test('when a change is refused, then nothing is recorded (the entry commits with the change or not at all)', async () => {
    const { user } = await identity.createUser({ role: 'reporter' });
    // Staff without a department is refused after the row is locked, inside the transaction.
    await asAdmin.patch(`/users/${user.id}`, { role: 'staff' }).expect(422);
    assert.equal((await audit({ targetId: user.id })).items.length, 0);
  });

  test('when an admin creates and renames a department, then both are recorded, and the events name the admin', async () => {
    const name = `Facilities ${randomUUID().slice(0, 8)}`;
    const created = await asAdmin.post('/departments', { name }).expect(201);
    const [createdEvent] = await identity.events.waitFor('department.created', created.body.id);
    assert.equal((createdEvent!.data as { actorId?: string }).actorId, identity.admin.id);
    await asAdmin.patch(`/departments/${created.body.id}`, { name: `${name} East` }).expect(200);
    const [updatedEvent] = await identity.events.waitFor('department.updated', created.body.id);
    assert.equal((updatedEvent!.data as { actorId?: string }).actorId, identity.admin.id);

    const creation = await onlyEntry(created.body.id, 'department.created');
    assertByAdmin(creation);
    assert.equal(creation.after?.name, name);
    const rename = await onlyEntry(created.body.id, 'department.updated');
    assert.deepEqual([rename.before?.name, rename.after?.name], [name, `${name} East`]);
  });

  test('when an admin creates and revokes a service account, then both are recorded without the secret, and a second revoke adds nothing', async () => {
    const created = await asAdmin.post('/service-accounts', { name: `monitoring-${randomUUID().slice(0, 8)}`, scopes: ['incidents:read'] }).expect(201);
    await asAdmin.delete(`/service-accounts/${created.body.id}`).expect(204);
    await asAdmin.delete(`/service-accounts/${created.body.id}`).expect(204);

    const creation = await onlyEntry(created.body.id, 'service_account.created');
    assertByAdmin(creation);
    assert.deepEqual(creation.target, { type: 'service_account', id: created.body.id });
    assert.equal(creation.after?.clientId, created.body.clientId);
    const revocation = await onlyEntry(created.body.id, 'service_account.revoked');
    assert.deepEqual([revocation.before?.isActive, revocation.after?.isActive], [true, false]);
    const stored = JSON.stringify(await identity.service.db('audit_log').where({ target_id: created.body.id }).select('before', 'after'));
    assert.ok(!stored.includes(created.body.clientSecret as string));
    assert.doesNotMatch(stored, /secret/i);
  });

  test('the bootstrap admin made at start is recorded as made by the platform itself', async () => {
    const entry = await onlyEntry(identity.admin.id, 'user.created');
    assert.deepEqual(entry.actor, { kind: 'system', id: null });
    assert.equal(entry.sourceAddress, null);
    assert.equal(entry.after?.role, 'admin');
  });

  test('when an admin rotates a service account\'s secret, then the old secret stops working, the new one works, and the rotation is recorded without either', async () => {
    const created = await asAdmin.post('/service-accounts', { name: `backup-${randomUUID().slice(0, 8)}`, scopes: ['incidents:read'] }).expect(201);
    const grant = (secret: string) =>
      identity.http
        .post('/auth/token')
        .type('form')
        .send(new URLSearchParams({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: secret }).toString());
    const reporter = await identity.createUser({ role: 'reporter' });
    await identity.http.post(`/service-accounts/${created.body.id}/secret`).set('Authorization', `Bearer ${reporter.token}`).expect(403);

    const rotated = await asAdmin.post(`/service-accounts/${created.body.id}/secret`, {}).expect(200);
    assert.equal(rotated.headers['cache-control'], 'no-store');
    assert.notEqual(rotated.body.clientSecret, created.body.clientSecret);
    await grant(created.body.clientSecret as string).expect(401);
    await grant(rotated.body.clientSecret as string).expect(200);

    const entry = await onlyEntry(created.body.id, 'service_account.secret_rotated');
    assertByAdmin(entry);
    const stored = JSON.stringify(await identity.service.db('audit_log').where({ target_id: created.body.id }).select('before', 'after'));
    assert.ok(!stored.includes(created.body.clientSecret as string) && !stored.includes(rotated.body.clientSecret as string));

    await asAdmin.delete(`/service-accounts/${created.body.id}`).expect(204);
    const refused = await asAdmin.post(`/service-accounts/${created.body.id}/secret`, {}).expect(409);
    assert.equal(refused.body.code, 'SERVICE_ACCOUNT.REVOKED');
    assert.equal((await audit({ targetId: created.body.id, action: 'service_account.secret_rotated' })).items.length, 1);
  });

  describe('GET /admin/audit', () => {
    let actor: { id: string; token: string };
    let targets: string[];

    before(async () => {
      // A second admin, whose three changes the filters and cursor are tested on.
      const second = await identity.createUser({ role: 'admin' });
      actor = { id: second.user.id, token: second.token };
      targets = [];
      for (const name of ['One', 'Two', 'Three']) {
        const { user } = await identity.createUser({ fullName: `Before ${name}` });
        await identity.http.patch(`/users/${user.id}`).set('Authorization', `Bearer ${actor.token}`).send({ fullName: `After ${name}` }).expect(200);
        targets.push(user.id);
      }
    });

    test('when filtered by actor, then only that actor\'s changes come back, newest first', async () => {
      const { items, nextCursor } = await audit({ actorId: actor.id });
      assert.deepEqual(items.map((entry) => entry.target.id), [...targets].reverse());
      assert.ok(items.every((entry) => entry.actor.id === actor.id));
      assert.equal(nextCursor, null);
    });

    test('when paged one entry at a time, then the cursor walks every entry once, in order', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<AuditEntry> = await audit({ actorId: actor.id, limit: '1', ...(cursor ? { cursor } : {}) });
        assert.ok(page.items.length <= 1);
        seen.push(...page.items.map((entry) => entry.target.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, [...targets].reverse());
    });

    test('when filtered by action, target and time, then the filters combine', async () => {
      assert.equal((await audit({ actorId: actor.id, action: 'user.created' })).items.length, 0);
      assert.equal((await audit({ actorId: actor.id, action: 'user.updated' })).items.length, 3);
      const byTarget = await audit({ targetId: targets[1]! });
      assert.deepEqual(byTarget.items.map((entry) => entry.after?.fullName), ['After Two']);

      const future = new Date(Date.now() + 3_600_000).toISOString();
      const past = new Date(Date.now() - 3_600_000).toISOString();
      assert.equal((await audit({ actorId: actor.id, from: future })).items.length, 0);
      assert.equal((await audit({ actorId: actor.id, to: past })).items.length, 0);
      assert.equal((await audit({ actorId: actor.id, from: past, to: future })).items.length, 3);
    });

    test('when a filter or cursor is malformed, then 400 naming it', async () => {
      for (const [query, path] of [
        [{ actorId: 'someone' }, '/actorId'],
        [{ action: 'user.deleted' }, '/action'],
        [{ from: 'yesterday' }, '/from'],
        [{ cursor: 'not-a-cursor' }, '/cursor'],
      ] as const) {
        const response = await identity.http.get('/admin/audit').query(query).set('Authorization', `Bearer ${adminToken}`).expect(400);
        assert.ok((response.body.errors as { path: string }[]).some((issue) => issue.path === path), `${JSON.stringify(query)} names ${path}`);
      }
    });

    test('when anyone but an admin asks, then 403; without a token, 401', async () => {
      const department = await identity.createDepartment();
      const callers = {
        reporter: (await identity.createUser({ role: 'reporter' })).token,
        staff: (await identity.createUser({ role: 'staff', departmentId: department.id })).token,
        manager: (await identity.createUser({ role: 'manager', departmentId: department.id })).token,
        'service account': await serviceAccountToken(identity, ['users:read', 'incidents:read', 'analytics:read']),
      };
      for (const [who, token] of Object.entries(callers)) {
        const response = await identity.http.get('/admin/audit').set('Authorization', `Bearer ${token}`);
        assert.equal(response.status, 403, who);
        assert.equal(response.body.code, 'AUTH.FORBIDDEN', who);
      }
      const anonymous = await identity.http.get('/admin/audit').expect(401);
      assert.equal(anonymous.body.code, 'AUTH.TOKEN_MISSING');
    });
  });

  describe('failed sign-ins', () => {
    test('when a sign-in fails, then a warning names a fingerprint of the account and the address, never the email or password', async () => {
      const { user } = await identity.createUser({ email: `Guessed-${randomUUID().slice(0, 8)}@example.com` });
      const password = `wrong-${randomUUID()}`;
      await identity.http.post('/auth/login').set('X-Forwarded-For', '198.51.100.7').send({ email: user.email, password }).expect(401);

      const fingerprint = accountFingerprint(identity.config.SIGNING_KEY_SECRET, user.email);
      assert.match(fingerprint, /^[0-9a-f]{16}$/);
      // Case does not matter: one account, one fingerprint.
      assert.equal(accountFingerprint(identity.config.SIGNING_KEY_SECRET, user.email.toUpperCase()), fingerprint);
      const lines = identity.logs.find((line) => line.msg === 'sign-in refused' && line.account === fingerprint);
      assert.equal(lines.length, 1);
      assert.equal(lines[0]!.level, 'warn');
      assert.equal(lines[0]!.address, '198.51.100.7');
      assert.equal(lines[0]!.reason, 'wrong password');
      const everything = JSON.stringify(identity.logs.lines).toLowerCase();
      assert.ok(!everything.includes(password.toLowerCase()));
      assert.ok(!identity.logs.find((line) => line.msg === 'sign-in refused').some((line) => JSON.stringify(line).toLowerCase().includes(user.email.toLowerCase())));
    });
  });
});

describe('audit trail of other services\' changes', () => {
  let identity: IdentityHarness;

  before(async () => {
    identity = await startIdentity();
  });
  after(() => identity?.close());

  test('identity-service consumes exactly what the event catalogue says it does', () => {
    assert.deepEqual((identity.service.bus as InProcessEventBus).boundTypes('identity-service'), catalogTypesConsumedBy('identity-service'));
  });

  test('when incident-service\'s audit.recorded arrives twice, then the change is recorded once, at the event\'s time, without secrets', async () => {
    const adminToken = await identity.tokenFor(identity.admin);
    const event = buildEvent('audit.recorded', {
      source: '/incident-service',
      subject: 'HIGH',
      data: {
        actor: { kind: 'user', id: identity.admin.id },
        sourceAddress: '203.0.113.9',
        action: 'sla_policy.updated',
        target: { type: 'sla_policy', id: 'HIGH' },
        before: { priority: 'HIGH', responseMinutes: 60, resolutionMinutes: 480 },
        after: { priority: 'HIGH', responseMinutes: 30, resolutionMinutes: 480, clientSecret: 'never-stored' },
      },
    });
    await identity.service.bus.publish(event);
    await identity.service.bus.publish(event);
    const entries = async () =>
      (await identity.http.get('/admin/audit').query({ targetId: 'HIGH' }).set('Authorization', `Bearer ${adminToken}`).expect(200)).body as Page<AuditEntry>;
    await waitFor('the SLA change recorded', async () => (await entries()).items.length === 1);
    // The redelivery had its chance: still one entry.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { items } = await entries();
    assert.equal(items.length, 1);
    const [entry] = items;
    assert.equal(entry!.occurredAt, new Date(event.time).toISOString());
    assert.equal(entry!.sourceAddress, '203.0.113.9');
    assert.deepEqual(entry!.after, { priority: 'HIGH', responseMinutes: 30, resolutionMinutes: 480 });
  });
});

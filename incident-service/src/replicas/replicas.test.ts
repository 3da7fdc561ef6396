import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { buildEvent, type UserSnapshot } from '@desk/contracts';
import { createIdentityService, identityConfigSchema, type IdentityService } from '@desk/identity-service';
import { InProcessEventBus } from '@desk/messaging';
import { createLogger, listen, loadConfig } from '@desk/platform';
import { LogCapture, createTestDatabase, waitFor, type TestDatabase } from '@desk/testing';
import { startIncidents, type IncidentHarness } from '../test-support/harness.js';
import { syncReplicas } from './replica-sync.js';

describe('user and department replicas', () => {
  let h: IncidentHarness;
  let identityDatabase: TestDatabase;
  let identity: IdentityService;
  let identityServer: Server;
  let identityUrl: string;
  const internalToken = 'internal-token-for-tests';

  before(async () => {
    h = await startIncidents();
    identityDatabase = await createTestDatabase('replica-identity');
    const logger = createLogger({ service: 'identity-service', destination: new LogCapture() });
    const identityBus = new InProcessEventBus({ logger });
    // identity publishes into nothing here; a consumer must be bound for its outbox to publish
    await identityBus.subscribe('sink', { 'user.registered': async () => {}, 'department.created': async () => {} });
    identity = await createIdentityService({
      config: loadConfig(identityConfigSchema, {
        DATABASE_URL: identityDatabase.url,
        SIGNING_KEY_SECRET: 'a-test-secret-that-is-long-enough-123',
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'admin-password',
        INTERNAL_API_TOKEN: internalToken,
      }),
      logger,
      bus: identityBus,
    });
    identityServer = await listen(identity.app, { port: 0, host: '127.0.0.1', logger });
    identityUrl = `http://127.0.0.1:${(identityServer.address() as AddressInfo).port}`;
  });

  after(async () => {
    identityServer?.close();
    await identity?.stop();
    await identityDatabase?.drop();
    await h?.close();
  });

  test('when the replica is empty, then it is rebuilt from identity-service\'s internal listings, and later catch-ups fetch only changes', async () => {
    const adminToken = (await (await fetch(`${identityUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin-password' }),
    })).json() as { accessToken: string }).accessToken;
    const post = (path: string, body: unknown) =>
      fetch(`${identityUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminToken}` }, body: JSON.stringify(body) }).then((response) => response.json() as Promise<{ id: string }>);
    const department = await post('/departments', { name: 'Legal' });
    const member = await post('/users', { email: 'lee@example.com', password: 'long password', fullName: 'Lee Member', role: 'staff', departmentId: department.id });

    const first = await syncReplicas({ db: h.service.db, logger: createLogger({ service: 't', destination: new LogCapture() }), identityUrl, internalToken });
    assert.ok(first.users >= 2, 'admin and member');
    const replicated = await h.service.db('users').where({ id: member.id }).first();
    assert.equal(replicated.full_name, 'Lee Member');
    assert.equal(replicated.department_id, department.id);
    assert.ok(await h.service.db('departments').where({ id: department.id }).first());

    const again = await syncReplicas({ db: h.service.db, logger: createLogger({ service: 't', destination: new LogCapture() }), identityUrl, internalToken });
    assert.ok(again.users <= 1, `only what changed since the newest replicated change (${again.users})`);

    await assert.rejects(
      syncReplicas({ db: h.service.db, logger: createLogger({ service: 't', destination: new LogCapture() }), identityUrl, internalToken: 'wrong-token-for-identity' }),
      /answered 401/,
    );
  });

  test('when identity events arrive twice or out of order, then the newest state wins', async () => {
    const bus = h.service.bus;
    const now = Date.now();
    const base: UserSnapshot = {
      id: crypto.randomUUID(),
      email: 'order@example.com',
      fullName: 'First Name',
      role: 'staff',
      departmentId: null,
      isActive: true,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    };
    const newer = { ...base, fullName: 'Newest Name', updatedAt: new Date(now + 2000).toISOString() };
    const older = { ...base, fullName: 'Middle Name', updatedAt: new Date(now + 1000).toISOString() };
    await bus.publish(buildEvent('user.registered', { source: '/identity-service', subject: base.id, data: { user: base } }));
    const newest = buildEvent('user.updated', { source: '/identity-service', subject: base.id, data: { user: newer, changedFields: ['fullName'] } });
    await bus.publish(newest);
    const late = buildEvent('user.updated', { source: '/identity-service', subject: base.id, data: { user: older, changedFields: ['fullName'] } });
    await bus.publish(late);
    await bus.publish(late);
    // Handlers run concurrently: wait for both updates, whichever order they ran in.
    await waitFor('both updates to be processed', async () => (await h.service.db('inbox').whereIn('event_id', [newest.id, late.id])).length === 2);
    const row = await h.service.db('users').where({ id: base.id }).first();
    assert.equal(row.full_name, 'Newest Name');
  });
});

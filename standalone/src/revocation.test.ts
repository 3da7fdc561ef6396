import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

/** One GET per service a signed-in caller may make, through the gateway and straight to the service. */
const PROBES = [
  { name: 'identity-service', url: (p: RunningPlatform) => p.identityUrl, path: '/auth/me' },
  { name: 'incident-service', url: (p: RunningPlatform) => p.incidentUrl, path: '/incidents?limit=1' },
  { name: 'notification-service', url: (p: RunningPlatform) => p.notificationUrl, path: '/notifications?limit=1' },
  { name: 'analytics-service', url: (p: RunningPlatform) => p.analyticsUrl, path: '/analytics/summary' },
];

async function status(url: string, token: string): Promise<number> {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

describe('revoked access tokens are refused by the gateway and every service within 5 s', () => {
  let platform: RunningPlatform;
  let admin: ApiClient;
  let department: string;
  let counter = 0;

  /** Every place a token can be presented: the gateway and each service on its own port. */
  function targets(): { where: string; url: string }[] {
    return PROBES.flatMap((probe) => [
      { where: `gateway → ${probe.name}`, url: `${platform.gatewayUrl}${probe.path}` },
      { where: probe.name, url: `${probe.url(platform)}${probe.path}` },
    ]);
  }

  async function acceptedEverywhere(token: string): Promise<void> {
    for (const target of targets()) {
      // 403 is fine (a scope or role the route wants): the token itself is accepted.
      const answer = await status(target.url, token);
      assert.ok(answer !== 401, `${target.where} accepts the token before (got ${answer})`);
    }
  }

  /** Waits until every place refuses the token with 401, at most 5 s after `since`; returns the time taken. */
  async function refusedEverywhereWithin5s(token: string, since: number): Promise<number> {
    const pending = new Set(targets().map((target) => target.where));
    await waitFor(
      'every place to refuse the token',
      async () => {
        for (const target of targets()) if (pending.has(target.where) && (await status(target.url, token)) === 401) pending.delete(target.where);
        return pending.size === 0;
      },
      { timeoutMs: Math.max(0, 5_000 - (Date.now() - since)), intervalMs: 100 },
    ).catch(() => assert.fail(`still accepted after 5 s by: ${[...pending].join(', ')}`));
    return Date.now() - since;
  }

  /** A new member of staff, signed in, known to every service's replica. */
  async function staffMember(): Promise<{ id: string; accessToken: string; refreshToken: string; email: string }> {
    counter += 1;
    const email = `revoked-${counter}@example.com`;
    const password = 'correct horse battery staple 42';
    const created = await admin.call<{ id: string }>('POST', '/users', { email, password, fullName: `Revoked ${counter}`, role: 'manager', departmentId: department });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const signIn = await new ApiClient(platform.gatewayUrl).call<{ accessToken: string; refreshToken: string }>('POST', '/auth/login', { email, password });
    assert.equal(signIn.status, 200);
    const { accessToken, refreshToken } = signIn.body;
    await waitFor(`${email} known to every service`, async () => {
      for (const target of targets()) if ((await status(target.url, accessToken)) === 401) return false;
      return true;
    });
    return { id: created.body.id, accessToken, refreshToken, email };
  }

  before(async () => {
    platform = await startPlatform();
    admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const created = await admin.call<{ id: string }>('POST', '/departments', { name: 'Revocations' });
    assert.equal(created.status, 201);
    department = created.body.id;
  });

  after(async () => {
    await platform?.close();
  });

  test('when a user signs out with their refresh token, then the access token of that sign-in stops everywhere, and another sign-in of theirs goes on', async () => {
    const person = await staffMember();
    const other = await new ApiClient(platform.gatewayUrl).call<{ accessToken: string }>('POST', '/auth/login', { email: person.email, password: 'correct horse battery staple 42' });
    assert.equal(other.status, 200);
    await acceptedEverywhere(person.accessToken);
    const start = Date.now();
    const logout = await new ApiClient(platform.gatewayUrl).call('POST', '/auth/logout', { refreshToken: person.refreshToken });
    assert.equal(logout.status, 204);
    await refusedEverywhereWithin5s(person.accessToken, start);
    const refused = await fetch(`${platform.gatewayUrl}/incidents`, { headers: { Authorization: `Bearer ${person.accessToken}` } });
    assert.equal(((await refused.json()) as { code: string }).code, 'AUTH.TOKEN_REVOKED');
    await acceptedEverywhere(other.body.accessToken);
  });

  test('when a user signs out with only their access token, then that sign-in ends: its access and refresh tokens stop', async () => {
    const person = await staffMember();
    const start = Date.now();
    const logout = await fetch(`${platform.gatewayUrl}/auth/logout`, { method: 'POST', headers: { Authorization: `Bearer ${person.accessToken}` } });
    assert.equal(logout.status, 204);
    await refusedEverywhereWithin5s(person.accessToken, start);
    const refresh = await new ApiClient(platform.gatewayUrl).call('POST', '/auth/refresh', { refreshToken: person.refreshToken });
    assert.equal(refresh.status, 401);
  });

  test('when sign-out names no sign-in at all, then 400 naming refreshToken', async () => {
    const response = await new ApiClient(platform.gatewayUrl).call<{ errors: { path: string }[] }>('POST', '/auth/logout', {});
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0]?.path, '/refreshToken');
  });

  test('when an admin changes a user’s role, then their tokens stop everywhere', async () => {
    const person = await staffMember();
    const start = Date.now();
    assert.equal((await admin.call('PATCH', `/users/${person.id}`, { role: 'staff' })).status, 200);
    await refusedEverywhereWithin5s(person.accessToken, start);
  });

  test('when an admin deactivates a user, then their tokens stop everywhere', async () => {
    const person = await staffMember();
    const start = Date.now();
    assert.equal((await admin.call('PATCH', `/users/${person.id}`, { isActive: false })).status, 200);
    await refusedEverywhereWithin5s(person.accessToken, start);
  });

  test('when an admin revokes a service account, then its tokens stop everywhere', async () => {
    const created = await admin.call<{ clientId: string; clientSecret: string; id: string }>('POST', '/service-accounts', {
      name: 'Revoked monitor',
      scopes: ['incidents:read', 'analytics:read', 'users:read'],
    });
    assert.equal(created.status, 201);
    const token = await fetch(`${platform.gatewayUrl}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret }),
    });
    assert.equal(token.status, 200);
    const accessToken = ((await token.json()) as { access_token: string }).access_token;
    await acceptedEverywhere(accessToken);
    const start = Date.now();
    assert.equal((await admin.call('DELETE', `/service-accounts/${created.body.id}`)).status, 204);
    await refusedEverywhereWithin5s(accessToken, start);
  });
});

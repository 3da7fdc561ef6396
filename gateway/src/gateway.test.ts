import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportSPKI, SignJWT } from 'jose';
import type { EchoedRequest } from './test-support/fake-upstream.js';
import { closedEvent, holdEventStream, judgeDegradation, timeSequential, waitFor } from '@desk/testing';
import { startGateway, type GatewayHarness } from './test-support/harness.js';

const sha256 = (body: Buffer | string) => createHash('sha256').update(body).digest('hex');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('gateway', () => {
  let g: GatewayHarness;
  let token: string;

  before(async () => {
    g = await startGateway({ RATE_LIMIT_PER_MINUTE: '1000' });
    token = await g.tokenFor({ role: 'staff', departmentId: crypto.randomUUID() });
  });
  after(() => g?.close());

  const call = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${g.url}${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, ...init.headers } });
  const echo = async (response: Response) => (await response.json()) as EchoedRequest;

  describe('routing and bodies', () => {
    test('each prefix reaches its service; /internal and unknown paths are never routed', async () => {
      const incidents = await call('/incidents?status=OPEN');
      assert.equal(incidents.status, 200);
      assert.equal((await echo(incidents)).url, '/incidents?status=OPEN');
      assert.equal(g.incident.received.at(-1)!.url, '/incidents?status=OPEN');
      await call('/users/42');
      assert.equal(g.identity.received.at(-1)!.url, '/users/42');
      const internal = await call('/internal/users');
      assert.equal(internal.status, 404);
      assert.equal(((await internal.json()) as { code: string }).code, 'HTTP.NOT_FOUND');
      assert.equal((await call('/nowhere')).status, 404);
    });

    test('/admin/audit reaches identity-service; the rest of /admin stays the gateway\'s own', async () => {
      const audit = await call('/admin/audit?action=user.updated');
      assert.equal(audit.status, 200);
      assert.equal(g.identity.received.at(-1)!.url, '/admin/audit?action=user.updated');
      const before = g.identity.received.length;
      // Parked events are answered by the gateway (staff is refused), unknown /admin paths are a 404: neither is proxied.
      assert.equal((await call('/admin/events/parked')).status, 403);
      assert.equal((await call('/admin/nowhere')).status, 404);
      assert.equal(g.identity.received.length, before);
    });

    for (const [name, body, contentType] of [
      ['an empty body', '', 'application/json'],
      ['a 1 KB JSON body', JSON.stringify({ text: 'x'.repeat(1000) }), 'application/json'],
      ['a 1 MB JSON body', JSON.stringify({ text: 'é'.repeat(499_000) }), 'application/json; charset=utf-8'],
      ['a form body', 'grant_type=client_credentials&scope=incidents%3Aread+incidents%3Awrite&x=%C3%A9', 'application/x-www-form-urlencoded'],
    ] as const) {
      test(`when a request carries ${name}, then it reaches the service byte for byte`, async () => {
        const bytes = Buffer.from(body, 'utf8');
        const response = await call('/incidents', { method: 'POST', body: bytes, headers: { 'Content-Type': contentType } });
        assert.equal(response.status, 200);
        const seen = await echo(response);
        assert.equal(seen.bodyLength, bytes.length);
        assert.equal(seen.bodySha256, sha256(bytes));
        assert.equal(seen.headers['content-type'], contentType);
      });
    }

    test('when a body is over 1 MB, then 413 problem+json, with or without Content-Length', async () => {
      const big = Buffer.alloc(2 * 1024 * 1024, 'a');
      const declared = await call('/incidents', { method: 'POST', body: big, headers: { 'Content-Type': 'application/json' } });
      assert.equal(declared.status, 413);
      assert.match(declared.headers.get('content-type')!, /application\/problem\+json/);
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(`${g.url}/incidents`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 40) {
            sent += 1;
            if (!request.write(chunk)) return void request.once('drain', pump);
          }
          request.end();
        };
        pump();
      });
      assert.equal(status, 413);
    });

    test('when the service streams server-sent events, then they arrive one by one, not at the end', async () => {
      const response = await call('/notifications/stream'.replace('/notifications', '/incidents'), { headers: { Accept: 'text/event-stream' } });
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      const reader = response.body!.getReader();
      const arrivals: number[] = [];
      let text = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        arrivals.push(Date.now());
      }
      assert.equal((text.match(/^data:/gm) ?? []).length, 3);
      assert.ok(arrivals.length >= 3, `events came in ${arrivals.length} pieces`);
      assert.ok(arrivals.at(-1)! - arrivals[0]! >= 400, 'the first event arrived well before the last');
    });

    test('when a service does not answer in time, then 504; the gateway stays up and the next request succeeds', async () => {
      const started = Date.now();
      const timedOut = await call('/incidents/hang');
      assert.equal(timedOut.status, 504);
      assert.equal(((await timedOut.json()) as { code: string }).code, 'GATEWAY.UPSTREAM_TIMEOUT');
      assert.ok(Date.now() - started < 2000);
      assert.equal((await call('/incidents')).status, 200);
    });

    test('when a service is down, then 503 problem+json naming it', async () => {
      const down = await call('/analytics/summary');
      assert.equal(down.status, 503);
      const problem = (await down.json()) as { code: string; detail: string };
      assert.equal(problem.code, 'GATEWAY.UPSTREAM_UNAVAILABLE');
      assert.match(problem.detail, /analytics-service/);
      assert.equal((await call('/incidents')).status, 200);
    });
  });

  describe('authentication', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const claims = () => ({ iss: g.config.JWT_ISSUER, aud: g.config.JWT_AUDIENCE, sub: crypto.randomUUID(), role: 'admin', iat: now(), exp: now() + 300, jti: 'j' });
    const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', kid: g.key.kid, typ: 'at+jwt', ...header }).sign(g.key.privateKey);

    async function refused(bearer: string | undefined, why: string): Promise<void> {
      const response = await fetch(`${g.url}/incidents`, { headers: bearer === undefined ? {} : { Authorization: `Bearer ${bearer}` } });
      assert.equal(response.status, 401, why);
      assert.match(response.headers.get('content-type')!, /application\/problem\+json/);
      const challenge = response.headers.get('www-authenticate')!;
      if (bearer === undefined) assert.equal(challenge, 'Bearer realm="incident-platform"');
      else assert.match(challenge, /^Bearer realm="incident-platform", error="invalid_token"/, why);
      assert.equal(g.incident.received.filter((seen) => seen.headers.authorization === `Bearer ${bearer}`).length, 0, `${why}: never forwarded`);
    }

    test('no token', () => refused(undefined, 'no token'));
    test('alg none', () => refused(`${b64({ alg: 'none', typ: 'at+jwt' })}.${b64(claims())}.`, 'alg none'));
    test('an HMAC token signed with the public key', async () => {
      const input = `${b64({ alg: 'HS256', kid: g.key.kid, typ: 'at+jwt' })}.${b64(claims())}`;
      const signature = createHmac('sha256', await exportSPKI(g.key.publicKey)).update(input).digest('base64url');
      await refused(`${input}.${signature}`, 'HS256 with the public key');
    });
    test('wrong issuer', async () => refused(await sign({ ...claims(), iss: 'https://elsewhere' }), 'wrong iss'));
    test('wrong audience', async () => refused(await sign({ ...claims(), aud: 'another-app' }), 'wrong aud'));
    test('expired', async () => refused(await sign({ ...claims(), iat: now() - 3600, exp: now() - 1800 }), 'expired'));
    test('nbf in the future', async () => refused(await sign({ ...claims(), nbf: now() + 3600 }), 'nbf'));
    test('unknown kid', async () => refused(await sign(claims(), { kid: 'nobody-knows' }), 'unknown kid'));
    test('tampered payload', async () => {
      const [header, , signature] = (await sign(claims())).split('.');
      await refused(`${header}.${b64({ ...claims(), role: 'admin', sub: crypto.randomUUID() })}.${signature}`, 'tampered payload');
    });
    test('tampered signature', async () => {
      const [header, payload, signature] = (await sign(claims())).split('.') as [string, string, string];
      const flipped = Buffer.from(signature, 'base64url');
      flipped[5] = flipped[5]! ^ 0x01;
      await refused(`${header}.${payload}.${flipped.toString('base64url')}`, 'tampered signature');
    });
    test('missing exp', async () => {
      const { exp: _exp, ...withoutExp } = claims();
      await refused(await sign(withoutExp), 'missing exp');
    });

    test('public routes need no token: register, login, refresh, logout, token, JWKS, health, docs, openapi.json', async () => {
      for (const path of ['/auth/register', '/auth/login', '/auth/login/mfa', '/auth/login/mfa/setup', '/auth/refresh', '/auth/logout', '/auth/token', '/auth/verify', '/auth/password/forgot', '/auth/password/reset']) {
        const response = await fetch(`${g.url}${path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
        assert.equal(response.status, 200, path);
      }
      assert.equal((await fetch(`${g.url}/.well-known/jwks.json`)).status, 200);
      assert.equal((await fetch(`${g.url}/health`)).status, 503, 'health answers (analytics is down here)');
      assert.equal((await fetch(`${g.url}/docs/`)).status, 200);
      assert.equal((await fetch(`${g.url}/openapi.json`)).status, 200);
      assert.equal((await fetch(`${g.url}/auth/me`)).status, 401, 'the rest of /auth is not public');
      assert.equal((await fetch(`${g.url}/auth/password`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status, 401, 'changing a password needs a sign-in');
      assert.equal((await fetch(`${g.url}/auth/mfa/disable`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status, 401, 'one\'s own second factor needs a sign-in');
    });

    test('when an account is deactivated or changes role, then its earlier tokens stop working at the next poll', async () => {
      const id = crypto.randomUUID();
      const departmentId = crypto.randomUUID();
      const staffToken = await g.tokenFor({ id, role: 'staff', departmentId });
      assert.equal((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${staffToken}` } })).status, 200);
      const changedAt = new Date(Date.now() + 1000).toISOString();
      const user = { id, email: 'x@example.com', fullName: 'X', role: 'staff' as const, departmentId, isActive: false, createdAt: changedAt, updatedAt: changedAt };
      g.identity.changedUsers = [user];
      await g.gateway.accountChanges.poll();
      const refusedResponse = await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${staffToken}` } });
      assert.equal(refusedResponse.status, 401);
      assert.equal(((await refusedResponse.json()) as { code: string }).code, 'AUTH.TOKEN_REVOKED');
      g.identity.changedUsers = [{ ...user, isActive: true, role: 'manager', updatedAt: new Date(Date.now() + 2000).toISOString() }];
      await g.gateway.accountChanges.poll();
      assert.equal((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${staffToken}` } })).status, 401, 'role changed');
      const fresh = await g.tokenFor({ id, role: 'manager', departmentId });
      assert.equal((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${fresh}` } })).status, 200, 'a token of the new role works');
    });
  });

  describe('what reaches the services', () => {
    test('forged identity headers are removed; the token, a request id and forwarding headers are passed on', async () => {
      const response = await call('/incidents', {
        headers: { 'X-User-Id': 'admin', 'X-User-Role': 'admin', 'X-Caller': 'root', 'X-Forwarded-User': 'admin', 'X-Roles': 'admin', 'X-Request-Id': 'client-req-1' },
      });
      const seen = await echo(response);
      for (const header of ['x-user-id', 'x-user-role', 'x-caller', 'x-forwarded-user', 'x-roles']) assert.equal(seen.headers[header], undefined, header);
      assert.equal(seen.headers.authorization, `Bearer ${token}`);
      assert.equal(seen.headers['x-request-id'], 'client-req-1');
      assert.equal(response.headers.get('x-request-id'), 'client-req-1');
      assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    });

    test('CORS: the portal\'s origin is allowed, others are not', async () => {
      const allowed = await fetch(`${g.url}/incidents`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'authorization,if-match' } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:3000');
      assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /PATCH/);
      const other = await fetch(`${g.url}/incidents`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    });

    test('metrics (on the internal port) label proxied requests by service prefix, not raw path', async () => {
      await call(`/incidents/${crypto.randomUUID()}`);
      const metrics = await (await fetch(`${g.internalUrl}/metrics`)).text();
      assert.match(metrics, /http_requests_total\{method="GET",route="\/incidents\/\*",status="200"/);
      assert.doesNotMatch(metrics, /route="\/incidents\/[0-9a-f]{8}-/);
    });
  });
});

describe('gateway rate limits', () => {
  test('when a caller goes over the limit, then 429 with Retry-After and RateLimit headers, per caller', async () => {
    const g = await startGateway({ RATE_LIMIT_PER_MINUTE: '5', AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const alice = await g.tokenFor({ role: 'reporter' });
      const bob = await g.tokenFor({ role: 'reporter' });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) statuses.push((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${alice}` } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      const limited = await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${alice}` } });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.match(limited.headers.get('ratelimit') ?? '', /r=0/);
      assert.ok(limited.headers.get('ratelimit-policy'));
      assert.equal(((await limited.json()) as { code: string }).code, 'GATEWAY.RATE_LIMITED');
      assert.equal((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer ${bob}` } })).status, 200, 'another caller is not affected');

      const logins: number[] = [];
      for (let i = 0; i < 4; i += 1) logins.push((await fetch(`${g.url}/auth/login`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status);
      assert.deepEqual(logins, [200, 200, 200, 429], 'sign-in is limited more tightly');
    } finally {
      await g.close();
    }
  });

  test('when a client refreshes its session often, then only the per-caller limit applies, not the sign-in limit', async () => {
    const g = await startGateway({ RATE_LIMIT_PER_MINUTE: '100', AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const post = (path: string) => fetch(`${g.url}${path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      const refreshes: number[] = [];
      for (let i = 0; i < 5; i += 1) refreshes.push((await post('/auth/refresh')).status);
      assert.deepEqual(refreshes, [200, 200, 200, 200, 200]);
      assert.deepEqual([(await post('/auth/login')).status, (await post('/auth/login')).status, (await post('/auth/login')).status], [200, 200, 429], 'refreshes used none of the sign-in budget');
    } finally {
      await g.close();
    }
  });

  test('when a client not behind a trusted proxy invents X-Forwarded-For, then it cannot escape the limit', async () => {
    // Only 10.9.9.9 is a trusted proxy: this test's loopback connections are plain clients.
    const g = await startGateway({ AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.9.9.9' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const spoofed = `203.0.113.${i + 1}, ${randomBytes(1)[0]}.1.1.1`;
        statuses.push((await fetch(`${g.url}/auth/login`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': spoofed } })).status);
      }
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const forwarded = g.identity.received.at(-1)!.headers['x-forwarded-for'];
      assert.equal(forwarded, '127.0.0.1', 'the service sees the real address, not the invented one');
    } finally {
      await g.close();
    }
  });

  test('when the request comes through the trusted proxy, then its X-Forwarded-For is the client address', async () => {
    const g = await startGateway({ AUTH_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const from = (address: string) => fetch(`${g.url}/auth/login`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address } });
      assert.deepEqual([(await from('198.51.100.1')).status, (await from('198.51.100.1')).status, (await from('198.51.100.1')).status], [200, 200, 429]);
      assert.equal((await from('198.51.100.2')).status, 200, 'another client behind the same proxy has its own budget');
      assert.equal(g.identity.received.at(-1)!.headers['x-forwarded-for'], '198.51.100.2');
    } finally {
      await g.close();
    }
  });
});

describe('gateway upstream connections', () => {
  test('when a kept-alive upstream connection idles toward the timeout its service announces, then the gateway closes it first and the next request opens another', async () => {
    const g = await startGateway();
    try {
      // timeout=2 announced: the pool lets the connection go a second before the service would.
      g.incident.setKeepAliveTimeout(2_000);
      const token = await g.tokenFor({ role: 'admin' });
      const first = await fetch(`${g.url}/incidents/idle-check`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(first.status, 200);
      await first.text();
      const startedAt = Date.now();
      await waitFor('the gateway to close the idle connection', () => g.incident.connectionsClosedByClient === 1, { timeoutMs: 1_800 });
      assert.ok(Date.now() - startedAt < 1_800, 'closed before the service would have (2 s)');
      const second = await fetch(`${g.url}/incidents/idle-check`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(second.status, 200, 'a new connection serves the next request');
      await second.text();
    } finally {
      await g.close();
    }
  });
});

describe('gateway health and internals', () => {
  test('when every service is up, then 200 with each; when one is down, 503 naming it — states only in public, reasons on the internal port', async () => {
    const g = await startGateway({ ANALYTICS_URL: '' });
    try {
      const healthy = await fetch(`${g.url}/health`);
      assert.equal(healthy.status, 200);
      assert.deepEqual(await healthy.json(), { status: 'ok', services: { 'identity-service': 'up', 'incident-service': 'up', 'notification-service': 'up' } });
      await g.incident.stop();
      const degraded = await fetch(`${g.url}/health`);
      assert.equal(degraded.status, 503);
      const text = await degraded.text();
      assert.deepEqual(JSON.parse(text), { status: 'down', services: { 'identity-service': 'up', 'incident-service': 'down', 'notification-service': 'up' } });
      assert.doesNotMatch(text, /127\.0\.0\.1|ECONNREFUSED|latency|error|database|uptime/i, 'no reasons, hosts or timings in public');
      for (const path of ['/health/ready', '/health/live']) {
        const probe = await fetch(`${g.url}${path}`);
        assert.equal(probe.status, 200, path);
        assert.deepEqual(await probe.json(), { status: 'ok' }, path);
      }

      const detailed = await fetch(`${g.internalUrl}/health`);
      assert.equal(detailed.status, 503);
      const report = (await detailed.json()) as { checks: Record<string, { status: string; error?: string; latencyMs?: number }> };
      assert.equal(report.checks['incident-service']!.status, 'down');
      assert.match(report.checks['incident-service']!.error ?? '', /.+/, 'the reason is on the internal port');
      assert.equal(report.checks['identity-service']!.status, 'up');
    } finally {
      await g.close().catch(() => undefined);
    }
  });

  test('when a service says it is degraded, then the public /health says so for it', async () => {
    const g = await startGateway({ ANALYTICS_URL: '' });
    try {
      g.incident.healthStatus = 'degraded';
      const response = await fetch(`${g.url}/health`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok', services: { 'identity-service': 'up', 'incident-service': 'degraded', 'notification-service': 'up' } });
    } finally {
      await g.close();
    }
  });

  test('metrics are never served on the public port, in any casing or with a trailing slash, with or without a token', async () => {
    const g = await startGateway({ ANALYTICS_URL: '' });
    try {
      const token = await g.tokenFor({ role: 'admin' });
      for (const path of ['/metrics', '/METRICS', '/Metrics', '/metrics/', '/Metrics/', '/mEtRiCs', '/metrics?x=1', '/%6detrics', '//metrics']) {
        for (const headers of [{}, { Authorization: `Bearer ${token}` }] as Record<string, string>[]) {
          const response = await fetch(`${g.url}${path}`, { headers });
          const body = await response.text();
          assert.ok([401, 404].includes(response.status), `${path}: ${response.status}`);
          assert.doesNotMatch(body, /http_requests_total|# HELP/, path);
        }
      }
      const internal = await fetch(`${g.internalUrl}/metrics`);
      assert.equal(internal.status, 200);
      assert.match(await internal.text(), /http_requests_total/);
      assert.equal((await fetch(`${g.internalUrl}/incidents`)).status, 404, 'the internal port proxies nothing');
    } finally {
      await g.close();
    }
  });
});

describe('gateway limits before identity', () => {
  test('when one address sends many requests with garbage tokens, then they get 429 after the address budget', async () => {
    const g = await startGateway({ ADDRESS_RATE_LIMIT_PER_MINUTE: '20', RATE_LIMIT_PER_MINUTE: '1000' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 25; i += 1) {
        statuses.push((await fetch(`${g.url}/incidents`, { headers: { Authorization: `Bearer garbage${i}` } })).status);
      }
      assert.deepEqual(statuses.slice(0, 20), Array(20).fill(401));
      assert.deepEqual(statuses.slice(20), Array(5).fill(429));
      const limited = await fetch(`${g.url}/incidents`, { headers: { Authorization: 'Bearer garbage' } });
      assert.equal(((await limited.json()) as { code: string }).code, 'GATEWAY.RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      // Another address (through the trusted loopback proxy) keeps its own budget.
      const other = await fetch(`${g.url}/incidents`, { headers: { Authorization: 'Bearer garbage', 'X-Forwarded-For': '198.51.100.9' } });
      assert.equal(other.status, 401);
    } finally {
      await g.close();
    }
  });
});

describe('gateway event streams', () => {
  /** Opens `/notifications/stream` through the gateway and collects its text. */
  async function openStream(g: GatewayHarness, token: string) {
    const stream = await holdEventStream(`${g.url}/notifications/stream?hold=1`, token);
    assert.equal(stream.response.status, 200);
    return stream;
  }

  test('when a caller opens more streams than allowed, then the oldest is told why and closed; others keep theirs', async () => {
    const g = await startGateway({ STREAMS_PER_CALLER: '3' });
    try {
      const alice = await g.tokenFor({ role: 'reporter' });
      const bob = await g.tokenFor({ role: 'reporter' });
      const bobs = await openStream(g, bob);
      const alices: Awaited<ReturnType<typeof openStream>>[] = [];
      for (let i = 0; i < 5; i += 1) {
        alices.push(await openStream(g, alice));
        await waitFor('the stream to be held', () => g.gateway.streams.count() === Math.min(i + 1, 3) + 1);
      }
      await waitFor('the two oldest to end', () => alices[0]!.state.ended && alices[1]!.state.ended);
      for (const oldest of alices.slice(0, 2)) assert.equal(closedEvent(oldest.state.text)?.reason, 'too-many-streams');
      for (const newer of alices.slice(2)) assert.equal(newer.state.ended, false);
      assert.equal(bobs.state.ended, false, "another caller's stream is untouched");
      await waitFor('the upstream connections of the closed streams to close too', () => g.notification.openStreams === 4);
      for (const stream of [...alices, bobs]) stream.close();
    } finally {
      await g.close();
    }
  });

  test('when a caller holds as many notification streams as allowed, then their incident change streams count apart: opening them pushes none out nor spends the same opening budget, and they meet the same cap', async () => {
    const g = await startGateway({ STREAMS_PER_CALLER: '2', STREAM_OPENS_PER_MINUTE: '3' });
    try {
      const token = await g.tokenFor({ role: 'staff', departmentId: crypto.randomUUID() });
      const notifications = [await openStream(g, token), await openStream(g, token)];
      const incidents: Awaited<ReturnType<typeof holdEventStream>>[] = [];
      for (let i = 0; i < 3; i += 1) {
        const stream = await holdEventStream(`${g.url}/incidents/stream?hold=1`, token);
        assert.equal(stream.response.status, 200);
        incidents.push(stream);
      }
      await waitFor('the oldest incident stream to end', () => incidents[0]!.state.ended);
      assert.equal(closedEvent(incidents[0]!.state.text)?.reason, 'too-many-streams');
      for (const stream of [...notifications, ...incidents.slice(1)]) assert.equal(stream.state.ended, false);
      await waitFor('the incident upstream to hold two', () => g.incident.openStreams === 2);
      assert.equal(g.notification.openStreams, 2);
      for (const stream of [...notifications, ...incidents]) stream.close();
    } finally {
      await g.close();
    }
  });

  test('when the token expires, then its stream ends at once with the reason', async () => {
    const g = await startGateway();
    try {
      const stream = await openStream(g, await g.tokenFor({ role: 'reporter', ttlSeconds: 2 }));
      const opened = Date.now();
      await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 5_000 });
      assert.ok(Date.now() - opened < 3_000, `ended after ${Date.now() - opened} ms`);
      assert.equal(closedEvent(stream.state.text)?.reason, 'token-expired');
    } finally {
      await g.close();
    }
  });

  test('when the account is deactivated, then its open stream ends within the check interval, with the reason', async () => {
    const g = await startGateway({ STREAM_CHECK_INTERVAL: '200ms' });
    g.gateway.streams.start();
    try {
      const id = crypto.randomUUID();
      const departmentId = crypto.randomUUID();
      const stream = await openStream(g, await g.tokenFor({ id, role: 'staff', departmentId }));
      const other = await openStream(g, await g.tokenFor({ role: 'staff', departmentId }));
      await waitFor('both streams held', () => g.gateway.streams.count() === 2);
      const changedAt = new Date(Date.now() + 1000).toISOString();
      g.identity.changedUsers = [{ id, email: 'x@example.com', fullName: 'X', role: 'staff', departmentId, isActive: false, createdAt: changedAt, updatedAt: changedAt }];
      await g.gateway.accountChanges.poll();
      const changed = Date.now();
      await waitFor('the stream to end', () => stream.state.ended, { timeoutMs: 3_000 });
      assert.ok(Date.now() - changed < 1_500, `ended after ${Date.now() - changed} ms`);
      const closed = closedEvent(stream.state.text);
      assert.equal(closed?.reason, 'access-revoked');
      assert.match(closed?.detail ?? '', /deactivated/);
      assert.equal(other.state.ended, false, "another user's stream stays");
      other.close();
    } finally {
      await g.close();
    }
  });

  test('when a caller opens streams faster than STREAM_OPENS_PER_MINUTE, then the surplus is refused 429 before any upstream work; others open theirs', async () => {
    const g = await startGateway({ STREAM_OPENS_PER_MINUTE: '4' });
    try {
      const flooder = await g.tokenFor({ role: 'reporter' });
      const streamRequests = () => g.notification.received.filter((request) => request.url.startsWith('/notifications/stream')).length;
      const upstreamBefore = streamRequests();
      const answers = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const controller = new AbortController();
          const response = await fetch(`${g.url}/notifications/stream?hold=1`, { headers: { Authorization: `Bearer ${flooder}` }, signal: controller.signal });
          const body = response.status === 429 ? ((await response.json()) as { code: string }) : undefined;
          controller.abort();
          return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body?.code };
        }),
      );
      assert.equal(answers.filter((answer) => answer.status === 200).length, 4);
      const refused = answers.filter((answer) => answer.status === 429);
      assert.equal(refused.length, 8);
      assert.ok(refused.every((answer) => answer.code === 'GATEWAY.RATE_LIMITED' && Number(answer.retryAfter) > 0));
      assert.equal(streamRequests() - upstreamBefore, 4, 'refused opens never reached notification-service');
      const other = await openStream(g, await g.tokenFor({ role: 'reporter' }));
      other.close();
    } finally {
      await g.close();
    }
  });

  test('when one caller holds 300 streams, then other requests still get upstream connections at once', async () => {
    // No per-caller cap here: the separate pool alone must keep the other routes answering.
    const g = await startGateway({ STREAMS_PER_CALLER: '100', STREAM_OPENS_PER_MINUTE: '100000', RATE_LIMIT_PER_MINUTE: '100000', ADDRESS_RATE_LIMIT_PER_MINUTE: '100000' });
    try {
      const tokens = await Promise.all(Array.from({ length: 3 }, () => g.tokenFor({ role: 'reporter' })));
      const other = await g.tokenFor({ role: 'reporter' });
      const read = async (): Promise<void> => {
        const response = await fetch(`${g.url}/notifications?limit=5`, { headers: { Authorization: `Bearer ${other}` } });
        assert.equal(response.status, 200);
        await response.arrayBuffer();
      };
      // The same reads with no stream held: the yardstick for a machine busy with other suites.
      const quiet = await timeSequential(50, read);
      const streams = await Promise.all(Array.from({ length: 300 }, (_, i) => openStream(g, tokens[i % 3]!)));
      await waitFor('300 streams held upstream', () => g.notification.openStreams === 300, { timeoutMs: 10_000 });
      const times = await timeSequential(50, read);
      const verdict = judgeDegradation(times, quiet, { absoluteMs: 200 });
      assert.ok(verdict.ok, verdict.summary);
      for (const stream of streams) stream.close();
    } finally {
      await g.close();
    }
  });
});

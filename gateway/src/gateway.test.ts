import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { exportSPKI, SignJWT } from 'jose';
import type { EchoedRequest } from './test-support/fake-upstream.js';
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
      for (const path of ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout', '/auth/token', '/auth/verify', '/auth/password/forgot', '/auth/password/reset']) {
        const response = await fetch(`${g.url}${path}`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
        assert.equal(response.status, 200, path);
      }
      assert.equal((await fetch(`${g.url}/.well-known/jwks.json`)).status, 200);
      assert.equal((await fetch(`${g.url}/health`)).status, 503, 'health answers (analytics is down here)');
      assert.equal((await fetch(`${g.url}/docs/`)).status, 200);
      assert.equal((await fetch(`${g.url}/openapi.json`)).status, 200);
      assert.equal((await fetch(`${g.url}/auth/me`)).status, 401, 'the rest of /auth is not public');
      assert.equal((await fetch(`${g.url}/auth/password`, { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } })).status, 401, 'changing a password needs a sign-in');
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

    test('metrics label proxied requests by service prefix, not raw path', async () => {
      await call(`/incidents/${crypto.randomUUID()}`);
      const metrics = await (await fetch(`${g.url}/metrics`)).text();
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

describe('gateway health', () => {
  test('when every service is up, then 200 with each; when one is down, 503 naming it', async () => {
    const g = await startGateway({ ANALYTICS_URL: '' });
    try {
      const healthy = await fetch(`${g.url}/health`);
      const report = (await healthy.json()) as { status: string; checks: Record<string, { status: string }> };
      assert.equal(healthy.status, 200);
      assert.deepEqual(Object.keys(report.checks).sort(), ['identity-service', 'incident-service']);
      await g.incident.stop();
      const degraded = await fetch(`${g.url}/health`);
      assert.equal(degraded.status, 503);
      const down = (await degraded.json()) as { checks: Record<string, { status: string; error?: string }> };
      assert.equal(down.checks['incident-service']!.status, 'down');
      assert.equal(down.checks['identity-service']!.status, 'up');
    } finally {
      await g.close().catch(() => undefined);
    }
  });
});

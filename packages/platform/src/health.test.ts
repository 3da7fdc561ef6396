import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, LogCapture, type TestDatabase } from '@desk/testing';
import knex from 'knex';
import request from 'supertest';
import { databaseHealthCheck, type HealthCheck } from './health.js';
import { createHttpApp, createInternalApp } from './http.js';
import { createHttpMetrics } from './metrics.js';
import { createLogger } from './logger.js';

function appWith(healthChecks: HealthCheck[], strictHealth = false) {
  const logger = createLogger({ service: 'health-test', destination: new LogCapture() });
  return createHttpApp({ serviceName: 'health-test', logger, healthChecks, strictHealth }, () => {});
}

const failing = (name: string, role?: 'ready' | 'detail'): HealthCheck => ({ name, ...(role ? { role } : {}), check: () => Promise.reject(new Error(`${name} unreachable`)) });
const working = (name: string, role?: 'ready' | 'detail'): HealthCheck => ({ name, ...(role ? { role } : {}), check: () => Promise.resolve() });

describe('liveness, readiness and the report for people', () => {
  it('when only a detail check fails (the broker), then /health says degraded with 200, and the service stays ready and live', async () => {
    const app = appWith([working('database'), failing('eventBus', 'detail')]);
    const health = await request(app).get('/health').expect(200);
    assert.equal(health.body.status, 'degraded');
    assert.equal(health.body.checks.eventBus.error, 'eventBus unreachable');
    const ready = await request(app).get('/health/ready').expect(200);
    assert.deepEqual(Object.keys(ready.body.checks), ['database'], 'readiness asks only what the service cannot serve without');
    await request(app).get('/health/live').expect(200);
  });

  it('when a ready check fails (the database), then /health and /health/ready are 503, and /health/live still 200 (a restart would not help)', async () => {
    const app = appWith([failing('database'), working('eventBus', 'detail')]);
    assert.equal((await request(app).get('/health').expect(503)).body.status, 'down');
    assert.equal((await request(app).get('/health/ready').expect(503)).body.checks.database.status, 'down');
    const live = await request(app).get('/health/live').expect(200);
    assert.equal(live.body.status, 'ok');
    assert.equal(live.headers['cache-control'], 'no-store');
  });

  it('when the report is strict (the gateway over its upstreams), then any failed check makes /health 503, but not readiness', async () => {
    const app = appWith([failing('incident-service', 'detail')], true);
    assert.equal((await request(app).get('/health').expect(503)).body.status, 'down');
    await request(app).get('/health/ready').expect(200);
  });
});

describe('GET /health', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('health');
  });
  after(async () => {
    await database.drop();
  });

  it('when the database answers, then 200 with the service, uptime and the database up with its latency', async () => {
    const connection = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    try {
      const response = await request(appWith([databaseHealthCheck(connection)])).get('/health');
      assert.equal(response.status, 200);
      const body = response.body as Record<string, unknown>;
      assert.equal(body.status, 'ok');
      assert.equal(body.service, 'health-test');
      assert.equal(typeof body.uptimeSeconds, 'number');
      const checks = body.checks as Record<string, { status: string; latencyMs: number }>;
      assert.equal(checks.database?.status, 'up');
      assert.equal(typeof checks.database?.latencyMs, 'number');
      assert.equal(response.headers['cache-control'], 'no-store');
    } finally {
      await connection.destroy();
    }
  });

  it('when nothing listens on the database port, then 503 naming the database and the reason', async () => {
    const connection = knex({
      client: 'pg',
      connection: 'postgres://postgres@127.0.0.1:1/test',
      pool: { min: 0, max: 1 },
      // knex would print each refused connection attempt to the console
      log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} },
    });
    try {
      const response = await request(appWith([databaseHealthCheck(connection)])).get('/health');
      assert.equal(response.status, 503);
      const body = response.body as { status: string; checks: Record<string, { status: string; error: string }> };
      assert.equal(body.status, 'down');
      assert.equal(body.checks.database?.status, 'down');
      assert.match(body.checks.database?.error ?? '', /ECONNREFUSED 127\.0\.0\.1:1/);
    } finally {
      await connection.destroy();
    }
  });

  it('when the pool was destroyed, then 503 with the database down', async () => {
    const connection = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
    await connection.destroy();
    const response = await request(appWith([databaseHealthCheck(connection)])).get('/health');
    assert.equal(response.status, 503);
    const body = response.body as { checks: Record<string, { status: string; error: string }> };
    assert.equal(body.checks.database?.status, 'down');
    assert.ok(body.checks.database?.error);
  });

  it('when a check hangs past its timeout, then it is reported down as timed out', async () => {
    const connection = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 1 } });
    const busy = connection.raw('select pg_sleep(0.5)').then(() => undefined);
    try {
      const response = await request(appWith([databaseHealthCheck(connection, { timeoutMs: 100 })])).get('/health');
      assert.equal(response.status, 503);
      const body = response.body as { checks: Record<string, { error: string }> };
      assert.equal(body.checks.database?.error, 'timed out after 100 ms');
    } finally {
      await busy;
      await connection.destroy();
    }
  });

  it('when there are several checks, then they run in parallel and each is reported', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const slow = (name: string): HealthCheck => ({
      name,
      async check() {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
        return { version: name };
      },
    });
    const response = await request(appWith([slow('broker'), slow('mail')])).get('/health');
    assert.equal(mostAtOnce, 2);
    const body = response.body as { checks: Record<string, { status: string; version: string }> };
    assert.equal(body.checks.broker?.version, 'broker');
    assert.equal(body.checks.mail?.status, 'up');
  });
});

describe('an app facing the public, its internals elsewhere', () => {
  const logger = createLogger({ service: 'health-test', destination: new LogCapture() });
  const checks = [working('identity-service'), failing('incident-service'), { name: 'notification-service', check: () => Promise.resolve({ degraded: true, host: 'db.internal:5432' }) }];
  const metrics = createHttpMetrics('public-test');
  const publicApp = createHttpApp({ serviceName: 'public-test', logger, healthChecks: checks, strictHealth: true, metrics, internals: 'elsewhere' }, () => {});
  const internalApp = createInternalApp({ serviceName: 'public-test', logger, healthChecks: checks, strictHealth: true, metrics });

  it('when a check fails, then the public /health names only states, and the internal one gives the reasons', async () => {
    const response = await request(publicApp).get('/health').expect(503);
    assert.deepEqual(response.body, { status: 'down', services: { 'identity-service': 'up', 'incident-service': 'down', 'notification-service': 'degraded' } });
    const detailed = await request(internalApp).get('/health').expect(503);
    assert.equal(detailed.body.checks['incident-service'].error, 'incident-service unreachable');
    assert.equal(detailed.body.checks['notification-service'].host, 'db.internal:5432');
  });

  it('when /metrics is asked of the public app in any spelling, then it is not there; the internal app has it', async () => {
    for (const path of ['/metrics', '/METRICS', '/Metrics/', '/metrics/']) {
      const response = await request(publicApp).get(path);
      assert.equal(response.status, 404, path);
      assert.doesNotMatch(response.text, /# HELP/);
    }
    await request(internalApp).get('/metrics').expect(200).expect(/http_requests_total/);
    await request(internalApp).get('/anything').expect(404);
  });

  it('when probed, then the public liveness and readiness answer their status only', async () => {
    assert.deepEqual((await request(publicApp).get('/health/live').expect(200)).body, { status: 'ok' });
    // incident-service's check is a `ready` one here, and fails: not ready, and nothing said of why.
    assert.deepEqual((await request(publicApp).get('/health/ready').expect(503)).body, { status: 'down' });
  });
});

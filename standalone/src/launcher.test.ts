import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, waitFor } from '@desk/testing';
import { ensurePortalBuild } from './portal.js';

// test-needs: portal-build

const repositoryRoot = path.resolve(__dirname, '..', '..');


interface Launch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: Record<string, string>): Launch {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'standalone/src/main.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Resolves once the launcher says it is running; fails at once, with its output, if it exits first. */
async function untilRunning(run: Launch, timeoutMs = 120_000): Promise<void> {
  let settled = false;
  const running = waitFor('the platform to report itself running', () => run.output().includes('The incident platform is running.'), { timeoutMs, intervalMs: 100 });
  const exitedFirst = run.exited.then((code) => {
    if (!settled) throw new Error(`The launcher exited (code ${code}) before it was running`);
  });
  try {
    await Promise.race([running, exitedFirst]);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- launcher output ---\n${run.output().slice(-3000)}`, { cause: error });
  } finally {
    settled = true;
    running.catch(() => undefined);
    exitedFirst.catch(() => undefined);
  }
}

function postgresProcessesFor(dataDir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${path.join(dataDir, 'postgres')}`]).toString().trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'desk-launcher-'));
// The launcher builds the portal when it has to; the test's clock starts with a current build.
before(() => ensurePortalBuild(() => undefined));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('npm start: the whole platform from one command — seeded, reachable through the gateway, stopped cleanly, quick to start again', async () => {
  const ports = { GATEWAY_PORT: await freePort(), IDENTITY_PORT: await freePort(), INCIDENT_PORT: await freePort(), NOTIFICATION_PORT: await freePort(), ANALYTICS_PORT: await freePort(), INBOUND_SMTP_PORT: await freePort(), EMBEDDED_POSTGRES_PORT: await freePort(), PORTAL_PORT: await freePort() };
  // One week of the demo's history (demo-history.test.ts checks all eight): this test is about the launcher.
  const env = { DATA_DIR: dataDir, DEMO_HISTORY_WEEKS: '1', ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])) };
  const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;

  const launched = new Date();
  const first = launch(env);
  try {
    await untilRunning(first);
    assert.match(first.output(), /Seeding the demo organisation: IT \(1\/3\)/, 'seeding shows progress');
    assert.match(first.output(), /manager\.it@example\.com/);
    assert.match(first.output(), /Mail\s+\S+\/mail \(\.eml files\)/, 'without SMTP_URL mail goes to the local mailbox');

    const health = await fetch(`${gateway}/health`);
    assert.equal(health.status, 200, await health.clone().text());
    // The web portal comes with it, pointed at this gateway and allowed by its CORS policy.
    assert.match(first.output(), new RegExp(`Portal\\s+http://localhost:${ports.PORTAL_PORT}`));
    const portal = `http://127.0.0.1:${ports.PORTAL_PORT}`;
    assert.equal((await fetch(`${portal}/health`)).status, 200);
    const signIn = await fetch(`${portal}/login`);
    assert.equal(signIn.status, 200);
    assert.match(await signIn.text(), new RegExp(`http://localhost:${ports.GATEWAY_PORT}`), 'the page carries the gateway URL browsers use');
    const preflight = await fetch(`${gateway}/incidents`, { method: 'OPTIONS', headers: { Origin: `http://localhost:${ports.PORTAL_PORT}`, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), `http://localhost:${ports.PORTAL_PORT}`);
    const login = await fetch(`${gateway}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'admin-password' }),
    });
    assert.equal(login.status, 200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const today = `createdFrom=${encodeURIComponent(launched.toISOString())}`;
    const incidents = (await (await fetch(`${gateway}/incidents?limit=100&${today}`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as {
      items: { status: string }[];
    };
    assert.equal(incidents.items.length, 24, 'eight demo incidents of today in each of three departments');
    assert.match(first.output(), /history: \d+ incidents/, 'and a week of history before them');
    assert.deepEqual(new Set(incidents.items.map((incident) => incident.status)), new Set(['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED']));

    // A second run on the same data directory, or on the same ports, refuses with a clear message.
    const sameData = launch({ ...env, GATEWAY_PORT: String(await freePort()), IDENTITY_PORT: String(await freePort()), INCIDENT_PORT: String(await freePort()), NOTIFICATION_PORT: String(await freePort()), ANALYTICS_PORT: String(await freePort()), INBOUND_SMTP_PORT: String(await freePort()), EMBEDDED_POSTGRES_PORT: String(await freePort()) });
    assert.equal(await sameData.exited, 1);
    assert.match(sameData.output(), /is in use by another run of the platform \(process \d+\)/);
    const otherDir = mkdtempSync(path.join(tmpdir(), 'desk-launcher-other-'));
    const samePorts = launch({ ...env, DATA_DIR: otherDir });
    assert.equal(await samePorts.exited, 1);
    assert.match(samePorts.output(), new RegExp(`Port ${ports.GATEWAY_PORT} is already in use.*set GATEWAY_PORT`));
    assert.doesNotMatch(samePorts.output(), /\n\s+at /, 'no stack trace');
    rmSync(otherDir, { recursive: true, force: true });
  } finally {
    first.child.kill('SIGTERM');
  }
  assert.equal(await first.exited, 0, first.output().slice(-2000));
  assert.deepEqual(postgresProcessesFor(dataDir), [], 'embedded Postgres stopped with it');

  const started = Date.now();
  const second = launch(env);
  try {
    await untilRunning(second, 60_000);
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 20, `ready again in ${seconds.toFixed(1)} s`);
    assert.doesNotMatch(second.output(), /Seeding/, 'the data is reused, not seeded again');
    const login = await fetch(`${gateway}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'staff1.it@example.com', password: 'demo-password-2026' }),
    });
    assert.equal(login.status, 200, 'the data survived the restart');
  } finally {
    second.child.kill('SIGINT');
  }
  assert.equal(await second.exited, 0, second.output().slice(-3000));
  assert.deepEqual(postgresProcessesFor(dataDir), []);
});

test('with SEED_DEMO=false and a chosen admin, the platform starts empty but for that admin', async () => {
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'desk-launcher-empty-'));
  const ports = { GATEWAY_PORT: await freePort(), IDENTITY_PORT: await freePort(), INCIDENT_PORT: await freePort(), NOTIFICATION_PORT: await freePort(), ANALYTICS_PORT: await freePort(), INBOUND_SMTP_PORT: await freePort(), EMBEDDED_POSTGRES_PORT: await freePort() };
  const run = launch({
    DATA_DIR: emptyDir,
    SEED_DEMO: 'false',
    PORTAL: 'false',
    ADMIN_EMAIL: 'root@example.org',
    ADMIN_PASSWORD: 'a chosen password',
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  });
  try {
    await untilRunning(run);
    assert.doesNotMatch(run.output(), /Seeding|Demo users|Portal/);
    assert.match(run.output(), /Sign in as the admin: root@example\.org \/ a chosen password/);
    const gateway = `http://127.0.0.1:${ports.GATEWAY_PORT}`;
    const login = await fetch(`${gateway}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'root@example.org', password: 'a chosen password' }) });
    assert.equal(login.status, 200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const incidents = (await (await fetch(`${gateway}/incidents`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as { items: unknown[] };
    assert.deepEqual(incidents.items, []);
  } finally {
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.deepEqual(postgresProcessesFor(emptyDir), []);
    rmSync(emptyDir, { recursive: true, force: true });
  }
});

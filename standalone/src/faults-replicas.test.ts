import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createIncidentService, incidentConfigSchema, type IncidentService } from '@desk/incident-service';
import { RabbitMqEventBus } from '@desk/messaging';
import { createNotificationService, notificationConfigSchema, type NotificationService } from '@desk/notification-service';
import { createLogger, listen, loadConfig } from '@desk/platform';
import { LogCapture, freePort, testAmqpUrl, waitFor } from '@desk/testing';
import { fileIncident, report, settle, setUpDesk } from './test-support/faults.js';
import { ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

// The fault suite, part 4: more than one replica of a service, and a replica stopped under load,
// against real Postgres, RabbitMQ and SMTP.

const repositoryRoot = path.resolve(__dirname, '..', '..');
const logger = (name: string) => createLogger({ service: name, level: 'warn', destination: new LogCapture() });

/** A POST on a connection of its own, as a load balancer's new connection would be. */
function post(url: string, token: string, body: unknown): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` } }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(JSON.stringify(body));
  });
}

describe('fault suite: replicas (Postgres, RabbitMQ, SMTP, every service)', () => {
  let platform: RunningPlatform;
  let reporter: ApiClient;
  let categoryId: string;

  before(async () => {
    platform = await startPlatform({ incident: { SLA_CHECK_INTERVAL: '300ms' } });
    ({ reporter, categoryId } = await setUpDesk(platform, { email: 'replicas@example.com', password: 'kettle-orbit-meadow', fullName: 'Rory Replica' }));
  });

  after(() => platform?.close());

  test('7. two replicas of incident-service and of notification-service: each event handled once, the relay fails over when a replica is killed, each SLA breach marked and announced once', async (t) => {
    const busFor = async (name: string) => {
      const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: logger(name), connectionName: `replica ${name}`, namespace: platform.namespace });
      await bus.waitUntilConnected();
      return bus;
    };
    const incidentBus = await busFor('incident-service-2');
    const incidents2: IncidentService = await createIncidentService({
      config: loadConfig(incidentConfigSchema, { DATABASE_URL: platform.databaseUrl, IDENTITY_URL: platform.identityUrl, INTERNAL_API_TOKEN: platform.internalToken, JWT_ISSUER: platform.gatewayUrl, SLA_CHECK_INTERVAL: '300ms' }),
      logger: logger('incident-service-2'),
      bus: incidentBus,
    });
    const server2: Server = await listen(incidents2.app, { port: 0, host: '127.0.0.1', logger: logger('incident-service-2') });
    const incidentUrl2 = `http://127.0.0.1:${(server2.address() as AddressInfo).port}`;
    await incidents2.start();
    const notificationBus = await busFor('notification-service-2');
    const notifications2: NotificationService = await createNotificationService({
      config: loadConfig(notificationConfigSchema, {
        DATABASE_URL: platform.databaseUrl,
        IDENTITY_URL: platform.identityUrl,
        INCIDENT_URL: platform.incidentUrl,
        INTERNAL_API_TOKEN: platform.internalToken,
        SMTP_URL: platform.smtp.url,
        PUBLIC_APP_URL: 'https://desk.example.com',
        JWT_ISSUER: platform.gatewayUrl,
      }),
      logger: logger('notification-service-2'),
      bus: notificationBus,
    });
    await notifications2.start();
    let killed = false;
    const kill = async () => {
      if (killed) return;
      killed = true;
      server2.closeAllConnections();
      await new Promise((resolve) => server2.close(resolve));
      await incidents2.stop();
      await notifications2.stop();
      await incidentBus.close();
      await notificationBus.close();
    };
    try {
      // Filed through both replicas of incident-service, handled by both of notification-service.
      const direct = (url: string) => {
        const client = new ApiClient(url);
        client.token = reporter.token;
        return client;
      };
      const filed: { id: string; key: string }[] = [];
      for (let index = 0; index < 30; index += 1) {
        filed.push(await fileIncident(direct(index % 2 === 0 ? platform.incidentUrl : incidentUrl2), categoryId, `Replicated ${index + 1} ${randomUUID().slice(0, 4)}`));
      }
      // Their response targets passed: both replicas' SLA jobs look for breaches at once.
      await platform.incidents.db('incidents').whereIn('id', filed.map((incident) => incident.id)).update({ response_due_at: platform.incidents.db.raw("now() - interval '1 minute'") });
      await waitFor(
        'every response breach marked',
        async () => (await platform.incidents.db('incidents').whereIn('id', filed.map((incident) => incident.id)).whereNotNull('response_breached_at')).length === filed.length,
        { timeoutMs: 15_000 },
      );
      const breaches = await platform.incidents.db('outbox').whereIn('subject', filed.map((incident) => incident.id)).where({ type: 'incident.sla_breached' }).select('subject');
      assert.equal(breaches.length, filed.length, 'each breach announced once');

      // The second replica dies with events it wrote still in its outbox: the first one's relay publishes them.
      await incidents2.outbox.stop();
      const orphans: { id: string; key: string }[] = [];
      for (let index = 0; index < 5; index += 1) orphans.push(await fileIncident(direct(incidentUrl2), categoryId, `Written before the kill ${index + 1}`));
      await kill();
      const figures = await settle(platform, [...filed, ...orphans].map((incident) => incident.id), 60_000);
      report(t, 'case 7 (two replicas each, one killed)', figures, { breaches: breaches.length, writtenBeforeTheKill: orphans.length }, platform);
      assert.equal(figures.lost, 0);
      assert.equal(figures.duplicates, 0);
      assert.equal(figures.parked, 0);
    } finally {
      await kill();
    }
  });

  test('8. SIGTERM under load: requests in flight complete, nothing is lost, and the replica exits well inside the Kubernetes grace period (30 s)', async (t) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'incident-service/src/main.ts'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: platform.databaseUrl,
        AMQP_URL: testAmqpUrl(),
        AMQP_NAMESPACE: platform.namespace,
        IDENTITY_URL: platform.identityUrl,
        INTERNAL_API_TOKEN: platform.internalToken,
        JWT_ISSUER: platform.gatewayUrl,
        // Readiness fails for a second before the listener closes: the balancer below stops routing.
        SHUTDOWN_DRAIN_MS: '1000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('the replica to be ready', async () => (await fetch(`${url}/health/ready`).catch(() => undefined))?.status === 200, { timeoutMs: 60_000, intervalMs: 200 });
    } catch (error) {
      child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}\n${output.slice(-3000)}`, { cause: error });
    }

    const created: string[] = [];
    const outcomes = new Map<string, number>();
    let stopping = false;
    let routing = true;
    let sent = 0;
    // A load balancer: routes to the replica while its readiness answers 200, as Traefik or a Service would.
    const balancer = (async () => {
      while (!stopping && routing) {
        const ready = await fetch(`${url}/health/ready`).catch(() => undefined);
        if (ready?.status !== 200) routing = false;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const worker = async () => {
      while (!stopping && routing) {
        sent += 1;
        const result = await post(`${url}/incidents`, reporter.token, { title: `Under load ${sent}`, description: 'SIGTERM test', categoryId });
        const outcome = 'error' in result ? result.error : String(result.status);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if ('status' in result && result.status === 201) created.push((JSON.parse(result.body) as { id: string }).id);
        if ('error' in result) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 16 }, () => worker());
    await waitFor('the load to be going', () => created.length >= 50, { timeoutMs: 30_000, intervalMs: 20 });
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    const exitedAfterMs = Date.now() - signalledAt;
    stopping = true;
    await Promise.all(workers);
    await balancer;

    const figures = await settle(platform, created, 60_000);
    report(t, 'case 8 (SIGTERM under load)', figures, { exitedAfterMs, exitCode: String(code), ...Object.fromEntries([...outcomes].map(([outcome, count]) => [`answered ${outcome}`, count])) }, platform);
    assert.equal(code, 0, output.slice(-2000));
    assert.ok(exitedAfterMs < 30_000, `exited ${exitedAfterMs} ms after SIGTERM`);
    // Refused connections would be requests that never got in (the listener had closed); none may break off.
    const broken = [...outcomes.keys()].filter((outcome) => outcome !== '201' && outcome !== 'ECONNREFUSED');
    assert.deepEqual(broken, [], `every request either completed or was never taken: ${JSON.stringify([...outcomes])}`);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicates, 0);
    assert.equal(figures.parked, 0);
  });
});

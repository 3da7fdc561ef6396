/**
 * What the notification and webhook latency benchmarks share: incident-service and
 * notification-service as in production — each on its own RabbitMQ connection, with its own
 * schema in Postgres — in this process, an SMTP server (the @desk/testing sink) in this
 * process too, an organisation of one department with a reporter per incident, and the load:
 * status changes at an even pace. identity-service is played by the bench: it signs tokens and
 * publishes `user.registered` events, as identity would.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { buildEvent, type Incident, type UserRole, type UserSnapshot } from '@desk/contracts';
import { createIncidentService, incidentConfigSchema, type IncidentService } from '@desk/incident-service';
import { RabbitMqEventBus } from '@desk/messaging';
import { createNotificationService, notificationConfigSchema, type NotificationService } from '@desk/notification-service';
import { closeServer, createLogger, listen, loadConfig } from '@desk/platform';
import { EventRecorder, SmtpSink, testAmqpUrl, uniqueBrokerNamespace, waitFor } from '@desk/testing';
import { createLocalJWKSet } from 'jose';
import pg from 'pg';
import { createBenchKeys, tokenSigner } from '../incidents/service.js';
import { ensureDatabase } from '../incidents/database.js';

export const say = (line: string) => process.stdout.write(`${line}\n`);
export const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;

/** p50 / p95 / p99 of the finite values, as a table cell. */
export function stage(values: number[]): string {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return `${percentile(sorted, 0.5)} / ${percentile(sorted, 0.95)} / ${percentile(sorted, 0.99)}`;
}

export interface BenchPlatform {
  incidents: IncidentService;
  notifications: NotificationService;
  smtp: SmtpSink;
  /** Every incident event, with when the bench's own consumer got it. */
  recorder: EventRecorder;
  /** The admin's token and an authenticated call to incident-service. */
  adminToken: string;
  call<T>(method: string, path: string, token: string, body: unknown): Promise<T>;
  filed: Incident[];
  /** Status changes (OPEN ⇄ IN_PROGRESS by staff) at `rate` per second for `seconds`, round-robin over the incidents. */
  drive(rate: number, seconds: number, progress: (sent: number) => string): Promise<{ changes: { id: string; version: number }[]; failures: string[]; elapsedSeconds: number }>;
  close(): Promise<void>;
}

export async function startBenchPlatform(options: { databaseUrl: string; incidents: number; notification?: Record<string, string>; incident?: Record<string, string>; namespace: string }): Promise<BenchPlatform> {
  const name = new URL(options.databaseUrl).pathname.slice(1);
  if (!name.startsWith('desk_bench')) throw new Error(`refusing to reset ${name}: the latency benchmarks only use desk_bench_* databases`);
  await ensureDatabase(options.databaseUrl);
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  await client.query('drop schema if exists incident cascade; drop schema if exists notification cascade');
  await client.end();

  const logger = (service: string) => createLogger({ service, level: 'warn' });
  const namespace = uniqueBrokerNamespace(options.namespace);
  const busFor = async (service: string) => {
    const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: logger(service), connectionName: `bench ${service}`, namespace });
    await bus.waitUntilConnected();
    return bus;
  };
  const keys = await createBenchKeys();
  const sign = await tokenSigner(keys);
  const jwks = createLocalJWKSet({ keys: [keys.publicJwk] });

  const smtp = await new SmtpSink({ headersOnly: true }).start();
  const identityBus = await busFor('identity-service');
  const incidentBus = await busFor('incident-service');
  const notificationBus = await busFor('notification-service');
  const recorder = new EventRecorder('incident');
  await identityBus.subscribe('bench-recorder', recorder.handlers());

  const incidents = await createIncidentService({
    config: loadConfig(incidentConfigSchema, { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: options.databaseUrl, SLA_CHECK_INTERVAL: '1h', ...options.incident }),
    logger: logger('incident-service'),
    bus: incidentBus,
    verificationKeys: jwks,
    syncReplicas: false,
  });
  const notifications = await createNotificationService({
    config: loadConfig(notificationConfigSchema, { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL: options.databaseUrl, SMTP_URL: smtp.url, ...options.notification }),
    logger: logger('notification-service'),
    bus: notificationBus,
    verificationKeys: jwks,
    syncReplicas: false,
  });
  await incidents.start();
  await notifications.start();
  const server: Server = await listen(incidents.app, { port: 0, host: '127.0.0.1', logger: logger('incident-service') });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    await closeServer(server, { deadlineMs: 2_000 });
    await notifications.stop();
    await incidents.stop();
    await identityBus.deleteTopology().catch(() => undefined);
    for (const bus of [identityBus, incidentBus, notificationBus]) await bus.close();
    await smtp.stop();
  };

  try {
    // The organisation: one department, its staff, and a reporter per incident.
    const department = randomUUID();
    const now = new Date().toISOString();
    const user = (role: UserRole, departmentId: string | null): UserSnapshot => ({
      id: randomUUID(), email: `${role}-${randomUUID().slice(0, 8)}@bench.example.com`, fullName: `Bench ${role}`, role, departmentId, isActive: true, createdAt: now, updatedAt: now,
    });
    const admin = user('admin', null);
    const staff = user('staff', department);
    const reporters = Array.from({ length: options.incidents }, () => user('reporter', null));
    await identityBus.publish(buildEvent('department.created', { source: '/identity-service', subject: department, data: { department: { id: department, name: 'Bench', description: null, createdAt: now, updatedAt: now } } }));
    for (const person of [admin, staff, ...reporters]) await identityBus.publish(buildEvent('user.registered', { source: '/identity-service', subject: person.id, data: { user: person } }));
    await waitFor('users in both replicas', async () => {
      const [a, b] = await Promise.all([incidents.db('users').count<{ count: string }[]>('* as count'), notifications.db('users').count<{ count: string }[]>('* as count')]);
      return Number(a[0]!.count) === reporters.length + 2 && Number(b[0]!.count) === reporters.length + 2;
    }, { timeoutMs: 60_000 });
    await waitFor('the department in incident-service', async () => (await incidents.db('departments').where({ id: department }).first()) !== undefined);

    const call = async <T>(method: string, path: string, token: string, body: unknown): Promise<T> => {
      const response = await fetch(`${base}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };
    const adminToken = await sign({ id: admin.id, role: 'admin', departmentId: null });
    const staffToken = await sign({ id: staff.id, role: 'staff', departmentId: department });
    const category = await call<{ id: string }>('POST', '/categories', adminToken, { name: 'Bench category', departmentId: department });
    const filed: Incident[] = [];
    for (const reporter of reporters) {
      const token = await sign({ id: reporter.id, role: 'reporter', departmentId: null });
      filed.push(await call<Incident>('POST', '/incidents', token, { title: `Bench incident ${filed.length + 1}`, description: 'Latency benchmark.', categoryId: category.id }));
    }

    const drive: BenchPlatform['drive'] = async (rate, seconds, progress) => {
      const status = new Map(filed.map((incident) => [incident.id, 'OPEN']));
      const changes: { id: string; version: number }[] = [];
      const failures: string[] = [];
      const pending: Promise<void>[] = [];
      // An incident whose last change is still unanswered is passed over for the next one: two
      // changes of one incident in flight can arrive in the other order, and the second then
      // asks for the status the incident already has — answered 200, changing nothing, and
      // expected here as a mail or delivery that no event exists for.
      const inFlight = new Set<string>();
      let turn = 0;
      const startedAt = performance.now();
      const total = rate * seconds;
      for (let sent = 0; sent < total; sent += 1) {
        const due = startedAt + (sent * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        // every incident busy (only on a machine far behind the rate): wait for one
        while (inFlight.size === filed.length) await new Promise((resolve) => setTimeout(resolve, 1));
        while (inFlight.has(filed[turn % filed.length]!.id)) turn += 1;
        const incident = filed[turn % filed.length]!;
        turn += 1;
        const next = status.get(incident.id) === 'OPEN' ? 'IN_PROGRESS' : 'OPEN';
        status.set(incident.id, next);
        inFlight.add(incident.id);
        pending.push(
          call<Incident>('PATCH', `/incidents/${incident.id}`, staffToken, { status: next })
            .then(
              (changed) => void changes.push({ id: changed.id, version: changed.version }),
              (error: unknown) => void failures.push(String(error)),
            )
            .finally(() => inFlight.delete(incident.id)),
        );
        if (sent % (rate * 10) === 0 && sent > 0) say(`  ${sent} changes sent, ${progress(sent)}`);
      }
      await Promise.all(pending);
      return { changes, failures, elapsedSeconds: (performance.now() - startedAt) / 1000 };
    };
    return { incidents, notifications, smtp, recorder, adminToken, call, filed, drive, close };
  } catch (error) {
    await close();
    throw error;
  }
}

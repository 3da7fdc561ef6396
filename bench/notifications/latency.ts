/**
 * Notification latency: 100 status changes per second for a minute, each one a mail to the
 * incident's reporter; from the change's commit to the mail accepted by an SMTP server, p99
 * must stay under 1 s, and no mail may be lost or doubled.
 *
 * incident-service and notification-service run as in production — each on its own RabbitMQ
 * connection, with its own schema in Postgres — in this process, with an SMTP server (the
 * @desk/testing sink) in this process too. identity-service is played by the bench: it signs
 * tokens and publishes `user.registered` events, as identity would.
 *
 *   node --conditions=source --import tsx bench/notifications/latency.ts [--rate 100] [--seconds 60]
 */
import { appendFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { buildEvent, type Incident, type UserRole, type UserSnapshot } from '@desk/contracts';
import { createIncidentService, incidentConfigSchema } from '@desk/incident-service';
import { RabbitMqEventBus } from '@desk/messaging';
import { createNotificationService, notificationConfigSchema } from '@desk/notification-service';
import { closeServer, createLogger, listen, loadConfig } from '@desk/platform';
import { EventRecorder, SmtpSink, testAmqpUrl, uniqueBrokerNamespace, waitFor } from '@desk/testing';
import { createLocalJWKSet } from 'jose';
import pg from 'pg';
import { createBenchKeys, tokenSigner } from '../incidents/service.js';
import { ensureDatabase } from '../incidents/database.js';

const { values: options } = parseArgs({
  options: {
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '60' },
    incidents: { type: 'string', default: '200' },
  },
});
const RATE = Number(options.rate);
const SECONDS = Number(options.seconds);
const INCIDENTS = Number(options.incidents);
const DATABASE_URL = process.env.BENCH_NOTIFICATIONS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_notifications';
const RESULTS = join(__dirname, '..', 'RESULTS.md');
const TARGET_P99_MS = 1_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const percentile = (sorted: number[], fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;

async function freshDatabase(): Promise<void> {
  const name = new URL(DATABASE_URL).pathname.slice(1);
  if (!name.startsWith('desk_bench')) throw new Error(`refusing to reset ${name}: the notification benchmark only uses desk_bench_* databases`);
  await ensureDatabase(DATABASE_URL);
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query('drop schema if exists incident cascade; drop schema if exists notification cascade');
  await client.end();
}

async function main(): Promise<void> {
  await freshDatabase();
  const logger = (service: string) => createLogger({ service, level: 'warn' });
  const namespace = uniqueBrokerNamespace('bench-notifications');
  const busFor = async (name: string) => {
    const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: logger(name), connectionName: `bench ${name}`, namespace });
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
    config: loadConfig(incidentConfigSchema, { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL, SLA_CHECK_INTERVAL: '1h' }),
    logger: logger('incident-service'),
    bus: incidentBus,
    verificationKeys: jwks,
    syncReplicas: false,
  });
  const notifications = await createNotificationService({
    config: loadConfig(notificationConfigSchema, { NODE_ENV: 'production', LOG_LEVEL: 'warn', DATABASE_URL, SMTP_URL: smtp.url }),
    logger: logger('notification-service'),
    bus: notificationBus,
    verificationKeys: jwks,
    syncReplicas: false,
  });
  await incidents.start();
  await notifications.start();
  const server = await listen(incidents.app, { port: 0, host: '127.0.0.1', logger: logger('incident-service') });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  try {
    // The organisation: one department, its staff, and a reporter per incident.
    const department = randomUUID();
    const now = new Date().toISOString();
    const user = (role: UserRole, departmentId: string | null): UserSnapshot => ({
      id: randomUUID(), email: `${role}-${randomUUID().slice(0, 8)}@bench.example.com`, fullName: `Bench ${role}`, role, departmentId, isActive: true, createdAt: now, updatedAt: now,
    });
    const admin = user('admin', null);
    const staff = user('staff', department);
    const reporters = Array.from({ length: INCIDENTS }, () => user('reporter', null));
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
    await waitFor('the receipts', () => smtp.mails.length >= filed.length, { timeoutMs: 60_000 });
    const receipts = smtp.mails.length;
    say(`${filed.length} incidents filed, ${receipts} receipts mailed; now ${RATE} status changes per second for ${SECONDS} s…`);

    // The load: evenly paced, round-robin over the incidents (OPEN ⇄ IN_PROGRESS by staff).
    const status = new Map(filed.map((incident) => [incident.id, 'OPEN']));
    const changes: { id: string; version: number }[] = [];
    const failures: string[] = [];
    const pending: Promise<void>[] = [];
    const startedAt = performance.now();
    const total = RATE * SECONDS;
    for (let sent = 0; sent < total; sent += 1) {
      const due = startedAt + (sent * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const incident = filed[sent % filed.length]!;
      const next = status.get(incident.id) === 'OPEN' ? 'IN_PROGRESS' : 'OPEN';
      status.set(incident.id, next);
      pending.push(
        call<Incident>('PATCH', `/incidents/${incident.id}`, staffToken, { status: next }).then(
          (changed) => void changes.push({ id: changed.id, version: changed.version }),
          (error: unknown) => void failures.push(String(error)),
        ),
      );
      if (sent % (RATE * 10) === 0 && sent > 0) say(`  ${sent} changes sent, ${smtp.mails.length - receipts} mails so far`);
    }
    await Promise.all(pending);
    const expected = changes.length;
    await waitFor(`${expected} status-change mails`, () => smtp.mails.length - receipts >= expected, { timeoutMs: 120_000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // would a doubled mail still come?

    // Latency: the event's incident.updatedAt (set inside the changing transaction, so at or
    // before its commit) to the moment the SMTP server accepted the mail naming that event.
    const committedAt = new Map<string, number>();
    for (const event of recorder.ofType('incident.status_changed')) committedAt.set(event.id, Date.parse(event.data.incident.updatedAt));
    const mails = smtp.mails.filter((mail) => committedAt.has(mail.headers.get('x-desk-event-id') ?? ''));
    const perEvent = new Map<string, number>();
    for (const mail of mails) perEvent.set(mail.headers.get('x-desk-event-id')!, (perEvent.get(mail.headers.get('x-desk-event-id')!) ?? 0) + 1);
    const doubled = [...perEvent.values()].filter((count) => count > 1).length;
    // Every successful change must have produced its mail by now.
    const lost = expected - perEvent.size;
    const latencies = mails.map((mail) => mail.receivedAt - committedAt.get(mail.headers.get('x-desk-event-id')!)!).sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p95 = percentile(latencies, 0.95);
    const p99 = percentile(latencies, 0.99);
    const max = latencies.at(-1) ?? Number.NaN;
    const pass = p99 < TARGET_P99_MS && lost === 0 && doubled === 0 && failures.length === 0;
    // Where the time goes: commit → on the broker (a consumer of the bench's own got it) →
    // recorded by notification-service (its delivery row) → accepted by the SMTP server.
    const recorded = new Map(
      (await notifications.db('deliveries').whereIn('event_id', [...committedAt.keys()]).select<{ event_id: string; created_at: Date }[]>('event_id', 'created_at')).map((row) => [row.event_id, row.created_at.getTime()]),
    );
    const stage = (values: number[]) => {
      const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
      return `${percentile(sorted, 0.5)} / ${percentile(sorted, 0.95)} / ${percentile(sorted, 0.99)}`;
    };
    const eventIds = mails.map((mail) => mail.headers.get('x-desk-event-id')!);
    const toBroker = stage(eventIds.map((id) => recorder.arrivedAt.get(id)! - committedAt.get(id)!));
    const toRecorded = stage(eventIds.map((id) => recorded.get(id)! - recorder.arrivedAt.get(id)!));
    const toAccepted = stage(mails.map((mail) => mail.receivedAt - recorded.get(mail.headers.get('x-desk-event-id')!)!));
    const elapsedSeconds = (performance.now() - startedAt) / 1000;
    const lines = [
      '',
      `## Notification latency — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`,
      `- incident-service and notification-service in one Node process, each on its own RabbitMQ connection (RabbitMQ and Postgres on the same machine); SMTP server (smtp-server) in the same process; mail concurrency ${notifications.deps.config.MAIL_CONCURRENCY}`,
      `- load: ${RATE} status changes per second (evenly paced) for ${SECONDS} s over ${filed.length} incidents, each a mail to the incident's reporter; measured from the event's \`incident.updatedAt\` (inside the committing transaction) to the SMTP server accepting the mail`,
      '',
      '| changes | mails | p50 ms | p95 ms | p99 ms | max ms | lost | doubled | failed changes | target p99 | result |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${expected.toLocaleString('en')} in ${elapsedSeconds.toFixed(1)} s | ${mails.length.toLocaleString('en')} | ${p50} | ${p95} | ${p99} | ${max} | ${lost} | ${doubled} | ${failures.length} | < ${TARGET_P99_MS} ms | ${pass ? 'pass' : 'FAIL'} |`,
      '',
      `Stages, p50 / p95 / p99 ms: commit → delivered by the broker (to a consumer of the bench's own) ${toBroker}; → delivery row written by notification-service ${toRecorded}; → accepted by the SMTP server ${toAccepted}.`,
      '',
    ];
    appendFileSync(RESULTS, `${lines.join('\n')}\n`);
    say(lines.join('\n'));
    if (failures.length > 0) say(`first failure: ${failures[0]}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await closeServer(server, { deadlineMs: 2_000 });
    await notifications.stop();
    await incidents.stop();
    await identityBus.deleteTopology().catch(() => undefined);
    for (const bus of [identityBus, incidentBus, notificationBus]) await bus.close();
    await smtp.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

/**
 * Notification latency: 100 status changes per second for a minute, each one a mail to the
 * incident's reporter; from the change's commit to the mail accepted by an SMTP server, p99
 * must stay under 1 s, and no mail may be lost or doubled.
 *
 * incident-service and notification-service run as in production (platform.ts): each on its own
 * RabbitMQ connection, with its own schema in Postgres, in this process, with an SMTP server in
 * this process too.
 *
 *   node --conditions=source --import tsx bench/notifications/latency.ts [--rate 100] [--seconds 60]
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { waitFor } from '@desk/testing';
import { percentile, say, stage, startBenchPlatform } from './platform.js';

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

async function main(): Promise<void> {
  const bench = await startBenchPlatform({ databaseUrl: DATABASE_URL, incidents: INCIDENTS, namespace: 'bench-notifications' });
  const { notifications, smtp, recorder, filed } = bench;
  try {
    await waitFor('the receipts', () => smtp.mails.length >= filed.length, { timeoutMs: 60_000 });
    const receipts = smtp.mails.length;
    say(`${filed.length} incidents filed, ${receipts} receipts mailed; now ${RATE} status changes per second for ${SECONDS} s…`);
    const { changes, failures, elapsedSeconds } = await bench.drive(RATE, SECONDS, () => `${smtp.mails.length - receipts} mails so far`);
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
    const eventIds = mails.map((mail) => mail.headers.get('x-desk-event-id')!);
    const toBroker = stage(eventIds.map((id) => recorder.arrivedAt.get(id)! - committedAt.get(id)!));
    const toRecorded = stage(eventIds.map((id) => recorded.get(id)! - recorder.arrivedAt.get(id)!));
    const toAccepted = stage(mails.map((mail) => mail.receivedAt - recorded.get(mail.headers.get('x-desk-event-id')!)!));
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
    await bench.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

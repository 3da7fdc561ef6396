/**
 * Webhook latency: 100 status changes per second for a minute, each one a delivery to a webhook
 * endpoint subscribed to `incident.status_changed` (a receiver in this process, reached over
 * HTTP on the loopback address, which the bench allows). From the change's commit to the
 * receiver holding the signed request; every delivery is verified with the `standardwebhooks`
 * library, and none may be lost or doubled. The status changes' mails go out meanwhile, as
 * they would.
 *
 *   node --conditions=source --import tsx bench/webhooks/latency.ts [--rate 100] [--seconds 60]
 */
import { appendFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { WebhookWithSecret } from '@desk/contracts';
import { closeServer, createLogger, listen } from '@desk/platform';
import { waitFor } from '@desk/testing';
import { Webhook } from 'standardwebhooks';
import { percentile, say, stage, startBenchPlatform } from '../notifications/platform.js';

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
const DATABASE_URL = process.env.BENCH_WEBHOOKS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_webhooks';
const RESULTS = join(__dirname, '..', 'RESULTS.md');

interface Arrival {
  id: string;
  at: number;
  valid: boolean;
}

async function main(): Promise<void> {
  // The receiver: answers 204 at once and keeps what arrived.
  const arrivals: Arrival[] = [];
  let verifier: Webhook | undefined;
  const receiver = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
      let valid: boolean;
      try {
        verifier?.verify(body, headers);
        valid = verifier !== undefined;
      } catch {
        valid = false;
      }
      arrivals.push({ id: headers['webhook-id'] ?? '', at, valid });
      response.writeHead(204);
      response.end();
    });
  });
  receiver.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

  const bench = await startBenchPlatform({ databaseUrl: DATABASE_URL, incidents: INCIDENTS, namespace: 'bench-webhooks', notification: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32' } });
  const { notifications, recorder, filed } = bench;
  const api = await listen(notifications.app, { port: 0, host: '127.0.0.1', logger: createLogger({ service: 'notification-service', level: 'warn' }) });
  try {
    const registered = await fetch(`http://127.0.0.1:${(api.address() as AddressInfo).port}/webhooks`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bench.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`, events: ['incident.status_changed'], description: 'latency benchmark' }),
    });
    if (registered.status !== 201) throw new Error(`registering the endpoint: ${registered.status} ${await registered.text()}`);
    const endpoint = (await registered.json()) as WebhookWithSecret;
    verifier = new Webhook(endpoint.secret);
    say(`${filed.length} incidents filed, endpoint registered; now ${RATE} status changes per second for ${SECONDS} s…`);

    const { changes, failures, elapsedSeconds } = await bench.drive(RATE, SECONDS, () => `${arrivals.length} deliveries so far`);
    const expected = changes.length;
    await waitFor(`${expected} deliveries`, () => new Set(arrivals.map((arrival) => arrival.id)).size >= expected, { timeoutMs: 120_000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // would a doubled delivery still come?

    const committedAt = new Map<string, number>();
    for (const event of recorder.ofType('incident.status_changed')) committedAt.set(event.id, Date.parse(event.data.incident.updatedAt));
    const ours = arrivals.filter((arrival) => committedAt.has(arrival.id));
    const perEvent = new Map<string, number>();
    for (const arrival of ours) perEvent.set(arrival.id, (perEvent.get(arrival.id) ?? 0) + 1);
    const doubled = [...perEvent.values()].filter((count) => count > 1).length;
    const lost = expected - perEvent.size;
    const invalid = ours.filter((arrival) => !arrival.valid).length;
    const latencies = ours.map((arrival) => arrival.at - committedAt.get(arrival.id)!).sort((a, b) => a - b);
    const recorded = new Map(
      (await notifications.db('webhook_deliveries').whereIn('event_id', [...committedAt.keys()]).select<{ event_id: string; created_at: Date }[]>('event_id', 'created_at')).map((row) => [row.event_id, row.created_at.getTime()]),
    );
    const toBroker = stage(ours.map((arrival) => recorder.arrivedAt.get(arrival.id)! - committedAt.get(arrival.id)!));
    const toRecorded = stage(ours.map((arrival) => recorded.get(arrival.id)! - recorder.arrivedAt.get(arrival.id)!));
    const toReceived = stage(ours.map((arrival) => arrival.at - recorded.get(arrival.id)!));
    const pass = lost === 0 && doubled === 0 && invalid === 0 && failures.length === 0;
    const lines = [
      '',
      `## Webhook latency — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`,
      `- incident-service and notification-service in one Node process, each on its own RabbitMQ connection (RabbitMQ and Postgres on the same machine); the receiver (node:http, answering 204) and the SMTP server in the same process; webhook concurrency ${notifications.deps.config.WEBHOOK_CONCURRENCY} (${notifications.deps.config.WEBHOOK_CONCURRENCY_PER_ENDPOINT} per endpoint)`,
      `- load: ${RATE} status changes per second (evenly paced) for ${SECONDS} s over ${filed.length} incidents; one endpoint subscribed to \`incident.status_changed\`; each change also mails its reporter; measured from the event's \`incident.updatedAt\` (inside the committing transaction) to the receiver holding the request; every request verified with the \`standardwebhooks\` library`,
      '',
      '| changes | deliveries | p50 ms | p95 ms | p99 ms | max ms | lost | doubled | signature invalid | failed changes | result |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${expected.toLocaleString('en')} in ${elapsedSeconds.toFixed(1)} s | ${ours.length.toLocaleString('en')} | ${percentile(latencies, 0.5)} | ${percentile(latencies, 0.95)} | ${percentile(latencies, 0.99)} | ${latencies.at(-1) ?? Number.NaN} | ${lost} | ${doubled} | ${invalid} | ${failures.length} | ${pass ? 'pass' : 'FAIL'} |`,
      '',
      `Stages, p50 / p95 / p99 ms: commit → delivered by the broker (to a consumer of the bench's own) ${toBroker}; → delivery row written by notification-service ${toRecorded}; → received by the endpoint ${toReceived}.`,
      '',
    ];
    appendFileSync(RESULTS, `${lines.join('\n')}\n`);
    say(lines.join('\n'));
    if (failures.length > 0) say(`first failure: ${failures[0]}`);
    process.exitCode = pass ? 0 : 1;
  } finally {
    await closeServer(api, { deadlineMs: 2_000 });
    await bench.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

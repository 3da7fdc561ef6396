/* eslint-disable no-console -- a command-line report: figures go to the terminal and RESULTS.md */
/**
 * Attachments through the gateway (issue 22): uploads and downloads of a 25 MB file, one at a
 * time and several at once, with the memory the gateway and incident-service hold meanwhile.
 * Both run in Node processes of their own, started as their images start them; incident-service
 * stores on the file system (standalone's store) and runs on the benchmark database.
 *
 *   node --conditions=source --import tsx bench/attachments/transfer.ts [--rounds 6] [--concurrency 4] [--megabytes 25]
 *
 * Memory: each process's resident set (VmRSS) is sampled every 10 ms; the figure is the peak
 * during a phase less the resident set just before it. A process that buffered whole files would
 * grow by the file size times the transfers at once; one that streams holds its buffers only
 * (64 KiB socket reads, file-system writes), whatever the file's size. Appends a dated section to
 * bench/RESULTS.md; exit code 1 when a transfer fails, a download differs from its upload, or a
 * process grows by more than the file size during the concurrent phases.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, openAsBlob, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_NODE_FLAGS } from '@desk/platform';
import { benchDatabaseUrl, benchLogger, connectBench } from '../incidents/database.js';
import { createBenchKeys, pickCast, tokenSigner, type StartOptions } from '../incidents/service.js';
import type { GatewayStartOptions } from '../gateway/gateway.js';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    concurrency: { type: 'string', default: '4' },
    megabytes: { type: 'string', default: '25' },
  },
});
const ROUNDS = Number(options.rounds);
const CONCURRENCY = Number(options.concurrency);
/** Just under the limit (25 MiB), which counts the file alone. */
const FILE_BYTES = Number(options.megabytes) * 1024 * 1024 - 1024;
const OUT = join(__dirname, '..', '.out');
const RESULTS = join(__dirname, '..', 'RESULTS.md');
const MiB = 1024 * 1024;

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Samples the processes' resident sets until stopped; returns each one's peak less its start. */
function watchMemory(pids: Record<string, number>): () => Record<string, { before: number; growth: number }> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssBytes(pid)]));
  const peak = { ...before };
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name]!, rssBytes(pid));
  }, 10);
  return () => {
    clearInterval(timer);
    return Object.fromEntries(Object.keys(pids).map((name) => [name, { before: before[name]!, growth: peak[name]! - before[name]! }]));
  };
}

async function fork1<Options>(script: string, start: Options, name: string): Promise<{ child: ChildProcess; baseUrl: string; pid: number }> {
  const child = fork(join(__dirname, script), { execArgv: [...process.execArgv, ...SERVICE_NODE_FLAGS], stdio: 'inherit' });
  const reply = new Promise<{ baseUrl?: string; error?: string }>((resolve) => child.once('message', (message) => resolve(message as { baseUrl?: string })));
  child.send({ start });
  const started = await reply;
  if (!started.baseUrl) throw new Error(`${name} did not start:\n${started.error}`);
  return { child, baseUrl: started.baseUrl, pid: child.pid! };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

interface Phase {
  name: string;
  transfers: number;
  seconds: number;
  /** Each transfer's MB/s. */
  rates: number[];
  memory: Record<string, { before: number; growth: number }>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const db = await connectBench(benchDatabaseUrl(), benchLogger());
  const cast = await pickCast(db);
  const incident = (await db('incidents').select('id').where({ reporter_id: cast.typicalReporter.id }).orderBy('created_at', 'desc').first<{ id: string }>());
  await db.destroy();

  const keys = await createBenchKeys();
  const sign = await tokenSigner(keys);
  const token = await sign(cast.typicalReporter);
  const storeDir = mkdtempSync(join(tmpdir(), 'desk-bench-attachments-'));
  const work = mkdtempSync(join(tmpdir(), 'desk-bench-files-'));
  const service = await fork1<StartOptions>(
    '../incidents/service-process.ts',
    { databaseUrl: benchDatabaseUrl(), keys, logLevel: 'warn', logFile: join(OUT, 'attachments-service.log'), background: true, env: { ATTACHMENT_DIR: storeDir, ATTACHMENT_JOB_INTERVAL: '1h' } },
    'incident-service',
  );
  const gateway = await fork1<GatewayStartOptions>('../gateway/gateway-process.ts', { incidentUrl: service.baseUrl, publicJwk: keys.publicJwk, logFile: join(OUT, 'attachments-gateway.log') }, 'gateway');
  const pids = { gateway: gateway.pid, 'incident-service': service.pid };

  // A PDF by its first bytes, random after them: nothing compresses or thumbnails it.
  const file = join(work, 'capture.pdf');
  const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(FILE_BYTES - 9)]);
  writeFileSync(file, content);
  const digest = createHash('sha256').update(content).digest('hex');
  const uploaded: string[] = [];
  let failures = 0;

  const upload = async (): Promise<number> => {
    const form = new FormData();
    form.append('file', await openAsBlob(file, { type: 'application/pdf' }), 'capture.pdf');
    const started = performance.now();
    const response = await fetch(`${gateway.baseUrl}/incidents/${incident.id}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    const body = (await response.json()) as { id?: string; sha256?: string; detail?: string };
    const ms = performance.now() - started;
    if (response.status !== 201 || body.sha256 !== digest) {
      failures += 1;
      console.error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
    } else uploaded.push(body.id!);
    return FILE_BYTES / MiB / (ms / 1000);
  };
  const download = async (id: string): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${gateway.baseUrl}/attachments/${id}/content`, { headers: { Authorization: `Bearer ${token}` } });
    const hash = createHash('sha256');
    for await (const chunk of response.body!) hash.update(chunk as Uint8Array);
    const ms = performance.now() - started;
    if (response.status !== 200 || hash.digest('hex') !== digest) {
      failures += 1;
      console.error(`download of ${id} failed or differs: ${response.status}`);
    }
    return FILE_BYTES / MiB / (ms / 1000);
  };

  const phases: Phase[] = [];
  const phase = async (name: string, transfers: number, run: (index: number) => Promise<number>, parallel: number) => {
    const done = watchMemory(pids);
    const started = performance.now();
    const rates: number[] = [];
    for (let index = 0; index < transfers; index += parallel) {
      rates.push(...(await Promise.all(Array.from({ length: Math.min(parallel, transfers - index) }, (_, offset) => run(index + offset)))));
    }
    const result = { name, transfers, seconds: (performance.now() - started) / 1000, rates, memory: done() };
    phases.push(result);
    console.log(
      `${name.padEnd(34)} ${transfers} × ${(FILE_BYTES / MiB).toFixed(1)} MiB in ${result.seconds.toFixed(1)} s: ${((transfers * FILE_BYTES) / MiB / result.seconds).toFixed(0)} MiB/s in all, ` +
        `${median(rates).toFixed(0)} MiB/s each (median); memory held: ${Object.entries(result.memory).map(([who, m]) => `${who} +${(m.growth / MiB).toFixed(1)} MiB`).join(', ')}`,
    );
  };

  try {
    await upload(); // warm-up, not counted
    uploaded.length = 0;
    await phase('upload, one at a time', ROUNDS, () => upload(), 1);
    await phase('download, one at a time', ROUNDS, (index) => download(uploaded[index % uploaded.length]!), 1);
    await phase(`upload, ${CONCURRENCY} at once`, ROUNDS * CONCURRENCY / 2, () => upload(), CONCURRENCY);
    await phase(`download, ${CONCURRENCY} at once`, ROUNDS * CONCURRENCY / 2, (index) => download(uploaded[index % uploaded.length]!), CONCURRENCY);
  } finally {
    await stop(gateway.child);
    await stop(service.child);
    rmSync(storeDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
  // The benchmark's own incident keeps the attachments' rows; remove them with the files.
  const cleanup = await connectBench(benchDatabaseUrl(), benchLogger());
  await cleanup.raw("delete from audit_log where incident_id = ? and action in ('attachment_added', 'attachment_removed')", [incident.id]);
  await cleanup('attachments').where({ incident_id: incident.id }).delete();
  await cleanup.destroy();

  const concurrentGrowth = Math.max(...phases.filter((each) => each.name.includes('at once')).flatMap((each) => Object.values(each.memory).map((m) => m.growth)));
  const streams = concurrentGrowth < FILE_BYTES;
  const now = new Date();
  const lines = [
    '',
    `## Attachments through the gateway — ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`,
    `- a ${(FILE_BYTES / MiB).toFixed(1)} MiB file (a PDF by its first bytes, random after them) uploaded as multipart/form-data and downloaded through the gateway, each in its own Node process, incident-service storing on the file system (the standalone store); the client streams from and to disk, checking each download's SHA-256`,
    `- memory: each process's peak resident set during the phase less the resident set before it (sampled every 10 ms)`,
    '',
    '| phase | transfers | MiB/s in all | MiB/s each (median) | gateway holds | incident-service holds |',
    '|---|---|---|---|---|---|',
    ...phases.map(
      (each) =>
        `| ${each.name} | ${each.transfers} | ${((each.transfers * FILE_BYTES) / MiB / each.seconds).toFixed(0)} | ${median(each.rates).toFixed(0)} | +${(each.memory.gateway!.growth / MiB).toFixed(1)} MiB | +${(each.memory['incident-service']!.growth / MiB).toFixed(1)} MiB |`,
    ),
    '',
    `Failed or differing transfers: ${failures}. Streams, not buffers: ${streams ? `yes — with ${CONCURRENCY} files of ${(FILE_BYTES / MiB).toFixed(0)} MiB in flight, neither process grew by more than ${(concurrentGrowth / MiB).toFixed(1)} MiB (one file would be ${(FILE_BYTES / MiB).toFixed(0)})` : `NO — a process grew by ${(concurrentGrowth / MiB).toFixed(1)} MiB`}.`,
    '',
  ];
  appendFileSync(RESULTS, lines.join('\n'));
  console.log(lines.join('\n'));
  if (failures > 0 || !streams) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

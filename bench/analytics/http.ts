/* eslint-disable no-console -- a command-line report: figures go to the terminal and RESULTS.md */
/**
 * analytics-service under load at a million facts: the service as production runs it (its
 * main.ts, in a Node process of its own, verifying tokens against a JWKS served here), autocannon
 * in this process.
 *
 *   node --conditions=source --import tsx bench/analytics/http.ts [--duration 15] [--connections 4] [--changes-per-second 10] [--only <substring>]
 *
 * Loads the data first when it is missing (generate.ts). Measures summary, trends and workload
 * as an admin and as a manager, with filters varied from request to request; appends a dated
 * section to bench/RESULTS.md. Exit code 1 when a p95 target is missed or requests fail.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { appendFileSync, createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import type { Knex } from 'knex';
import { cpuUse, sampleCpu, type CpuUse } from '../incidents/cpu.js';
import { createBenchKeys, tokenSigner } from '../incidents/service.js';
import { CATEGORIES_PER_DEPARTMENT, DEPARTMENTS, analyticsBenchUrl, connectAnalyticsBench, generate } from './generate.js';

const { values: options } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '15' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '4' },
    only: { type: 'string' },
    /** Incident changes per second written during the "changes arriving" scenarios. */
    'changes-per-second': { type: 'string', default: '10' },
  },
});
const CHANGES_PER_SECOND = Number(options['changes-per-second']);
const DURATION = Number(options.duration);
const CONNECTIONS = Number(options.connections);
const TARGET_P95_MS = 100;
const ROOT = join(__dirname, '..', '..');
const OUT = join(__dirname, '..', '.out');
const RESULTS = join(__dirname, '..', 'RESULTS.md');
const DAY = 86_400_000;

interface Scenario {
  name: string;
  paths: () => string;
  token: string;
  /** Facts keep changing meanwhile, as events from incident-service would change them. */
  changing?: boolean;
}

interface Figures {
  name: string;
  requests: number;
  failures: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpu?: CpuUse | undefined;
}

const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)]!;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function ids(db: Knex): Promise<{ departments: string[]; categories: string[]; manager: { id: string; departmentId: string } }> {
  const departments = await db.raw<{ rows: { id: string }[] }>(
    `select overlay(overlay(md5('department-' || d) placing '4' from 13) placing '8' from 17)::uuid as id from generate_series(0, ${DEPARTMENTS - 1}) d`,
  );
  const categories = await db.raw<{ rows: { id: string }[] }>(
    `select overlay(overlay(md5('category-' || c) placing '4' from 13) placing '8' from 17)::uuid as id from generate_series(0, ${DEPARTMENTS * CATEGORIES_PER_DEPARTMENT - 1}) c`,
  );
  const manager = await db.raw<{ rows: { id: string; department_id: string }[] }>("select id, department_id from users where role = 'manager' order by full_name limit 1");
  return { departments: departments.rows.map((row) => row.id), categories: categories.rows.map((row) => row.id), manager: { id: manager.rows[0]!.id, departmentId: manager.rows[0]!.department_id } };
}

/** Filters people use: a department, a category, some priorities, the last month, quarter or year, a past quarter. */
function variedFilter(departments: string[], categories: string[]): string {
  const now = Date.now();
  const windows = [
    '',
    `from=${day(now - 30 * DAY)}`,
    `from=${day(now - 90 * DAY)}`,
    `from=${day(now - 365 * DAY)}`,
    (() => {
      const start = now - (180 + randomInt(800)) * DAY;
      return `from=${day(start)}&to=${day(start + 90 * DAY)}`;
    })(),
  ];
  const narrowings = ['', `departmentId=${pick(departments)}`, `categoryId=${pick(categories)}`, `priority=${pick(['CRITICAL', 'HIGH,CRITICAL', 'LOW,MEDIUM'])}`, `departmentId=${pick(departments)}&priority=HIGH`];
  return [pick(windows), pick(narrowings)].filter(Boolean).join('&');
}

function cannon(baseUrl: string, scenario: Scenario): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const latencies: number[] = [];
  let failures = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: DURATION,
        timeout: 30,
        requests: [{ setupRequest: (request) => ({ ...request, method: 'GET', path: scenario.paths(), headers: { authorization: `Bearer ${scenario.token}` } }) }],
      },
      (error: Error | null, result) => (error ? reject(error) : resolve({ latencies, failures: failures + result.errors + result.timeouts, seconds: result.duration })),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) failures += 1;
      latencies.push(responseTime);
    });
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const url = analyticsBenchUrl();
  const db = await connectAnalyticsBench(url);
  await generate(db, 1_000_000, false);
  const facts = Number((await db('facts').count<{ count: string }[]>({ count: '*' }))[0]!.count);
  const { departments, categories, manager } = await ids(db);
  const version = (await db.raw<{ rows: { version: string }[] }>('select version()')).rows[0]!.version.split(' on ')[0]!;

  // identity-service's part: the key tokens are verified with.
  const keys = await createBenchKeys();
  const sign = await tokenSigner(keys);
  const jwks = createServer((_request, response) => response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [keys.publicJwk] })));
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const identityUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;

  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const log = createWriteStream(join(OUT, 'analytics-service.log'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', join(ROOT, 'analytics-service', 'src', 'main.ts')], {
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), DATABASE_URL: url, IDENTITY_URL: identityUrl, INCIDENT_URL: 'http://127.0.0.1:9', REPLICA_SYNC_INTERVAL: '1h' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`analytics-service exited with ${child.exitCode}; see bench/.out/analytics-service.log`);
    const healthy = await fetch(`${baseUrl}/health`).then((response) => response.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const loadSeconds = (performance.now() - started) / 1000;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(await import('node:fs').then((fs) => fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')))?.[1] ?? 0) / 1024;
  console.log(`analytics-service ready with ${facts.toLocaleString('en')} facts in ${loadSeconds.toFixed(1)} s (process start and model load), RSS ${rss.toFixed(0)} MiB`);

  const admin = await sign({ id: '00000000-0000-4000-8000-000000000001', role: 'admin', departmentId: null });
  const managerToken = await sign({ id: manager.id, role: 'manager', departmentId: manager.departmentId });
  const now = Date.now();
  const scenarios: Scenario[] = [
    { name: 'summary, every incident (admin)', paths: () => '/analytics/summary', token: admin },
    { name: 'summary, filters varied per request (admin)', paths: () => `/analytics/summary?${variedFilter(departments, categories)}`, token: admin },
    { name: 'summary, own department, last 90 days (manager)', paths: () => `/analytics/summary?from=${day(now - 90 * DAY)}`, token: managerToken },
    { name: 'trends per day, last 90 days (admin)', paths: () => `/analytics/trends?interval=day&from=${day(now - 90 * DAY)}`, token: admin },
    { name: 'trends per week, three years, filters varied (admin)', paths: () => `/analytics/trends?interval=week&from=${day(now - 1095 * DAY)}&${variedFilter(departments, categories).replace(/(^|&)(from|to)=[^&]*/g, '')}`, token: admin },
    { name: 'trends per day, own department (manager)', paths: () => '/analytics/trends', token: managerToken },
    { name: 'workload, every department (admin)', paths: () => '/analytics/workload', token: admin },
    { name: 'workload, filters varied per request (admin)', paths: () => `/analytics/workload?${variedFilter(departments, categories)}`, token: admin },
    { name: 'workload, own department (manager)', paths: () => '/analytics/workload', token: managerToken },
    { name: `summary, every incident, ${CHANGES_PER_SECOND} changes/s arriving (admin)`, paths: () => '/analytics/summary', token: admin, changing: true },
    { name: `summary, filters varied, ${CHANGES_PER_SECOND} changes/s arriving (admin)`, paths: () => `/analytics/summary?${variedFilter(departments, categories)}`, token: admin, changing: true },
    { name: `workload, every department, ${CHANGES_PER_SECOND} changes/s arriving (admin)`, paths: () => '/analytics/workload', token: admin, changing: true },
    { name: `trends per week, three years, ${CHANGES_PER_SECOND} changes/s arriving (admin)`, paths: () => `/analytics/trends?interval=week&from=${day(now - 1095 * DAY)}`, token: admin, changing: true },
  ].filter((scenario) => !options.only || scenario.name.includes(options.only));

  // Incidents changing while people look: facts written as the event consumer (of any replica)
  // writes them, so every catch-up finds something new and cached figures go stale.
  const changeable = (await db.raw<{ rows: { id: string }[] }>("select id from facts where status in ('OPEN', 'IN_PROGRESS', 'RESOLVED') limit 5000")).rows.map((row) => row.id);
  let changes = 0;
  const startChanges = () => {
    const timer = setInterval(() => {
      const id = pick(changeable);
      changes += 1;
      void db
        .raw(
          `update facts set version = version + 1, updated_at = now(), written_xid = pg_current_xact_id(),
             priority = (array['LOW','MEDIUM','HIGH','CRITICAL'])[1 + floor(random() * 4)::int] where id = ?`,
          [id],
        )
        .catch(() => undefined);
    }, 1000 / CHANGES_PER_SECOND);
    return () => clearInterval(timer);
  };

  const results: Figures[] = [];
  for (const scenario of scenarios) {
    // Warm up: the first requests pay for JIT compilation, not for the figures.
    await cannon(baseUrl, { ...scenario }).catch(() => undefined);
    const stopChanges = scenario.changing ? startChanges() : () => undefined;
    const before = sampleCpu([child.pid!]);
    const run = await cannon(baseUrl, scenario);
    stopChanges();
    const latencies = run.latencies.sort((a, b) => a - b);
    const figures: Figures = {
      name: scenario.name,
      requests: latencies.length,
      failures: run.failures,
      perSecond: latencies.length / run.seconds,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
      cpu: cpuUse(before, sampleCpu([child.pid!]), latencies.length),
    };
    results.push(figures);
    console.log(
      `${figures.name.padEnd(56)} ${figures.perSecond.toFixed(0).padStart(5)} req/s  p50 ${figures.p50.toFixed(1).padStart(6)}  p95 ${figures.p95.toFixed(1).padStart(6)}  p99 ${figures.p99.toFixed(1).padStart(6)} ms  ${figures.failures} failed  ${figures.p95 < TARGET_P95_MS && figures.failures === 0 ? 'pass' : 'FAIL'}`,
    );
  }

  // The export streams: rows per second for one department's three years.
  const exportStarted = performance.now();
  const exported = await fetch(`${baseUrl}/analytics/export.csv?departmentId=${departments[0]}`, { headers: { Authorization: `Bearer ${admin}` } });
  let bytes = 0;
  let rows = 0;
  for await (const chunk of exported.body!) {
    bytes += (chunk as Uint8Array).length;
    for (const byte of chunk as Uint8Array) if (byte === 10) rows += 1;
  }
  const exportSeconds = (performance.now() - exportStarted) / 1000;
  const exportRss = Number(/VmRSS:\s+(\d+)/.exec((await import('node:fs')).readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  console.log(`export.csv, one department: ${(rows - 1).toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${exportSeconds.toFixed(1)} s; service RSS afterwards ${exportRss.toFixed(0)} MiB`);

  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  jwks.close();
  await db.destroy();

  const allPass = results.every((figures) => figures.p95 < TARGET_P95_MS && figures.failures === 0);
  const section = [
    '',
    `## Analytics — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; ${version}, same machine`,
    `- data: ${facts.toLocaleString('en')} incident facts over three years, 12 departments, 60 categories (bench/analytics/generate.ts)`,
    `- analytics-service as main.ts runs it, in its own Node process (logs at warn); ready ${loadSeconds.toFixed(1)} s after spawn (model loaded), RSS ${rss.toFixed(0)} MiB`,
    `- load: autocannon in this process, ${CONNECTIONS} connections, ${DURATION} s per scenario after a warm-up run of the same length; filters "varied" pick a window (all, last 30/90/365 days, a past quarter) and a narrowing (none, a department, a category, priorities) per request`,
    `- the service catches up with Postgres before a query when its model is older than FACTS_MAX_STALENESS (250 ms), and shares figures computed at the same model revision for up to 1 s: scenarios without changes arriving measure mostly shared figures; with "${CHANGES_PER_SECOND} changes/s arriving" a writer changes facts in Postgres throughout (${changes.toLocaleString('en')} changes in all), so figures are recomputed after every catch-up that finds one`,
    '',
    '| scenario | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | target p95 | result | CPU ms/request: service / Postgres |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (f) =>
        `| ${f.name} | ${f.requests.toLocaleString('en')} | ${f.perSecond.toFixed(0)} | ${f.p50.toFixed(1)} | ${f.p95.toFixed(1)} | ${f.p99.toFixed(1)} | ${f.max.toFixed(0)} | ${f.failures} | < ${TARGET_P95_MS} ms | ${f.p95 < TARGET_P95_MS && f.failures === 0 ? 'pass' : 'FAIL'} | ${f.cpu ? `${f.cpu.serviceMs.toFixed(2)} / ${f.cpu.postgresMs.toFixed(2)}` : 'n/a'} |`,
    ),
    '',
    `Export: one department's facts (${(rows - 1).toLocaleString('en')} rows, ${(bytes / 2 ** 20).toFixed(1)} MiB of CSV) streamed in ${exportSeconds.toFixed(1)} s; the service's RSS afterwards ${exportRss.toFixed(0)} MiB.`,
    '',
  ];
  appendFileSync(RESULTS, section.join('\n'));
  console.log(`\nAppended to bench/RESULTS.md. ${allPass ? 'Every target met.' : 'A target was missed.'}`);
  if (!allPass) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

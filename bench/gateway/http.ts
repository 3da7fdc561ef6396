/* eslint-disable no-console -- a command-line report: figures go to the terminal and RESULTS.md */
/**
 * Gateway overhead (issue 5, Benchmark): `GET /incidents?limit=25` as an admin, straight to
 * incident-service and through the gateway, in the same run. incident-service and the gateway
 * each run in a Node process of their own, and so does the load generator (load-process.ts).
 *
 *   node --conditions=source --import tsx bench/gateway/http.ts [--rounds 2] [--saturation-seconds 15]
 *        [--steady-seconds 20] [--profile]
 *
 * 1. saturation: 50 connections, 15 s — the gateway must keep ≥ 50 % of the direct throughput;
 *    a bare node:http + pg server doing the same list's database work and writing the same body
 *    (baseline-process.ts) runs in the same rotation: incident-service straight must keep ≥ 70 %
 *    of its throughput, through the gateway ≥ 50 % (issue 24);
 * 2. steady 200 req/s, evenly paced, 20 s — the gateway may add at most 5 ms at p99.
 * Direct and gateway runs alternate (D G, then G D in the next round) so drift cancels, each
 * after 3 s of the same load that is not recorded (the other side's run left it idle); figures
 * are the rounds' pooled latencies and summed requests. Appends a dated section to
 * bench/RESULTS.md; exit code 1 when a target is missed or requests fail.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SERVICE_NODE_FLAGS } from '@desk/platform';
import type { Knex } from 'knex';
import { cpuUse, sampleCpu } from '../incidents/cpu.js';
import { benchDatabaseUrl, benchLogger, connectBench, elapsed } from '../incidents/database.js';
import { createBenchKeys, tokenSigner, type BenchUser, type StartOptions } from '../incidents/service.js';
import type { GatewayStartOptions } from './gateway.js';
import type { LoadResult, LoadSpec } from './load.js';

const { values: options } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    'saturation-seconds': { type: 'string', default: '15' },
    'steady-seconds': { type: 'string', default: '20' },
    /** Write V8 CPU profiles of the gateway and incident-service to bench/.out/profiles. */
    profile: { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(options.rounds);
const SATURATION = { connections: 50, seconds: Number(options['saturation-seconds']) };
const STEADY = { connections: 20, seconds: Number(options['steady-seconds']), rate: 200 };
const MIN_RATIO = 0.5;
/** incident-service straight must keep this share of the bare baseline's throughput, the gateway MIN_GATEWAY_OF_BASELINE. */
const MIN_DIRECT_OF_BASELINE = 0.7;
const MIN_GATEWAY_OF_BASELINE = 0.5;
const MAX_P99_ADDED_MS = 5;
const WARM_UP_SECONDS = 3;
const PATH = '/incidents?limit=25';
/**
 * The load generator's heap starts large: with Node's default (an old generation limit of about
 * 66 MB, half of it live after the saturation runs grew the young generation) V8 started a full
 * mark-compact every 0.8 s at 200 req/s, in steps of up to 20 ms on the thread that timestamps
 * responses — slow "requests" every 0.8 s, on both sides, that were the generator's own pauses.
 */
const LOAD_NODE_FLAGS = ['--initial-heap-size=256'];
const OUT = join(__dirname, '..', '.out');
const RESULTS = join(__dirname, '..', 'RESULTS.md');

type Target = 'baseline' | 'direct' | 'gateway';

interface Run extends LoadResult {
  /** CPU ms per request in incident-service, the gateway and Postgres. */
  cpu: { service: number; gateway: number; postgres: number } | undefined;
}

interface Figures {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
  statusCodes: Record<string, number>;
  cpu: Run['cpu'];
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function fork1<Options>(script: string, start: Options, log: string): Promise<{ child: ChildProcess; baseUrl: string; pid: number }> {
  // Both start as their images do (SERVICE_NODE_FLAGS).
  const profiling = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(OUT, 'profiles')}`] : [];
  const execArgv = [...process.execArgv, ...SERVICE_NODE_FLAGS, ...profiling];
  const child = fork(join(__dirname, script), { execArgv, stdio: 'inherit' });
  const reply = new Promise<{ baseUrl?: string; pid?: number; error?: string }>((resolve) => child.once('message', (message) => resolve(message as { baseUrl?: string; error?: string })));
  child.send({ start });
  const started = await reply;
  if (!started.baseUrl) throw new Error(`${log} did not start:\n${started.error}`);
  return { child, baseUrl: started.baseUrl, pid: child.pid! };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

/** A run of load from the load process, with the CPU the service and the gateway spent meanwhile. */
async function measure(loader: ChildProcess, spec: LoadSpec, pids: { service: number; gateway: number }): Promise<Run> {
  const before = { service: sampleCpu([pids.service]), gateway: sampleCpu([pids.gateway]) };
  const answer = new Promise<{ result?: LoadResult; error?: string }>((resolve) => {
    const exited = (code: number | null) => resolve({ error: `it exited (code ${code}) before answering` });
    loader.once('exit', exited);
    loader.once('message', (message) => {
      loader.off('exit', exited);
      resolve(message as { result?: LoadResult; error?: string });
    });
  });
  loader.send({ run: spec });
  const { result, error } = await answer;
  if (!result) throw new Error(`the load process failed: ${error}`);
  const after = { service: sampleCpu([pids.service]), gateway: sampleCpu([pids.gateway]) };
  const service = cpuUse(before.service, after.service, result.requests);
  const gateway = cpuUse(before.gateway, after.gateway, result.requests);
  return { ...result, cpu: service && gateway ? { service: service.serviceMs, gateway: gateway.serviceMs, postgres: service.postgresMs } : undefined };
}

function pool(runs: Run[]): Figures {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const run of runs) for (const [code, count] of Object.entries(run.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const cpuRuns = runs.filter((run) => run.cpu);
  const mean = (key: 'service' | 'gateway' | 'postgres') => cpuRuns.reduce((sum, run) => sum + run.cpu![key] * run.requests, 0) / cpuRuns.reduce((sum, run) => sum + run.requests, 0);
  return {
    requests,
    perSecond: requests / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    statusCodes,
    cpu: cpuRuns.length ? { service: mean('service'), gateway: mean('gateway'), postgres: mean('postgres') } : undefined,
  };
}

async function machine(db: Knex): Promise<string[]> {
  const { rows } = await db.raw<{ rows: { version: string; incidents: string }[] }>('select version(), (select count(*) from incidents) as incidents');
  return [
    `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    `- Node ${process.version}; ${rows[0]!.version.split(' on ')[0]}, same machine; ${Number(rows[0]!.incidents).toLocaleString('en')} incidents`,
    `- incident-service and the gateway each in a Node process of their own (logs at warn to bench/.out/), the load generator in a third; all share the machine's cores with Postgres`,
    `- \`GET ${PATH}\` as an admin; ${ROUNDS} round(s), direct and gateway alternating (D G, G D, …), figures pooled over the rounds`,
  ];
}

const ms = (value: number) => value.toFixed(1);

async function main(): Promise<void> {
  const startedAt = performance.now();
  const url = benchDatabaseUrl();
  const db = await connectBench(url, benchLogger());
  const keys = await createBenchKeys();
  const sign = await tokenSigner(keys);
  const { rows } = await db.raw<{ rows: { id: string; role: BenchUser['role']; department_id: null }[] }>(
    "select id, role, department_id from users where role = 'admin' and is_active order by full_name limit 1",
  );
  if (!rows[0]) throw new Error('no admin in the benchmark database; run bench/incidents/generate.ts first');
  const token = await sign({ id: rows[0].id, role: rows[0].role, departmentId: rows[0].department_id });

  const serviceStart: StartOptions = { databaseUrl: url, keys, logLevel: 'warn', logFile: join(OUT, 'gateway-bench-incident-service.log'), background: true };
  const service = await fork1('../incidents/service-process.ts', serviceStart, 'incident-service');
  const gatewayStart: GatewayStartOptions = { incidentUrl: service.baseUrl, publicJwk: keys.publicJwk, logFile: join(OUT, 'gateway-bench-gateway.log') };
  const gateway = await fork1('gateway-process.ts', gatewayStart, 'the gateway');
  const baseline = await fork1('baseline-process.ts', { databaseUrl: url }, 'the bare baseline');
  const pidsOf: Record<Target, { service: number; gateway: number }> = {
    baseline: { service: baseline.pid, gateway: gateway.pid },
    direct: { service: service.pid, gateway: gateway.pid },
    gateway: { service: service.pid, gateway: gateway.pid },
  };
  const base: Record<Target, string> = { baseline: baseline.baseUrl, direct: service.baseUrl, gateway: gateway.baseUrl };
  const loader = fork(join(__dirname, 'load-process.ts'), { execArgv: [...process.execArgv, ...LOAD_NODE_FLAGS], stdio: 'inherit' });
  const run = (target: Target, shape: { connections: number; seconds: number; rate?: number }) =>
    measure(
      loader,
      shape.rate
        ? { kind: 'paced', url: `${base[target]}${PATH}`, token, rate: shape.rate, seconds: shape.seconds }
        : { kind: 'saturation', url: `${base[target]}${PATH}`, token, connections: shape.connections, seconds: shape.seconds },
      pidsOf[target],
    );
  console.log(`incident-service (pid ${service.pid}) at ${service.baseUrl}; gateway (pid ${gateway.pid}) at ${gateway.baseUrl}; bare baseline (pid ${baseline.pid}) at ${baseline.baseUrl}`);

  try {
    // The same answer every way, before measuring anything.
    const bodies = await Promise.all(
      (['direct', 'gateway', 'baseline'] as const).map(async (target) => {
        const response = await fetch(`${base[target]}${PATH}`, { headers: { authorization: `Bearer ${token}` } });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${target}: GET ${PATH} → ${response.status}: ${text}`);
        return (JSON.parse(text) as { items: { id: string }[] }).items.map((item) => item.id).join();
      }),
    );
    if (new Set(bodies).size !== 1) console.log('  (direct, gateway and baseline answered with different pages: new incidents in between?)');

    // Warm-up, not recorded: JIT in every process, the pools, the gateway's upstream sockets.
    for (const target of ['direct', 'gateway', 'baseline'] as const) await run(target, { connections: SATURATION.connections, seconds: 5 });

    const runs: Record<'saturation' | 'steady', Record<Target, Run[]>> = { saturation: { baseline: [], direct: [], gateway: [] }, steady: { baseline: [], direct: [], gateway: [] } };
    for (const [phase, shape] of [
      ['saturation', SATURATION],
      ['steady', STEADY],
    ] as const) {
      if (shape.seconds === 0) continue; // --saturation-seconds 0 or --steady-seconds 0: that phase is skipped
      for (let round = 0; round < ROUNDS; round += 1) {
        // The baseline takes part in the saturation runs (the ratios), in a rotating place.
        const order: Target[] =
          phase === 'saturation' ? (round % 3 === 0 ? ['direct', 'gateway', 'baseline'] : round % 3 === 1 ? ['gateway', 'baseline', 'direct'] : ['baseline', 'direct', 'gateway']) : round % 2 === 0 ? ['direct', 'gateway'] : ['gateway', 'direct'];
        for (const target of order) {
          await new Promise((resolve) => setTimeout(resolve, 2_000)); // let in-flight work drain
          // The same load for 3 s first, not recorded: the side that sat idle through the other's
          // run wakes up (V8 shrinks an idle heap and drops cold code) before it is measured.
          await run(target, { ...shape, seconds: WARM_UP_SECONDS });
          const measured = await run(target, shape);
          runs[phase][target].push(measured);
          const sorted = [...measured.latencies].sort((a, b) => a - b);
          console.log(
            `${phase.padEnd(10)} round ${round + 1} ${target.padEnd(8)} ${(measured.requests / measured.seconds).toFixed(0).padStart(5)} req/s  p50 ${ms(percentile(sorted, 0.5))}  p95 ${ms(percentile(sorted, 0.95))}  p99 ${ms(percentile(sorted, 0.99))} ms  ${measured.failures} failed`,
          );
        }
      }
    }

    const saturation = { baseline: pool(runs.saturation.baseline), direct: pool(runs.saturation.direct), gateway: pool(runs.saturation.gateway) };
    const steady = { direct: pool(runs.steady.direct), gateway: pool(runs.steady.gateway) };
    const ratio = saturation.gateway.perSecond / saturation.direct.perSecond;
    const directOfBaseline = saturation.direct.perSecond / saturation.baseline.perSecond;
    const gatewayOfBaseline = saturation.gateway.perSecond / saturation.baseline.perSecond;
    const added = steady.gateway.p99 - steady.direct.p99;
    const failed = [saturation.baseline, saturation.direct, saturation.gateway, steady.direct, steady.gateway].some((f) => f.failures > 0);
    const ratioPass = ratio >= MIN_RATIO;
    const directPass = directOfBaseline >= MIN_DIRECT_OF_BASELINE;
    const gatewayPass = gatewayOfBaseline >= MIN_GATEWAY_OF_BASELINE;
    const addedPass = added <= MAX_P99_ADDED_MS;

    const row = (name: string, f: Figures) =>
      `| ${name} | ${f.requests.toLocaleString('en')} | ${f.perSecond.toFixed(0)} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${f.failures === 0 ? '0' : `${f.failures} (${JSON.stringify(f.statusCodes)})`} | ${f.cpu ? `${f.cpu.service.toFixed(2)} / ${f.cpu.gateway.toFixed(2)} / ${f.cpu.postgres.toFixed(2)}` : 'n/a'} |`;
    const section = [
      `## Gateway overhead — ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`,
      '',
      ...(await machine(db)),
      '',
      '| run | requests | req/s | p50 ms | p95 ms | p99 ms | non-200 / errors | CPU ms/request: service (baseline: the bare server) / gateway / Postgres |',
      '|---|---|---|---|---|---|---|---|',
      row(`saturation (${SATURATION.connections} connections, ${SATURATION.seconds} s ×${ROUNDS}) — bare node:http + pg baseline`, saturation.baseline),
      row(`saturation (${SATURATION.connections} connections, ${SATURATION.seconds} s ×${ROUNDS}) — direct`, saturation.direct),
      row(`saturation (${SATURATION.connections} connections, ${SATURATION.seconds} s ×${ROUNDS}) — gateway`, saturation.gateway),
      row(`steady ${STEADY.rate} req/s, evenly paced (${STEADY.seconds} s ×${ROUNDS}) — direct`, steady.direct),
      row(`steady ${STEADY.rate} req/s, evenly paced (${STEADY.seconds} s ×${ROUNDS}) — gateway`, steady.gateway),
      '',
      '| target | measured | result |',
      '|---|---|---|',
      `| saturation: incident-service straight keeps ≥ ${100 * MIN_DIRECT_OF_BASELINE} % of the bare baseline's throughput | ${(100 * directOfBaseline).toFixed(0)} % (${saturation.direct.perSecond.toFixed(0)} / ${saturation.baseline.perSecond.toFixed(0)} req/s) | ${directPass ? 'pass' : 'FAIL'} |`,
      `| saturation: through the gateway ≥ ${100 * MIN_GATEWAY_OF_BASELINE} % of the bare baseline's | ${(100 * gatewayOfBaseline).toFixed(0)} % (${saturation.gateway.perSecond.toFixed(0)} / ${saturation.baseline.perSecond.toFixed(0)} req/s) | ${gatewayPass ? 'pass' : 'FAIL'} |`,
      `| saturation: gateway keeps ≥ ${100 * MIN_RATIO} % of direct throughput | ${(100 * ratio).toFixed(0)} % (${saturation.gateway.perSecond.toFixed(0)} / ${saturation.direct.perSecond.toFixed(0)} req/s) | ${ratioPass ? 'pass' : 'FAIL'} |`,
      `| steady ${STEADY.rate} req/s: gateway adds ≤ ${MAX_P99_ADDED_MS} ms at p99 | ${added >= 0 ? '+' : ''}${ms(added)} ms (${ms(steady.gateway.p99)} vs ${ms(steady.direct.p99)}) | ${addedPass ? 'pass' : 'FAIL'} |`,
      `| no failed requests | ${failed ? 'some failed' : 'none'} | ${failed ? 'FAIL' : 'pass'} |`,
      '',
    ];
    console.log(`\n${section.slice(5).join('\n')}`);
    if (SATURATION.seconds === 0 || STEADY.seconds === 0 || options.profile) {
      console.log(`a partial or profiled run: not written to bench/RESULTS.md (${elapsed(startedAt)})`);
      return;
    }
    appendFileSync(RESULTS, `${section.join('\n')}\n`);
    console.log(`appended to bench/RESULTS.md (${elapsed(startedAt)})`);
    if (!ratioPass || !directPass || !gatewayPass || !addedPass || failed) process.exitCode = 1;
  } finally {
    loader.disconnect();
    await stop(baseline.child);
    await stop(gateway.child);
    await stop(service.child);
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

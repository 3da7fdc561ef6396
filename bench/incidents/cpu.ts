import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * Where the CPU went during a run, from Linux's /proc: the service process(es), Postgres (all
 * its processes), this process (the load generator) and the machine as a whole. On a small
 * machine these share the same cores, and the split says which one a latency figure waits on.
 */
export interface CpuSample {
  service: number;
  /** Per Postgres process: backends come and go while a pool recycles its connections. */
  postgres: Map<string, number>;
  generator: number;
  machineBusy: number;
  machineTotal: number;
}

const available = existsSync('/proc/stat');
const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in ms; 0 when it is gone. */
function processMs(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

function postgresMs(): Map<string, number> {
  const byProcess = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') byProcess.set(entry, processMs(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return byProcess;
}

/**
 * CPU Postgres spent between two samples: what each process still running has added, all of a
 * process started since. A process that ended in between takes its share with it (an
 * undercount, where summing totals would go negative).
 */
function postgresDelta(before: Map<string, number>, after: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += Math.max(0, ms - (before.get(pid) ?? 0));
  return total;
}

function machineMs(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3]! + (fields[4] ?? 0);
  return { busy: ((total - idle) * 1000) / ticksPerSecond, total: (total * 1000) / ticksPerSecond };
}

export function sampleCpu(servicePids: readonly number[]): CpuSample | undefined {
  if (!available) return undefined;
  const machine = machineMs();
  return {
    service: servicePids.reduce((sum, pid) => sum + processMs(pid), 0),
    postgres: postgresMs(),
    generator: processMs(process.pid),
    machineBusy: machine.busy,
    machineTotal: machine.total,
  };
}

export interface CpuUse {
  /** CPU milliseconds per request. */
  serviceMs: number;
  postgresMs: number;
  generatorMs: number;
  /** Everything else running on the machine meanwhile, per request. */
  otherMs: number;
  /** Share of all cores busy, 0..1. */
  machineBusy: number;
  /** Share of all cores busy with something other than service, Postgres and generator, 0..1. */
  otherShare: number;
}

export function cpuUse(before: CpuSample | undefined, after: CpuSample | undefined, requests: number): CpuUse | undefined {
  if (!before || !after || requests === 0) return undefined;
  const service = after.service - before.service;
  const postgres = postgresDelta(before.postgres, after.postgres);
  const generator = after.generator - before.generator;
  const busy = after.machineBusy - before.machineBusy;
  const capacity = after.machineTotal - before.machineTotal;
  return {
    serviceMs: service / requests,
    postgresMs: postgres / requests,
    generatorMs: generator / requests,
    otherMs: Math.max(0, busy - service - postgres - generator) / requests,
    machineBusy: busy / capacity,
    otherShare: Math.max(0, busy - service - postgres - generator) / capacity,
  };
}

/** Share of all cores busy over `ms` milliseconds, 0..1 (undefined without /proc). */
export async function machineBusyOver(ms: number): Promise<number | undefined> {
  if (!available) return undefined;
  const before = machineMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineMs();
  return (after.busy - before.busy) / (after.total - before.total);
}

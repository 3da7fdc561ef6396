/**
 * Latency checks for "one caller must not degrade another's service" tests. An absolute bound
 * alone fails whenever the test machine is busy with other suites; a bound relative to the same
 * reads without the load alone would pass a service that is slow for everyone. So the loaded p99
 * passes when it is under the absolute bound, or when it is within `factor` of the p99 of the same
 * reads measured without the load on the same machine moments before (plus `slackMs` for a stray
 * pause). Either way, a starved caller (reads queued behind the load for seconds, or timing out)
 * fails.
 */

/** The value at quantile `q` (0–1) of `times`, by the nearest-rank method. */
export function quantile(times: readonly number[], q: number): number {
  if (times.length === 0) throw new Error('quantile of no measurements');
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * q) - 1)]!;
}

/** Times `count` sequential calls of `read`, in milliseconds. */
export async function timeSequential(count: number, read: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return times;
}

export interface DegradationVerdict {
  ok: boolean;
  loadedP99: number;
  quietP99: number;
  /** One line for the test's message and diagnostics. */
  summary: string;
}

/** Whether the reads under load stayed fast: see the module's comment for the rule. */
export function judgeDegradation(
  loaded: readonly number[],
  quiet: readonly number[],
  { absoluteMs, factor = 2, slackMs = 25 }: { absoluteMs: number; factor?: number; slackMs?: number },
): DegradationVerdict {
  const loadedP99 = quantile(loaded, 0.99);
  const quietP99 = quantile(quiet, 0.99);
  const relativeMs = quietP99 * factor + slackMs;
  const ok = loadedP99 < absoluteMs || loadedP99 <= relativeMs;
  const summary = `p99 under load ${Math.round(loadedP99)} ms (bound: < ${absoluteMs} ms, or ≤ ${Math.round(relativeMs)} ms = ${factor} × the ${Math.round(quietP99)} ms without it + ${slackMs} ms)`;
  return { ok, loadedP99, quietP99, summary };
}

import { type Knex } from 'knex';

/**
 * One dependency `GET /health` reports on. `check` resolves when the dependency works (with
 * optional details to show) and rejects with the reason when it does not; it must bound its
 * own duration, since a probe that hangs is worse than one that fails.
 */
export interface HealthCheck {
  name: string;
  check(): Promise<void | Record<string, unknown>>;
  /**
   * `ready` (the default): the service cannot serve without it, so `/health/ready` fails while it
   * does (its own database, say). `detail`: reported, but the service serves on without it (the
   * broker: the outbox keeps events until it is back), so it never takes the service out of rotation.
   */
  role?: 'ready' | 'detail';
}

export type CheckResult =
  | ({ status: 'up'; latencyMs: number } & Record<string, unknown>)
  | { status: 'down'; latencyMs: number; error: string };

export interface HealthReport {
  /** `ok`: every check up; `degraded`: only `detail` checks down; `down`: a `ready` check down. */
  status: 'ok' | 'degraded' | 'down';
  service: string;
  uptimeSeconds: number;
  checks: Record<string, CheckResult>;
}

/** Rejects with "timed out after N ms" when `work` takes longer than `timeoutMs`. */
export async function withTimeout<Result>(work: Promise<Result>, timeoutMs: number): Promise<Result> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // pg reports a host that resolves to several addresses as an AggregateError with an empty message
    return error.errors.map(reasonOf).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/**
 * A real `select 1` round trip through the service's pool, so the check fails when the
 * database is unreachable, the pool is exhausted or destroyed, or credentials stopped working.
 */
export function databaseHealthCheck(knex: Knex, { timeoutMs = 2000 }: { timeoutMs?: number } = {}): HealthCheck {
  return {
    name: 'database',
    async check() {
      await withTimeout(knex.raw('select 1'), timeoutMs);
    },
  };
}

async function runCheck(healthCheck: HealthCheck): Promise<CheckResult> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  try {
    const details = await healthCheck.check();
    return { ...details, status: 'up', latencyMs: elapsed() };
  } catch (error) {
    return { status: 'down', latencyMs: elapsed(), error: reasonOf(error) };
  }
}

/**
 * Runs the checks in parallel. The service is down when a `ready` check is, degraded when only
 * `detail` checks are; `strict` counts every failed check as down (the gateway's view for people).
 */
export async function runHealthChecks(service: string, checks: readonly HealthCheck[], { strict = false }: { strict?: boolean } = {}): Promise<HealthReport> {
  const results = await Promise.all(checks.map(async (check) => [check, await runCheck(check)] as const));
  const failed = results.filter(([, result]) => result.status === 'down').map(([check]) => check);
  return {
    status: failed.length === 0 ? 'ok' : strict || failed.some((check) => (check.role ?? 'ready') === 'ready') ? 'down' : 'degraded',
    service,
    uptimeSeconds: Math.round(process.uptime()),
    checks: Object.fromEntries(results.map(([check, result]) => [check.name, result])),
  };
}

/** What the public may know of a service: no reasons, hosts, database names or timings. */
export type PublicServiceStatus = 'up' | 'degraded' | 'down';

export interface PublicHealthSummary {
  status: HealthReport['status'];
  /** Each check by name: `degraded` when it answered but said so itself (`degraded: true` in its details). */
  services: Record<string, PublicServiceStatus>;
}

/** A report cut down to states only, for a port anyone can reach. */
export function summarizeHealth(report: HealthReport): PublicHealthSummary {
  return {
    status: report.status,
    services: Object.fromEntries(
      Object.entries(report.checks).map(([name, result]) => [name, result.status === 'down' ? 'down' : result.degraded === true ? 'degraded' : 'up']),
    ),
  };
}

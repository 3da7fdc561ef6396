import { withTimeout, type HealthCheck } from '@desk/platform';
import type { UpstreamName } from './routes.js';

/** One check per configured upstream: what /health reports on. */
export function upstreamHealthChecks(upstreams: Partial<Record<UpstreamName, string>>): HealthCheck[] {
  return (Object.keys(upstreams) as UpstreamName[]).filter((name) => upstreams[name] !== undefined).map((name) => upstreamHealthCheck(name, upstreams[name]));
}

/**
 * An upstream's own /health, database included: up when it answers 200, down with its
 * reason otherwise. The gateway's /health is ok only when every configured service is; its
 * readiness never waits for them (a `detail` check), so an upstream's outage does not take the
 * gateway, and every other route with it, out of rotation.
 */
export function upstreamHealthCheck(name: UpstreamName, baseUrl: string | undefined): HealthCheck {
  return {
    name: `${name}-service`,
    role: 'detail',
    async check() {
      if (!baseUrl) throw new Error('not configured in this installation');
      const response = await withTimeout(fetch(new URL('/health', baseUrl), { signal: AbortSignal.timeout(2_000) }), 2_500);
      const body = (await response.json().catch(() => ({}))) as { status?: string; checks?: Record<string, unknown> };
      if (!response.ok) {
        const failing = Object.entries(body.checks ?? {})
          .filter(([, check]) => (check as { status?: string }).status === 'down')
          .map(([checkName, check]) => `${checkName}: ${(check as { error?: string }).error ?? 'down'}`);
        throw new Error(failing.length > 0 ? failing.join('; ') : `answered ${response.status}`);
      }
      // Shown on the internal port; the public /health keeps only up, degraded or down.
      return { degraded: body.status === 'degraded', checks: body.checks ?? {} };
    },
  };
}

import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Gives the request's HTTP server span its route: server-span.ts names the span
 * `GET /incidents/:id` and sets `http.route` from it when the response finishes. Without tracing
 * (no SDK started) there is no metadata and nothing happens.
 *
 * This is all the Express instrumentation was kept for. Its spans for routers and handlers, two
 * more per request that an SRE reads past, made a third of tracing's own CPU time in a service's
 * profile (tracing code 11 % of the busy time with them, 7.5 % without; an admin list page 16 %
 * more requests per second without them: bench/RESULTS.md, 2026-12-06 07:20).
 */
export function recordRoute(route: string): void {
  const metadata = getRPCMetadata(context.active());
  // a router's own root, `/incidents` + `/`, is named as the path clients call: `/incidents`
  if (metadata?.type === RPCType.HTTP) metadata.route = route.length > 1 && route.endsWith('/') ? route.slice(0, -1) : route;
}

import { type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { recordRoute } from './span-route.js';

export interface HttpMetrics {
  /** This app's own registry: several services share one process in standalone mode. */
  registry: Registry;
  /** Counts and times every request by method, route pattern and status. */
  middleware: RequestHandler;
}

const UNMATCHED_ROUTE = 'unmatched';

const MATCHED_ROUTE = Symbol('matched route');
const ROUTE_PATTERN = Symbol('route pattern');
type TrackedRequest = Request & { [MATCHED_ROUTE]?: unknown; [ROUTE_PATTERN]?: string };
const tracked = new WeakSet<object>();

/**
 * Express sets `req.route` when a route matches, while `req.baseUrl` still holds the router's
 * mount path. By the time the response finishes an error may have unwound the routers and
 * reset `baseUrl`, so the pattern — the metrics' label and the trace's route — is captured at
 * the moment of the match: by an accessor on the app's request prototype (defined once per app,
 * so request objects keep their shape; a property defined on each request would turn every one
 * into a slow dictionary object).
 *
 * Mount routers at static prefixes (`/incidents`, with `/:id/comments` inside the router):
 * `baseUrl` is the matched text of the mount path, so a parameter there would put raw ids in
 * the label.
 */
function trackRoutes(request: Request): void {
  const prototype = Object.getPrototypeOf(request) as object | null;
  if (!prototype || tracked.has(prototype)) return;
  tracked.add(prototype);
  Object.defineProperty(prototype, 'route', {
    configurable: true,
    enumerable: true,
    get(this: TrackedRequest) {
      return this[MATCHED_ROUTE];
    },
    set(this: TrackedRequest, matched: { path?: unknown } | undefined) {
      this[MATCHED_ROUTE] = matched;
      this[ROUTE_PATTERN] = matched ? `${this.baseUrl}${String(matched.path)}` : undefined;
      // and the trace's server span is named by the same pattern
      if (this[ROUTE_PATTERN] !== undefined) recordRoute(this[ROUTE_PATTERN]);
    },
  });
}

export function createHttpMetrics(serviceName: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: serviceName });
  collectDefaultMetrics({ register: registry });

  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route pattern and response status.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to finishing its response, in seconds.',
    labelNames,
    registers: [registry],
  });

  // The series of each method, route and status, looked up once: prom-client would otherwise
  // hash the labels of every request twice. Routes are patterns, so there are few of them.
  const series = new Map<string, { count: () => void; time: (seconds: number) => void }>();
  const seriesOf = (method: string, route: string, status: number) => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (!found) {
      const labels = { method, route, status: String(status) };
      const counter = requests.labels(labels);
      const histogram = duration.labels(labels);
      found = { count: () => counter.inc(), time: (seconds) => histogram.observe(seconds) };
      series.set(key, found);
    }
    return found;
  };

  const middleware: RequestHandler = (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    trackRoutes(request);
    response.once('finish', () => {
      // A proxy has no Express route; it names what it forwarded to in `locals.routeLabel`.
      const label = typeof response.locals.routeLabel === 'string' ? response.locals.routeLabel : ((request as TrackedRequest)[ROUTE_PATTERN] ?? UNMATCHED_ROUTE);
      const measured = seriesOf(request.method, label, response.statusCode);
      measured.count();
      measured.time(Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  };

  return { registry, middleware };
}

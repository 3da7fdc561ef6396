import { type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  /** This app's own registry: several services share one process in standalone mode. */
  registry: Registry;
  /** Counts and times every request by method, route pattern and status. */
  middleware: RequestHandler;
}

const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express sets `req.route` when a route matches, while `req.baseUrl` still holds the router's
 * mount path. By the time the response finishes an error may have unwound the routers and
 * reset `baseUrl`, so the pattern is captured at the moment of the match.
 *
 * Mount routers at static prefixes (`/incidents`, with `/:id/comments` inside the router):
 * `baseUrl` is the matched text of the mount path, so a parameter there would put raw ids in
 * the label.
 */
function captureMatchedRoute(request: Request): () => string {
  let route: unknown = request.route;
  let pattern: string | undefined;
  Object.defineProperty(request, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (matched: { path?: unknown } | undefined) => {
      route = matched;
      pattern = matched ? `${request.baseUrl}${String(matched.path)}` : undefined;
    },
  });
  return () => pattern ?? UNMATCHED_ROUTE;
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

  const middleware: RequestHandler = (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    const matchedRoute = captureMatchedRoute(request);
    response.once('finish', () => {
      // A proxy has no Express route; it names what it forwarded to in `locals.routeLabel`.
      const label = typeof response.locals.routeLabel === 'string' ? response.locals.routeLabel : matchedRoute();
      const labels = { method: request.method, route: label, status: String(response.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  };

  return { registry, middleware };
}

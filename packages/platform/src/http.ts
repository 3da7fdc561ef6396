import { randomUUID } from 'node:crypto';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import { type Logger } from 'pino';
import { AppError } from './errors.js';
import { type HealthCheck, runHealthChecks, summarizeHealth } from './health.js';
import { currentContext, generateTraceId, runInContext } from './logger.js';
import { createHttpMetrics, type HttpMetrics } from './metrics.js';
import { openApiDocument, type ApiDescription } from './openapi.js';
import { problemPages } from './problem-pages.js';
import { serverSpans, untracedRequests } from './server-span.js';
import { isDraining } from './shutdown.js';
import { notFoundHandler, PROBLEM_CODE_LOCAL, problemHandler, undocumentedRouteGuard } from './problem.js';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Probes, scrapes and replica polling: logged at debug, or they would drown the real traffic. */
const ROUTINE_PATHS = /^\/(health|metrics|internal\/)/;

/** Accepted from callers (the gateway forwards its own); anything else could forge log lines. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** https://www.w3.org/TR/trace-context/#traceparent-header */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const INVALID_TRACE_ID = '0'.repeat(32);

export interface HttpAppOptions {
  /** Reported by `/health` and added as the `service` label of every metric. */
  serviceName: string;
  logger: Logger;
  /** Largest accepted request body, in Express notation; `1mb` by default. */
  bodyLimit?: string;
  /**
   * Requests whose bodies a route reads as a stream itself (file uploads): past the JSON and
   * form parsers untouched, and not refused for their media type here.
   */
  streamedBodies?: (request: Request) => boolean;
  healthChecks?: HealthCheck[];
  /**
   * `/health` reports 503 when any check fails, not only a `ready` one: the gateway's view of the
   * whole platform, for people. Its readiness (`/health/ready`) still depends on `ready` checks only.
   */
  strictHealth?: boolean;
  /** Pass your own to register service metrics on the same registry; one is made otherwise. */
  metrics?: HttpMetrics;
  /** Express's `trust proxy` setting, for `req.ip` and `req.protocol` behind Traefik. */
  trustProxy?: boolean | number | string | string[];
  /** Parse JSON and form bodies (default). The gateway turns it off: bodies stream through untouched. */
  parseBodies?: boolean;
  /** The service's public API, served as OpenAPI 3.1 at `GET /openapi.json`. */
  api?: ApiDescription;
  /**
   * `internal` (the default): `/metrics` and the detailed `/health` are served here, on a port
   * only the cluster reaches. `elsewhere`: this app faces the public (the gateway): no `/metrics`,
   * and `/health` and its probes tell states only; `createInternalApp` serves the rest on a port
   * of its own.
   */
  internals?: 'internal' | 'elsewhere';
}

function traceIdFromTraceparent(header: string | undefined): string | undefined {
  const match = header ? TRACEPARENT.exec(header.trim()) : null;
  if (!match || match[1] === 'ff' || match[2] === INVALID_TRACE_ID) return undefined;
  return match[2];
}

/**
 * The request's trace id: the OpenTelemetry server span's when telemetry runs, else the
 * caller's `traceparent`, else a fresh one, so logs of one request always share a trace id.
 */
function traceIdFor(traceparent: string | undefined): string {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) return spanContext.traceId;
  return traceIdFromTraceparent(traceparent) ?? generateTraceId();
}

function requestContext(): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get(REQUEST_ID_HEADER);
    const requestId = incoming && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.set(REQUEST_ID_HEADER, requestId);
    runInContext({ requestId, traceId: traceIdFor(request.get('traceparent')) }, next);
  };
}

/**
 * helmet's security headers, as helmet's defaults set them, worked out once: they are the same on
 * every response, so one middleware sets them all rather than helmet's chain of thirteen on each
 * request.
 */
export function securityHeaders(): RequestHandler {
  const headers = new Map<string, string>();
  const collector = {
    setHeader: (name: string, value: string | number) => void headers.set(name, String(value)),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  let ran = false;
  helmet()({} as IncomingMessage, collector as unknown as ServerResponse, () => {
    ran = true;
  });
  if (!ran || headers.size === 0) throw new Error('helmet did not set its headers synchronously');
  return (_request, response, next) => {
    response.setHeaders(headers);
    next();
  };
}

/**
 * Answers with a JSON text as it is (one built by Postgres, or spliced from such texts), in a
 * single write: Express's `send` turns a text into a Buffer first, which Node then writes apart
 * from the headers; a text goes out with them in one piece.
 */
export function sendJsonText(response: Response, text: string, status = 200): void {
  response.status(status);
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  if (response.req.method === 'HEAD') response.end();
  else response.end(text, 'utf8');
}

function accessLog(logger: Logger): RequestHandler {
  return (request, response, next) => {
    const startedAt = performance.now();
    // 'close' also fires when the client goes away before the response is complete. The socket
    // emits it from outside the request's context, so the line is written in the context captured
    // here (AsyncResource.bind would do the same at several times the cost on every request).
    const context = currentContext();
    response.once('close', () =>
      runInContext(context ?? {}, () => {
        const line = {
          method: request.method,
          path: request.originalUrl.split('?')[0],
          status: response.statusCode,
          durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
          ...(typeof response.locals[PROBLEM_CODE_LOCAL] === 'string' ? { code: response.locals[PROBLEM_CODE_LOCAL] } : {}),
          ...(response.writableFinished ? {} : { aborted: true }),
        };
        if (response.statusCode >= 500) logger.warn(line, 'request failed');
        else if (ROUTINE_PATHS.test(line.path ?? '')) logger.debug(line, 'request completed');
        else logger.info(line, response.writableFinished ? 'request completed' : 'request aborted by the client');
      }),
    );
    next();
  };
}

/** No caching, ever: a probe must see now. */
const NO_STORE = 'no-store';

/** The full reports (every check's reason and timing) and the metrics: for the cluster only. */
function mountInternals(app: Express, options: HttpAppOptions, healthChecks: HealthCheck[], metrics: HttpMetrics): void {
  const { serviceName, logger } = options;
  // For people and dashboards: every check, and the service's state (ok, degraded, down).
  app.get('/health', async (_request, response) => {
    const report = await runHealthChecks(serviceName, healthChecks, { strict: options.strictHealth === true });
    if (report.status !== 'ok') logger.warn({ checks: report.checks, status: report.status }, 'health check failed');
    response.status(report.status === 'down' ? 503 : 200).set('Cache-Control', NO_STORE).json(report);
  });
  // For orchestrators. Live: the process answers (a failure restarts it). Ready: it can serve,
  // its own database reachable and migrated (it only listens once migrations are done); the
  // broker and other services are not asked, so their outage never takes this one out of rotation.
  app.get('/health/live', (_request, response) => {
    response.set('Cache-Control', NO_STORE).json({ status: 'ok', service: serviceName, uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/health/ready', async (_request, response) => {
    // Shutting down: out of rotation first, while requests already sent still get answers.
    if (isDraining()) {
      response.status(503).set('Cache-Control', NO_STORE).json({ status: 'draining', service: serviceName });
      return;
    }
    const report = await runHealthChecks(serviceName, healthChecks.filter((check) => (check.role ?? 'ready') === 'ready'));
    if (report.status !== 'ok') logger.warn({ checks: report.checks }, 'not ready');
    response.status(report.status === 'ok' ? 200 : 503).set('Cache-Control', NO_STORE).json(report);
  });
  app.get('/metrics', async (_request, response) => {
    const body = await metrics.registry.metrics();
    response.set('Content-Type', metrics.registry.contentType).send(body);
  });
}

/**
 * Health for a public port: the platform's state and each check's (up, degraded, down), the same
 * status codes as the detailed reports, and nothing an outsider could learn the installation from
 * — no error messages, hosts, database names or timings. The reasons are logged and served on the
 * internal port.
 */
function mountPublicHealth(app: Express, options: HttpAppOptions, healthChecks: HealthCheck[]): void {
  const { serviceName, logger } = options;
  app.get('/health', async (_request, response) => {
    const report = await runHealthChecks(serviceName, healthChecks, { strict: options.strictHealth === true });
    if (report.status !== 'ok') logger.warn({ checks: report.checks, status: report.status }, 'health check failed');
    response.status(report.status === 'down' ? 503 : 200).set('Cache-Control', NO_STORE).json(summarizeHealth(report));
  });
  app.get('/health/live', (_request, response) => {
    response.set('Cache-Control', NO_STORE).json({ status: 'ok' });
  });
  app.get('/health/ready', async (_request, response) => {
    if (isDraining()) {
      response.status(503).set('Cache-Control', NO_STORE).json({ status: 'draining' });
      return;
    }
    const report = await runHealthChecks(serviceName, healthChecks.filter((check) => (check.role ?? 'ready') === 'ready'));
    if (report.status !== 'ok') logger.warn({ checks: report.checks }, 'not ready');
    response.status(report.status === 'ok' ? 200 : 503).set('Cache-Control', NO_STORE).json({ status: report.status });
  });
}

export interface InternalAppOptions {
  serviceName: string;
  logger: Logger;
  healthChecks: HealthCheck[];
  strictHealth?: boolean;
  /** The registry the public app records into. */
  metrics: HttpMetrics;
}

/**
 * The internal port of an app built with `internals: 'elsewhere'`: `/metrics` and the detailed
 * `/health`, `/health/live`, `/health/ready`, for Prometheus and people on call inside the
 * cluster. Everything else is 404.
 */
export function createInternalApp(options: InternalAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // probes and scrapes: no trace, nor for what a readiness check does
  app.use(untracedRequests);
  app.use(requestContext());
  app.use(securityHeaders());
  mountInternals(app, { serviceName: options.serviceName, logger: options.logger, ...(options.strictHealth ? { strictHealth: true } : {}) }, options.healthChecks, options.metrics);
  app.use(notFoundHandler(new Map()));
  app.use(problemHandler(options.logger));
  return app;
}

const METHODS_WITH_BODIES = new Set(['POST', 'PUT', 'PATCH']);

/**
 * After the body parsers: a body none of them took (no Content-Type, or one the API does not
 * speak) is a 415 naming what to send, not a 400 about fields that seem to be missing.
 */
function unsupportedBodyType(streamed?: (request: Request) => boolean): RequestHandler {
  return (request, _response, next) => {
    const hasBody = request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (!METHODS_WITH_BODIES.has(request.method) || !hasBody || request.readableEnded || streamed?.(request)) {
      next();
      return;
    }
    const sent = request.headers['content-type'];
    next(
      new AppError({
        status: 415,
        code: 'HTTP.UNSUPPORTED_MEDIA_TYPE',
        detail: `${sent ? `Content-Type "${sent}" is not accepted` : 'The body has no Content-Type'}; send application/json, or the media type the operation names in the API reference (/docs).`,
      }),
    );
  };
}

/**
 * JSON and form bodies parsed, any other body type refused with 415: what every service's app
 * does first, for an app that parses bodies on some routes only (the gateway's own).
 */
export function bodyParsers(limit: string, streamed?: (request: Request) => boolean): RequestHandler[] {
  // raw-body hands the parsed body back in the request's async context, so ids survive parsing
  return [express.json({ limit, type: ['application/json', 'application/*+json'] }), express.urlencoded({ extended: false, limit }), unsupportedBodyType(streamed)];
}

/**
 * The Express app every service serves: request ids, log context, security headers, metrics,
 * access log, body limits, `/health`, `/metrics`, the problem pages (`/problems`), then the
 * service's routes (`mount`), then
 * problem+json for unknown routes and errors. It never listens; `listen` or a test does.
 */
export function createHttpApp(options: HttpAppOptions, mount: (app: Express) => void): Express {
  const { serviceName, logger, bodyLimit = '1mb', healthChecks = [] } = options;
  const metrics = options.metrics ?? createHttpMetrics(serviceName);
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every JSON body for a weak ETag; routes that version their resources set
  // a real one (incidents: "<version>"), and hashing 20 KB list pages costs more than it saves.
  app.set('etag', false);
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);

  // The request's server span, first: everything after runs in its trace. It names the service,
  // and its child spans inherit that (telemetry.ts).
  app.use(serverSpans(serviceName));
  app.use(requestContext());
  app.use(securityHeaders());
  app.use(metrics.middleware);
  app.use(accessLog(logger));
  if (options.parseBodies !== false) app.use(bodyParsers(bodyLimit, options.streamedBodies));

  if (options.internals === 'elsewhere') mountPublicHealth(app, options, healthChecks);
  else mountInternals(app, options, healthChecks, metrics);

  // The page each problem's `type` names.
  app.use(problemPages());

  if (options.api) {
    const document = openApiDocument(options.api);
    app.get('/openapi.json', (_request, response) => {
      response.json(document);
    });
  }

  const documentedPaths = new Map<string, string[]>();
  for (const operation of options.api?.operations ?? []) documentedPaths.set(operation.path, [...(documentedPaths.get(operation.path) ?? []), operation.method]);
  // A service that documents its API answers 404/405 for anything else before any guard runs.
  if (options.api) app.use(undocumentedRouteGuard(documentedPaths));

  mount(app);

  app.use(notFoundHandler(documentedPaths));
  app.use(problemHandler(logger));
  return app;
}

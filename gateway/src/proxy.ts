import http from 'node:http';
import { AppError, REQUEST_ID_HEADER, sendProblem } from '@desk/platform';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware, debugProxyErrorsPlugin, proxyEventsPlugin, type Options, type Plugin } from 'http-proxy-middleware';
import type { Logger } from 'pino';
import { isEventStreamRequest, type EventStreamSupervisor } from './event-streams.js';
import { routeFor, type Route, type UpstreamName } from './routes.js';

/**
 * Headers a client could use to pose as someone: services decide who the caller is from the
 * token alone, and the gateway makes sure nothing else that looks like identity gets through.
 */
const IDENTITY_HEADER = /^x-(user|users|caller|auth|authenticated|identity|role|roles|department|dept|scope|scopes|subject|sub|account|service-account|forwarded-(user|email|groups|preferred-username|access-token))(-|$)/i;

export interface ProxyOptions {
  upstreams: Partial<Record<UpstreamName, string>>;
  timeoutMs: number;
  logger: Logger;
  /** Takes charge of the event streams passed on (expiry, account check, per-caller cap). */
  streams: EventStreamSupervisor;
}

/** How long an idle upstream connection stays in the pool: under services' KEEP_ALIVE_TIMEOUT_MS (75 s). */
export const UPSTREAM_IDLE_MS = 60_000;

const TIMED_OUT = Symbol('upstream timed out');
/** The route the middleware matched, so the proxy's callbacks need not match it again. */
const ROUTE = Symbol('route');
type ProxiedRequest = Request & { [TIMED_OUT]?: boolean; [ROUTE]?: Route };

/**
 * Proxies to the service that owns the path. No body parser runs before it, so bodies reach the
 * service byte for byte, and responses stream back as they come (server-sent events included).
 * Upstream connections are kept alive, in a pool event streams cannot take (they have their
 * own). An upstream that does not start answering within `timeoutMs` is a 504; one that refuses
 * connections is a 503; other failures are 502.
 */
export function createProxy({ upstreams, timeoutMs, logger, streams }: ProxyOptions): RequestHandler {
  const options: Options<Request, Response> = {
    router: (request: ProxiedRequest) => upstreams[request[ROUTE]!.upstream]!,
    changeOrigin: false,
    // The library's fixes for SSE and restarts, and the `on` handlers below; our own error
    // answers and logging take the place of its other default plugins.
    ejectPlugins: true,
    plugins: [debugProxyErrorsPlugin, proxyEventsPlugin] as unknown as Plugin<Request, Response>[],
    on: {
      proxyReq: (proxyRequest, request: ProxiedRequest) => {
        // Time to the first byte of the answer, counted once the request is passed on whole: an
        // upload takes as long as the client needs to send it. A stream that then stays open is fine.
        let timer: NodeJS.Timeout | undefined;
        proxyRequest.once('finish', () => {
          timer = setTimeout(() => {
            request[TIMED_OUT] = true;
            proxyRequest.destroy(new Error(`no answer within ${timeoutMs} ms`));
          }, timeoutMs);
        });
        proxyRequest.once('response', () => clearTimeout(timer));
        proxyRequest.once('close', () => clearTimeout(timer));
      },
      proxyRes: (proxyResponse, request: ProxiedRequest, response) => {
        // Let streamed responses through at once, also behind buffering proxies.
        if (String(proxyResponse.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          proxyResponse.headers['x-accel-buffering'] = 'no';
          if (request.caller) streams.hold(request.caller, proxyResponse, response, request.path);
        }
      },
      error: (error, request: ProxiedRequest, response) => {
        const res = response as Response;
        const upstream = request[ROUTE]?.upstream ?? 'upstream';
        const code = (error as NodeJS.ErrnoException).code;
        const problem = request[TIMED_OUT]
          ? AppError.gatewayTimeout(upstream, timeoutMs)
          : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? AppError.serviceUnavailable('GATEWAY.UPSTREAM_UNAVAILABLE', `${upstream}-service is not reachable right now; try again shortly.`)
            : AppError.badGateway(upstream);
        logger.warn({ upstream, code, err: error, status: problem.status }, 'upstream request failed');
        if (!('headersSent' in res) || res.headersSent) {
          // Mid-stream: nothing to answer with, only to stop.
          (res as unknown as { destroy?: () => void }).destroy?.();
          return;
        }
        sendProblem(res, problem, String(res.getHeader(REQUEST_ID_HEADER) ?? ''));
      },
    },
  };
  // Two pools of upstream connections: event streams hold theirs for as long as they stay open,
  // so they get a pool of their own (no keep-alive: a stream's connection is never reused), and
  // however many are open, every other request still finds a connection in the first.
  // A pooled connection idle for UPSTREAM_IDLE_MS is closed by the gateway, or a second before the
  // `Keep-Alive: timeout=…` a service announces if that is sooner (Node uses the hint only when the
  // agent has a timeout of its own): the service must never be the one to close it, or a request
  // sent on it at that moment is lost.
  const proxy = createProxyMiddleware<Request, Response>({ ...options, agent: new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000, timeout: UPSTREAM_IDLE_MS }) });
  const streamProxy = createProxyMiddleware<Request, Response>({ ...options, agent: new http.Agent({ keepAlive: false }) });

  return (request, response, next) => {
    const route = routeFor(request.path);
    if (!route) return next();
    const { upstream } = route;
    (request as ProxiedRequest)[ROUTE] = route;
    // For metrics: the service prefix, never the raw path with its ids.
    response.locals.routeLabel = `${route.prefix}/*`;
    if (!upstreams[upstream]) {
      return next(AppError.serviceUnavailable('GATEWAY.UPSTREAM_UNAVAILABLE', `${upstream}-service is not deployed in this installation.`));
    }
    for (const header of Object.keys(request.headers)) if (IDENTITY_HEADER.test(header)) delete request.headers[header];
    // The client address as the gateway established it (trusting only configured proxies),
    // never a chain the client wrote itself.
    request.headers['x-forwarded-for'] = request.ip ?? request.socket.remoteAddress ?? '';
    request.headers['x-forwarded-proto'] = request.protocol;
    request.headers['x-forwarded-host'] = request.get('host') ?? '';
    request.headers[REQUEST_ID_HEADER.toLowerCase()] = String(response.getHeader(REQUEST_ID_HEADER) ?? '');
    void (isEventStreamRequest(request.method, request.path) ? streamProxy : proxy)(request, response, next);
  };
}

import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import { RPCType, setRPCMetadata, suppressTracing, type RPCMetadata } from '@opentelemetry/core';
import type { RequestHandler } from 'express';
import { SERVICE_ATTRIBUTE } from './service-attribute.js';

/** Probes and scrapes arrive every few seconds and would drown real traces; so would the portal's span uploads. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/health', '/metrics', '/telemetry/traces']);

/**
 * Requests that are not traced, nor is anything they do (a health check's query or call): the
 * internal port's probes and scrapes, and UNTRACED_PATHS on the public one.
 */
export const untracedRequests: RequestHandler = (_request, _response, next) => {
  context.with(suppressTracing(context.active()), next);
};

const tracer = trace.getTracer('@desk/platform/http');

/**
 * The HTTP server span of each request an app built by createHttpApp serves, after the stable
 * HTTP conventions: it continues the caller's `traceparent`, is named `GET /incidents/:id` by
 * the route that matched (recordRoute, span-route.ts) and is current for everything the request
 * does, so its queries, outgoing calls, published events and log lines belong to it.
 *
 * The HTTP instrumentation's incoming side did this before (telemetry.ts now leaves it off). Per
 * request it worked out some thirty attributes of two generations of conventions and bound every
 * listener of the request and the response to the context: in three alternating runs an admin
 * list page cost incident-service 0.62–0.71 ms of CPU with it, 0.57–0.65 with this, 0.52–0.57
 * with no tracing at all (bench/RESULTS.md, 2026-12-06 10:05). Without a tracer provider
 * (telemetry not started) the span is the API's no-op one and this costs next to nothing.
 */
export function serverSpans(serviceName: string): RequestHandler {
  return (request, response, next) => {
    const url = request.url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (UNTRACED_PATHS.has(path)) {
      untracedRequests(request, response, next);
      return;
    }
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const method = request.method;
    const host = request.headers.host;
    const attributes: Attributes = {
      [SERVICE_ATTRIBUTE]: serviceName,
      'http.request.method': method,
      'url.path': path,
      // the connection's own (Express's request.protocol asks the trust-proxy rules, which parse addresses)
      'url.scheme': (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
      'network.protocol.version': request.httpVersion,
      'client.address': request.socket.remoteAddress,
    };
    if (host) {
      // an IPv6 literal keeps its brackets' colons: the port is after the last `]:`
      const colon = host.lastIndexOf(':');
      const portPart = colon > host.lastIndexOf(']') ? colon : -1;
      attributes['server.address'] = portPart === -1 ? host : host.slice(0, portPart);
      if (portPart !== -1) attributes['server.port'] = Number(host.slice(portPart + 1));
    }
    const userAgent = request.headers['user-agent'];
    if (userAgent) attributes['user_agent.original'] = userAgent;
    const span: Span = tracer.startSpan(method, { kind: SpanKind.SERVER, attributes }, parent);
    const metadata: RPCMetadata = { type: RPCType.HTTP, span };
    response.once('close', () => finish(span, metadata, method, response.headersSent ? response.statusCode : undefined));
    context.with(setRPCMetadata(trace.setSpan(parent, span), metadata), next);
  };
}

/** When the response is done, or its connection closed first (a caller that gave up, a stream's reader gone). */
function finish(span: Span, metadata: RPCMetadata, method: string, status: number | undefined): void {
  if (metadata.route !== undefined) {
    span.setAttribute('http.route', metadata.route);
    span.updateName(`${method} ${metadata.route}`);
  }
  if (status !== undefined) {
    span.setAttribute('http.response.status_code', status);
    // a server span is in error for 5xx only: a 4xx is the caller's mistake, answered correctly
    if (status >= 500) {
      span.setAttribute('error.type', String(status));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}

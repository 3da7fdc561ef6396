import { callerOf } from '@desk/auth';
import { browserTraceExportResultSchema, browserTraceExportSchema, type BrowserSpan, type BrowserTraceExportResult } from '@desk/contracts';
import { AppError, bodyParsers, parseInput, type ApiDescription } from '@desk/platform';
import { recordForeignSpans, type ForeignSpan } from '@desk/platform/telemetry';
import { Router, type RequestHandler } from 'express';

// The portal's spans (a click, the fetches it caused) reach the platform's trace pipeline here:
// browsers cannot be assumed to reach a collector, but they reach the gateway. Only signed-in
// people upload, and what they upload is taken as a claim about their own browser: the service
// is always the portal, the resource is the gateway's own, and only a short list of attributes
// survives. See docs/ARCHITECTURE.md, "Tracing".

export const BROWSER_TRACES_PATH = '/telemetry/traces';
/** The `desk.service` (and exported `service.name`) of every uploaded span. */
export const PORTAL_SERVICE = 'portal';

/** What a browser span may say about itself; everything else is dropped. */
const KEPT_ATTRIBUTES = /^(desk\.action|desk\.page|component|error\.type|http\.(method|status_code|status_text|url|host|scheme|request\.method|response\.status_code|response_content_length)|url\.full|url\.path|server\.(address|port))$/;
const URL_ATTRIBUTES = new Set(['http.url', 'url.full']);
const MAX_STRING = 512;
/** Spans whose times are this far from the gateway's clock are refused: a wrong clock, or made up. */
const MAX_AGE_NANOS = 60n * 60n * 1_000_000_000n;
const MAX_AHEAD_NANOS = 5n * 60n * 1_000_000_000n;
const OTLP_KINDS: Record<number, ForeignSpan['kind']> = { 1: 'internal', 2: 'server', 3: 'client', 4: 'producer', 5: 'consumer' };

const description = 'Spans the portal recorded in a browser (a click, the API calls it made), in OTLP/HTTP JSON. They join the platform\'s traces under the service `portal`, with their own ids, so a trace starts at the click. Signed-in people only: `403 AUTH.FORBIDDEN` for service accounts. The resource sent is ignored, attributes other than the HTTP, URL and action ones are dropped, URLs lose their query, and spans whose times are more than an hour away from the gateway\'s clock are counted in `partialSuccess` and dropped. At most 256 spans and 64 KB per upload; uploads have a per-person rate limit of their own.';

export const browserTracesApi: ApiDescription = {
  title: 'gateway',
  version: '1.0.0',
  tag: { name: 'Telemetry', description: 'Traces that start in the portal, in a browser.' },
  operations: [
    {
      method: 'post',
      path: BROWSER_TRACES_PATH,
      summary: 'Upload the portal\'s spans',
      description,
      auth: 'bearer',
      body: browserTraceExportSchema,
      responses: { 200: { description: 'The spans were handed to the trace pipeline; refused ones are counted.', schema: browserTraceExportResultSchema } },
      errors: [400, 403, 413, 415, 429],
    },
  ],
};

const toNanos = (value: string | number): bigint => BigInt(value);
const toHrTime = (nanos: bigint): [number, number] => [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];

type AttributeValue = NonNullable<BrowserSpan['attributes']>[number]['value'];

function keptValue(key: string, value: AttributeValue): string | number | boolean | undefined {
  if (value.stringValue !== undefined) {
    const text = URL_ATTRIBUTES.has(key) ? withoutQuery(value.stringValue) : value.stringValue;
    return text.slice(0, MAX_STRING);
  }
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  return undefined;
}

/** Search terms and tokens can sit in a query string; the path is what a trace needs. */
function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? '';
  }
}

/** The span as the platform records it, or undefined when its times cannot be believed. */
export function sanitiseBrowserSpan(span: BrowserSpan, callerId: string, nowNanos: bigint): ForeignSpan | undefined {
  const start = toNanos(span.startTimeUnixNano);
  const end = toNanos(span.endTimeUnixNano);
  if (end < start || start < nowNanos - MAX_AGE_NANOS || end > nowNanos + MAX_AHEAD_NANOS) return undefined;
  const attributes: ForeignSpan['attributes'] = {};
  for (const { key, value } of span.attributes ?? []) {
    if (!KEPT_ATTRIBUTES.test(key)) continue;
    const kept = keptValue(key, value);
    if (kept !== undefined) attributes[key] = kept;
  }
  // Who uploaded it, from the token: a span is that person's word about their browser.
  attributes['enduser.id'] = callerId;
  const code = span.status?.code === 2 ? 'error' : span.status?.code === 1 ? 'ok' : undefined;
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId || undefined,
    name: span.name,
    kind: OTLP_KINDS[span.kind ?? 1] ?? 'internal',
    startTime: toHrTime(start),
    endTime: toHrTime(end),
    attributes,
    ...(code === undefined ? {} : { status: { code, message: span.status?.message?.slice(0, MAX_STRING) } }),
  };
}

/** `POST /telemetry/traces`: after authentication and its own rate limit (app.ts). */
export function browserTraces(limit: RequestHandler): Router {
  const router = Router();
  router.post(BROWSER_TRACES_PATH, limit, ...bodyParsers('64kb'), (request, response) => {
    const caller = callerOf(request);
    if (caller.kind !== 'user') throw AppError.forbidden('AUTH.FORBIDDEN', 'Only the portal, for a signed-in person, uploads browser spans.');
    const upload = parseInput(browserTraceExportSchema, request.body, 'body');
    const spans = upload.resourceSpans.flatMap((batch) => batch.scopeSpans).flatMap((scope) => scope.spans);
    const now = BigInt(Date.now()) * 1_000_000n;
    const kept = spans.map((span) => sanitiseBrowserSpan(span, caller.id, now)).filter((span) => span !== undefined);
    recordForeignSpans(kept, PORTAL_SERVICE);
    const rejectedSpans = spans.length - kept.length;
    const result: BrowserTraceExportResult = rejectedSpans === 0 ? {} : { partialSuccess: { rejectedSpans, errorMessage: 'Spans that ended before they started, or too far from now, were dropped.' } };
    response.json(result);
  });
  return router;
}

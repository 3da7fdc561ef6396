import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
} from '@opentelemetry/api';
import { TRACEPARENT_PATTERN } from '@desk/contracts';

// Trace context crosses the bus in W3C `traceparent`/`tracestate` message headers
// (https://www.w3.org/TR/trace-context/), and the outbox keeps the `traceparent` of the request
// that wrote an event in the envelope, so the relay's publish, which runs later and outside that
// request, still joins the request's trace.

export const tracer = trace.getTracer('@desk/messaging');

export type TraceHeaders = Record<string, string>;

/** The active trace context as message headers (empty without an OpenTelemetry SDK). */
export function traceHeaders(from: Context = context.active()): TraceHeaders {
  const carrier: TraceHeaders = {};
  propagation.inject(from, carrier);
  return carrier;
}

export function currentTraceparent(): string | undefined {
  const value = traceHeaders().traceparent;
  return value && TRACEPARENT_PATTERN.test(value) ? value : undefined;
}

export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') carrier[key] = value;
    else if (Buffer.isBuffer(value)) carrier[key] = value.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The trace id of a `traceparent`, for log lines when no OpenTelemetry SDK is running. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent && TRACEPARENT_PATTERN.test(traceparent) ? traceparent.split('-')[1] : undefined;
}

/** Runs `work` in a span of the given kind, recording a thrown error on it. */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Record<string, string | number | boolean>,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

export { SpanKind, context, trace };

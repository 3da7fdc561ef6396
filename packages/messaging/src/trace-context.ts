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
import { SERVICE_ATTRIBUTE } from '@desk/platform';

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

export { SERVICE_ATTRIBUTE };

/**
 * The producer span of one publish, after the OpenTelemetry messaging conventions: named
 * `publish <exchange>`, with the broker (`messaging.system`), the exchange as destination and the
 * routing key. Message headers injected inside it carry it to the consumer, whose `process`
 * span becomes its child. Its parent is the active context (the outbox sets the request's).
 */
export function publishSpan<T>(
  message: { system: string; exchange: string; routingKey: string; event: { id: string; type: string; source: string }; bodySize: number },
  work: () => Promise<T>,
): Promise<T> {
  const { event } = message;
  return inSpan(
    `publish ${message.exchange}`,
    SpanKind.PRODUCER,
    context.active(),
    {
      'messaging.system': message.system,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.destination.name': message.exchange,
      'messaging.rabbitmq.destination.routing_key': message.routingKey,
      'messaging.message.id': event.id,
      'messaging.message.body.size': message.bodySize,
      'cloudevents.event_id': event.id,
      'cloudevents.event_type': event.type,
      'cloudevents.event_source': event.source,
      [SERVICE_ATTRIBUTE]: event.source.replace(/^\//, ''),
    },
    work,
  );
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

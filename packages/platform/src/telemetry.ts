// A separate entry point (`@desk/platform/telemetry`) that imports OpenTelemetry packages only:
// instrumentation patches http, pg and pino as they are required, so this module
// must run before anything loads them. `main.ts` calls `startTelemetry` first.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Context } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { core, NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, RandomIdGenerator, type IdGenerator, type ReadableSpan, type Span, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SERVICE_ATTRIBUTE } from './service-attribute.js';

export interface TelemetryOptions {
  /** `service.name` of every span. In standalone mode one process hosts all services: name the process. */
  serviceName: string;
  /**
   * OTLP/HTTP base URL (e.g. `http://jaeger:4318`); spans go to `<base>/v1/traces`. Defaults to
   * OTEL_EXPORTER_OTLP_ENDPOINT. Without either nothing is exported.
   */
  otlpEndpoint?: string;
  /** Extra processors, e.g. a SimpleSpanProcessor over an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
}

export interface Telemetry {
  /** Flushes spans not yet exported and stops the SDK; safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * Kept on globalThis rather than in a module variable: the source and the compiled build of
 * this module can both be loaded in one process, and the SDK must still register only once.
 */
const RUNNING_TELEMETRY = Symbol.for('@desk/platform/telemetry');
type GlobalWithTelemetry = typeof globalThis & { [RUNNING_TELEMETRY]?: Telemetry };

/**
 * Random ids, except while a span recorded elsewhere is replayed (`recordForeignSpans`): the SDK
 * asks its id generator synchronously in `startSpan`, so handing it the span's own ids for that
 * one call keeps the ids the other side already propagated (a browser's fetch span is the parent
 * the gateway's server span names).
 */
class ReplayingIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  replaying: { traceId: string; spanId: string } | undefined;
  generateTraceId(): string {
    return this.replaying?.traceId ?? this.random.generateTraceId();
  }
  generateSpanId(): string {
    return this.replaying?.spanId ?? this.random.generateSpanId();
  }
}

const ID_GENERATOR = Symbol.for('@desk/platform/telemetry/ids');
type GlobalWithIds = typeof globalThis & { [ID_GENERATOR]?: ReplayingIdGenerator };

/** A finished span recorded outside this process (the portal's, in a browser), already checked. */
export interface ForeignSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  /** `[seconds, nanoseconds]` since the epoch. */
  startTime: [number, number];
  endTime: [number, number];
  attributes: Record<string, string | number | boolean>;
  status?: { code: 'ok' | 'error'; message?: string | undefined } | undefined;
}

const KINDS: Record<ForeignSpan['kind'], SpanKind> = { internal: SpanKind.INTERNAL, server: SpanKind.SERVER, client: SpanKind.CLIENT, producer: SpanKind.PRODUCER, consumer: SpanKind.CONSUMER };

/**
 * Hands spans recorded elsewhere to this process's trace pipeline, as spans of `service`
 * (`desk.service`, hence their exported `service.name`): every processor and exporter sees them
 * as it sees the process's own. Their ids are kept. Returns how many were recorded: none when
 * telemetry is not started in this process.
 */
export function recordForeignSpans(spans: readonly ForeignSpan[], service: string): number {
  const ids = (globalThis as GlobalWithIds)[ID_GENERATOR];
  if (!ids) return 0;
  const tracer = trace.getTracer('@desk/platform/foreign-spans');
  for (const foreign of spans) {
    const parent = foreign.parentSpanId
      ? trace.setSpanContext(ROOT_CONTEXT, { traceId: foreign.traceId, spanId: foreign.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })
      : ROOT_CONTEXT;
    ids.replaying = { traceId: foreign.traceId, spanId: foreign.spanId };
    let span;
    try {
      span = tracer.startSpan(foreign.name, { kind: KINDS[foreign.kind], startTime: foreign.startTime, attributes: { ...foreign.attributes, [SERVICE_ATTRIBUTE]: service } }, parent);
    } finally {
      ids.replaying = undefined;
    }
    if (foreign.status) span.setStatus({ code: foreign.status.code === 'error' ? SpanStatusCode.ERROR : SpanStatusCode.OK, ...(foreign.status.message ? { message: foreign.status.message } : {}) });
    span.end(foreign.endTime);
  }
  return spans.length;
}

/** A span with no service of its own takes its parent's (`desk.service`, see SERVICE_ATTRIBUTE). */
class ServiceAttribution implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    if (span.attributes[SERVICE_ATTRIBUTE] !== undefined) return;
    const parent = trace.getSpan(parentContext) as { attributes?: Attributes } | undefined;
    const service = parent?.attributes?.[SERVICE_ATTRIBUTE];
    if (typeof service === 'string') span.setAttribute(SERVICE_ATTRIBUTE, service);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Exports each span under the resource of the service it belongs to: the process's resource with
 * `service.name` set to the span's `desk.service`. In a service's own process that is its name
 * already; in standalone mode, where one process hosts every service, it tells them apart.
 */
export function withServiceResources(exporter: SpanExporter): SpanExporter {
  // Per process resource, per service: built once, not per exported span.
  const resources = new WeakMap<Resource, Map<string, Resource>>();
  const resourceFor = (base: Resource, service: string) => {
    let byService = resources.get(base);
    if (!byService) resources.set(base, (byService = new Map<string, Resource>()));
    let resource = byService.get(service);
    if (!resource) byService.set(service, (resource = base.merge(resourceFromAttributes({ 'service.name': service }))));
    return resource;
  };
  const relabel = (span: ReadableSpan): ReadableSpan => {
    const service = span.attributes[SERVICE_ATTRIBUTE];
    if (typeof service !== 'string' || span.resource.attributes['service.name'] === service) return span;
    const resource = resourceFor(span.resource, service);
    return new Proxy(span, { get: (target, property, receiver) => (property === 'resource' ? resource : Reflect.get(target, property, receiver) as unknown) });
  };
  return {
    export: (spans, done) => exporter.export(spans.map(relabel), done),
    shutdown: () => exporter.shutdown(),
    ...(exporter.forceFlush ? { forceFlush: () => exporter.forceFlush!() } : {}),
  };
}

function exportingProcessor(otlpEndpoint: string | undefined): SpanProcessor | undefined {
  if (otlpEndpoint) {
    // the OTLP spec's base endpoint carries one path per signal; traces are sent to /v1/traces
    const base = otlpEndpoint.endsWith('/') ? otlpEndpoint : `${otlpEndpoint}/`;
    return new BatchSpanProcessor(withServiceResources(new OTLPTraceExporter({ url: new URL('v1/traces', base).toString() })));
  }
  if (process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    // the exporter reads both variables itself, by the precedence the spec defines
    return new BatchSpanProcessor(withServiceResources(new OTLPTraceExporter()));
  }
  return undefined;
}

/**
 * Starts tracing for outgoing HTTP and pg (server spans are the apps' own, server-span.ts; the
 * event bus traces itself), with W3C trace context in headers, and trace ids in pino lines.
 * Starting again in the same process returns the first handle: instrumentations registered
 * twice would produce every span twice.
 */
export function startTelemetry({ serviceName, otlpEndpoint, spanProcessors = [] }: TelemetryOptions): Telemetry {
  const holder = globalThis as GlobalWithTelemetry;
  const running = holder[RUNNING_TELEMETRY];
  if (running) return running;

  const exporting = exportingProcessor(otlpEndpoint);
  const ids = new ReplayingIdGenerator();
  const processors = [new ServiceAttribution(), ...spanProcessors, ...(exporting ? [exporting] : [])];
  const sdk = new NodeSDK({
    serviceName,
    textMapPropagator: new core.W3CTraceContextPropagator(),
    idGenerator: ids,
    // Always at least the attribution processor: without any processor the SDK would register no
    // tracer provider and every trace id would be zeros (logs and propagation need real ones).
    spanProcessors: processors,
    // Metrics are Prometheus's job (prom-client) and logs go to stdout as JSON; empty lists
    // stop the SDK from defaulting to OTLP exporters for them.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // Outgoing requests only: the server span of each incoming one is started by the app
      // itself (server-span.ts), at a fraction of the instrumentation's cost per request.
      new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
      // No Express instrumentation: its spans for routers and handlers made a third of tracing's
      // own CPU time and tell an SRE nothing the server span does not; the route the server
      // span is named by comes from the metrics' route tracking (span-route.ts).
      // queries outside any request or message (pool chatter, pollers) would each start a trace
      new PgInstrumentation({ requireParentSpan: true }),
      // No amqplib instrumentation: the event bus makes its own publish and process spans after
      // the messaging conventions (@desk/messaging), which the instrumentation would double.
      new PinoInstrumentation({
        disableLogSending: true,
        logKeys: { traceId: 'traceId', spanId: 'spanId', traceFlags: 'traceFlags' },
      }),
    ],
  });
  sdk.start();

  let stopping: Promise<void> | undefined;
  const telemetry: Telemetry = {
    shutdown() {
      stopping ??= sdk.shutdown();
      return stopping;
    },
  };
  holder[RUNNING_TELEMETRY] = telemetry;
  (globalThis as GlobalWithIds)[ID_GENERATOR] = ids;
  return telemetry;
}

import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { WebTracerProvider } from '@opentelemetry/sdk-trace-web';

// The portal's part of a trace: a span per action a person takes (reporting an incident,
// changing its status...) and, under it, a span per call to the gateway, which carries the W3C
// `traceparent` there so the platform's spans continue the same trace. Spans are uploaded in
// small batches to the gateway (POST /telemetry/traces), the one endpoint a browser is sure to
// reach; see docs/ARCHITECTURE.md, "Tracing". Nothing here may slow or break the page: uploads
// happen in the background and a failed one is dropped (and counted on the console, debug level).

/** The portal's spans, as the platform names them. */
export const PORTAL_SERVICE = 'portal';

export interface TracingOptions {
  /** The gateway as the browser reaches it: spans go to its /telemetry/traces, and only it gets `traceparent`. */
  apiUrl: string;
  /** The person's access token; uploads without one would be refused, so none are sent. */
  accessToken: () => string | null;
}

let started = false;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Counts failed uploads: silent for the person, visible to whoever opens the console at debug level. */
function quietly(exporter: SpanExporter): SpanExporter {
  let failed = 0;
  return {
    export(spans: ReadableSpan[], done) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          failed += 1;
          // eslint-disable-next-line no-console -- debug level: out of the person's way, there for whoever looks
          console.debug(`[tracing] ${failed} span upload${failed === 1 ? '' : 's'} failed so far; the spans were dropped.`, result.error?.message ?? '');
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/** Starts tracing in this tab, once; later calls do nothing. Browser only. */
export function startTracing({ apiUrl, accessToken }: TracingOptions): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  const gateway = new URL(apiUrl).origin;
  const exporter = new OTLPTraceExporter({
    url: `${apiUrl.replace(/\/+$/, '')}/telemetry/traces`,
    headers: () => {
      const token = accessToken();
      return Promise.resolve<Record<string, string>>(token ? { Authorization: `Bearer ${token}` } : {});
    },
    timeoutMillis: 10_000,
  });
  const provider = new WebTracerProvider({
    resource: resourceFromAttributes({ 'service.name': PORTAL_SERVICE }),
    spanProcessors: [
      // small uploads, well under the gateway's 64 KB and 256 spans, a few seconds apart
      new BatchSpanProcessor(quietly(exporter), { maxExportBatchSize: 64, maxQueueSize: 512, scheduledDelayMillis: 2_000, exportTimeoutMillis: 10_000 }),
    ],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  const toGateway = new RegExp(`^${escapeRegExp(gateway)}/`);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new FetchInstrumentation({
        // trace context goes to the gateway and nowhere else
        propagateTraceHeaderCorsUrls: [toGateway],
        ignoreUrls: [
          // only calls to the gateway: not the portal's own routes, not anyone else's
          new RegExp(`^(?!${escapeRegExp(gateway)}/)`),
          // event streams stay open for as long as the page does: not an API call with an end
          /\/stream(\?|$)/,
          /\/telemetry\/traces$/,
        ],
        ignoreNetworkEvents: true,
        clearTimingResources: true,
      }),
    ],
  });
  // Spans still queued when the tab is hidden (closed, switched away) are sent then.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void provider.forceFlush().catch(() => undefined);
  });
}

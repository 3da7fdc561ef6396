import { SpanStatusCode, trace } from '@opentelemetry/api';

// Only the API here, not the SDK: until tracing is started (tracing.ts, loaded on demand) the
// tracer is a no-op and an action costs nothing but the call.

/**
 * Runs `action` (a write to the platform) inside a span named for what the person did: the API
 * calls it makes are its children, and so is everything the platform does for them.
 */
export function traceAction<T>(name: string, action: () => Promise<T>): Promise<T> {
  const attributes = { 'desk.action': name, ...(typeof window === 'undefined' ? {} : { 'desk.page': window.location.pathname }) };
  return trace.getTracer('portal').startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await action();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { type LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * What ties a log line to the unit of work it belongs to: the HTTP request, or the message a
 * consumer is handling. The HTTP middleware and the messaging consumer each open one.
 */
export interface LogContext {
  requestId?: string;
  traceId?: string;
  eventId?: string;
}

const contextStorage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `work` with `context` as the current log context, which follows it across awaits,
 * timers and callbacks. The context replaces any outer one instead of merging with it: a
 * background loop started during some request would otherwise stamp that request's id on
 * everything it logs for the rest of the process's life.
 */
export function runInContext<Result>(context: LogContext, work: () => Result): Result {
  return contextStorage.run({ ...context }, work);
}

export function currentContext(): LogContext | undefined {
  return contextStorage.getStore();
}

/** A W3C trace id: 32 lowercase hex digits, not all zero. */
export function generateTraceId(): string {
  // randomUUID draws from a cached pool of entropy; randomBytes asks the CSPRNG every time.
  // 122 random bits (a v4 UUID's version and variant digits stay fixed) are plenty for an id.
  return randomUUID().replaceAll('-', '');
}

/**
 * The trace id to log: the active OpenTelemetry span's when telemetry is running, since that
 * is the id Jaeger shows, otherwise the one the request or message context carries.
 */
export function currentTraceId(): string | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext && isSpanContextValid(spanContext)) return spanContext.traceId;
  return contextStorage.getStore()?.traceId;
}

function contextFields(): Record<string, string> {
  const context = contextStorage.getStore();
  const fields: Record<string, string> = {};
  const traceId = currentTraceId();
  if (context?.requestId) fields.requestId = context.requestId;
  if (context?.eventId) fields.eventId = context.eventId;
  if (traceId) fields.traceId = traceId;
  return fields;
}

/**
 * Secrets that must never reach a log line, wherever a careless `logger.info({ body })` puts
 * them: at the top level and one object down.
 */
const REDACTED_PATHS = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'refreshToken',
  '*.refreshToken',
  'accessToken',
  '*.accessToken',
  'clientSecret',
  '*.clientSecret',
];

export interface LoggerOptions {
  /** Written on every line as `service`; several services share one process in standalone mode. */
  service: string;
  level?: LogLevel;
  /** Where lines go; stdout when omitted. Tests pass a `LogCapture`. */
  destination?: DestinationStream;
}

/**
 * JSON lines with ISO timestamps and level names, the service name, and the request, event and
 * trace ids of the context the line was logged in.
 */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: contextFields,
  };
  return destination ? pino(options, destination) : pino(options);
}

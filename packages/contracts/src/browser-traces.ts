import { z } from 'zod';

// The portal's spans as its OpenTelemetry exporter sends them: OTLP/HTTP with the JSON encoding
// (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding), ids in hex. Only what the
// gateway keeps is described; the rest (resource, scope, events, links) is accepted and dropped.

/** How many spans one upload may carry; the portal sends small batches. */
export const BROWSER_SPANS_PER_UPLOAD = 256;

const hex = (length: number, what: string) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${length}}$`), { error: `must be ${what}: ${length} lowercase hexadecimal digits` }).refine((value) => /[1-9a-f]/.test(value), { error: `must be ${what}, not all zeros` });

/** Nanoseconds since the epoch: a decimal string (OTLP's JSON encoding of a 64-bit integer) or a number. */
const unixNanos = z.union([z.string().regex(/^\d{1,20}$/, { error: 'must be nanoseconds since 1970 as a decimal string' }), z.number().int().nonnegative()]);

const attributeValueSchema = z.object({
  stringValue: z.string().max(2048).optional(),
  boolValue: z.boolean().optional(),
  intValue: z.union([z.string().regex(/^-?\d{1,19}$/), z.number().int()]).optional(),
  doubleValue: z.number().optional(),
});

const attributeSchema = z.object({ key: z.string().min(1).max(128), value: attributeValueSchema });

export const browserSpanSchema = z.object({
  traceId: hex(32, 'a trace id'),
  spanId: hex(16, 'a span id'),
  /** Empty or absent for a root span (the click). */
  parentSpanId: z.union([hex(16, 'a span id'), z.literal('')]).optional(),
  name: z.string().min(1).max(256),
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer (0 unspecified). */
  kind: z.number().int().min(0).max(5).optional(),
  startTimeUnixNano: unixNanos,
  endTimeUnixNano: unixNanos,
  attributes: z.array(attributeSchema).max(128).optional(),
  status: z.object({ code: z.number().int().min(0).max(2).optional(), message: z.string().max(1024).optional() }).optional(),
});
export type BrowserSpan = z.infer<typeof browserSpanSchema>;

export const browserTraceExportSchema = z.object({
  resourceSpans: z
    .array(z.object({ scopeSpans: z.array(z.object({ spans: z.array(browserSpanSchema).max(BROWSER_SPANS_PER_UPLOAD) })).max(16) }))
    .max(16)
    .refine((batches) => batches.flatMap((batch) => batch.scopeSpans).flatMap((scope) => scope.spans).length <= BROWSER_SPANS_PER_UPLOAD, {
      error: `must hold at most ${BROWSER_SPANS_PER_UPLOAD} spans in all`,
    }),
});
export type BrowserTraceExport = z.infer<typeof browserTraceExportSchema>;

/** OTLP's ExportTraceServiceResponse: spans refused (bad times) are counted, not fatal. */
export const browserTraceExportResultSchema = z.object({
  partialSuccess: z.object({ rejectedSpans: z.number().int().nonnegative(), errorMessage: z.string() }).optional(),
});
export type BrowserTraceExportResult = z.infer<typeof browserTraceExportResultSchema>;

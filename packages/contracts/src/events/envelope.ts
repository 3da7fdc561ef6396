import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  currentDataVersion,
  dataSchemaFor,
  isEventType,
  type EventData,
  type EventType,
} from './catalog.js';
import { timestampSchema } from './snapshots.js';

/** W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header). */
export const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * CloudEvents 1.0 structured JSON (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md)
 * with two extension attributes: `dataversion`, the version of the data schema, and
 * `traceparent` from the CloudEvents distributed-tracing extension.
 */
export const eventEnvelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.uuid(),
  source: z.string().min(1),
  type: z.string().min(1),
  time: timestampSchema,
  subject: z.string().min(1),
  datacontenttype: z.literal('application/json'),
  dataversion: z.number().int().positive(),
  traceparent: z.string().regex(TRACEPARENT_PATTERN).optional(),
  data: z.unknown(),
});

interface EnvelopeOf<T extends EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  dataversion: number;
  traceparent?: string;
  data: EventData<T>;
}

/**
 * An event of type T. Distributes over a union, so `EventEnvelope` alone is the union of every
 * event type's envelope and narrows on `type`.
 */
export type EventEnvelope<T extends EventType = EventType> = T extends EventType ? EnvelopeOf<T> : never;

/** Any event of the catalogue, narrowed by `type`. */
export type AnyEvent = EventEnvelope;

/** An event that does not match its envelope or data schema. Consumers dead-letter it. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(issues.length > 0 ? `${message}: ${issues.join('; ')}` : message);
    this.name = 'InvalidEventError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** Validates an incoming event: envelope, known type, known `dataversion`, data schema. */
export function parseEvent(raw: unknown): AnyEvent {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new InvalidEventError('invalid event envelope', describeIssues(envelope.error));
  const { type, dataversion } = envelope.data;
  if (!isEventType(type)) throw new InvalidEventError(`unknown event type "${type}"`);
  const schema = dataSchemaFor(type, dataversion);
  if (!schema) throw new InvalidEventError(`unsupported dataversion ${dataversion} for "${type}"`);
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(`invalid data for "${type}"`, describeIssues(data.error));
  return { ...envelope.data, type, data: data.data } as AnyEvent;
}

export interface NewEvent<T extends EventType> {
  source: string;
  subject: string;
  data: EventData<T>;
  id?: string;
  time?: Date | string;
  traceparent?: string;
}

/** Builds an event at the type's current data version, refusing data that does not match it. */
export function buildEvent<T extends EventType>(type: T, input: NewEvent<T>): EventEnvelope<T> {
  const dataversion = currentDataVersion(type);
  const schema = dataSchemaFor(type, dataversion)!;
  const data = schema.safeParse(input.data);
  if (!data.success) throw new InvalidEventError(`invalid data for "${type}"`, describeIssues(data.error));
  const time = input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString());
  return {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type,
    time,
    subject: input.subject,
    datacontenttype: 'application/json',
    dataversion,
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: data.data as EventData<T>,
  } as EventEnvelope<T>;
}

import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';

// The admin API of parked events (`/admin/events/parked`, answered by the gateway from every
// consuming service). An event is parked when its consumer could not handle it after all its
// attempts, or could never handle it (a data version it does not know yet): it waits, with the
// reason, until an admin replays it (the consumer's inbox still deduplicates) or discards it.

export const PARKED_EVENT_STATUSES = ['parked', 'replay_requested', 'replayed', 'discarded'] as const;
export const parkedEventStatusSchema = z.enum(PARKED_EVENT_STATUSES);
export type ParkedEventStatus = z.infer<typeof parkedEventStatusSchema>;

/** The services that consume events, each with its own parking lot. */
export const EVENT_CONSUMERS = ['identity-service', 'incident-service', 'notification-service', 'analytics-service'] as const;
export const eventConsumerSchema = z.enum(EVENT_CONSUMERS, { error: `must be one of ${EVENT_CONSUMERS.join(', ')}` });
export type EventConsumer = z.infer<typeof eventConsumerSchema>;

export const parkedEventSchema = z.object({
  id: z.uuid(),
  /** The service that could not handle it. */
  consumer: z.string(),
  /** The CloudEvent id; null when the message had none the consumer could read. */
  eventId: z.uuid().nullable(),
  eventType: z.string().nullable(),
  /** The CloudEvent subject: for incident events, the incident's id. */
  subject: z.string().nullable(),
  /** Why the last attempt failed. */
  reason: z.string(),
  attempts: z.number().int().nonnegative(),
  firstFailedAt: timestamp,
  /** When it was parked: its last failure. */
  parkedAt: timestamp,
  status: parkedEventStatusSchema,
  resolvedAt: timestamp.nullable(),
  /** Who replayed or discarded it. */
  resolvedBy: z.string().nullable(),
  discardReason: z.string().nullable(),
  replays: z.number().int().nonnegative(),
});
export type ParkedEventView = z.infer<typeof parkedEventSchema>;

/** One parked event with the event itself, as the consumer received it. */
export const parkedEventDetailSchema = parkedEventSchema.extend({
  /** The CloudEvent as JSON; the raw text when it was not JSON. */
  event: z.unknown(),
});
export type ParkedEventDetail = z.infer<typeof parkedEventDetailSchema>;

const word = (what: string) => z.string().trim().min(1, { error: `must name ${what}` }).max(200);

export const listParkedEventsQuerySchema = z.object({
  status: parkedEventStatusSchema.default('parked'),
  consumer: eventConsumerSchema.optional(),
  type: word('an event type').optional(),
  subject: word('a subject').optional(),
  limit: z.coerce
    .number({ error: 'must be a whole number from 1 to 500' })
    .int({ error: 'must be a whole number from 1 to 500' })
    .min(1, { error: 'must be a whole number from 1 to 500' })
    .max(500, { error: 'must be a whole number from 1 to 500' })
    .default(100),
});
export type ListParkedEventsQuery = z.output<typeof listParkedEventsQuerySchema>;

/** How one consuming service stands: its events waiting, and its link to the broker. */
export const eventConsumerStateSchema = z.object({
  /** Events waiting (status `parked`), whatever the filter. */
  waiting: z.number().int().nonnegative(),
  eventBus: z.object({
    /** `down` while it has no connection to the broker: events wait in the broker (and publishers' outboxes) meanwhile. */
    status: z.enum(['up', 'down']),
    detail: z.string().optional(),
  }),
});
export type EventConsumerState = z.infer<typeof eventConsumerStateSchema>;

/** Parked events of every consumer, newest first, with how each consumer stands. */
export const parkedEventListSchema = z.object({
  items: z.array(parkedEventSchema),
  /** Every consumer that answered, by name. */
  consumers: z.record(z.string(), eventConsumerStateSchema),
  /** Consumers that did not answer: their events are missing from `items` and `consumers`. */
  unavailable: z.array(z.string()),
});
export type ParkedEventList = z.infer<typeof parkedEventListSchema>;

/** A bulk replay: every parked event matching all the filters given (none given: every parked event). */
export const replayParkedEventsBodySchema = z.strictObject({
  consumer: eventConsumerSchema.optional(),
  type: word('an event type').optional(),
  subject: word('a subject').optional(),
});
export type ReplayParkedEventsBody = z.output<typeof replayParkedEventsBodySchema>;

export const replayParkedEventsResultSchema = z.object({
  /** How many replays were requested; each consumer hands them over within about a second. */
  requested: z.number().int().nonnegative(),
  byConsumer: z.record(z.string(), z.number().int().nonnegative()),
  unavailable: z.array(z.string()),
});
export type ReplayParkedEventsResult = z.infer<typeof replayParkedEventsResultSchema>;

export const discardParkedEventBodySchema = z.strictObject({
  /** Kept with the event: why it is not to be handled. */
  reason: z.string().trim().min(3, { error: 'must say why, in at least 3 characters' }).max(1000, { error: 'must be at most 1000 characters' }),
});
export type DiscardParkedEventBody = z.output<typeof discardParkedEventBodySchema>;

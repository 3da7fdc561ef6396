import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';
import { pageQuerySchema, pageSchema } from './pagination.js';

// Outgoing webhooks (notification-service): other systems told about the platform's events over
// HTTP, signed as the Standard Webhooks specification says (https://www.standardwebhooks.com).

/**
 * The event types an endpoint may subscribe to: what happens to incidents, departments,
 * categories and accounts. Never the account mails' events (they carry single-use links) nor
 * the audit trail's internal feed.
 */
export const WEBHOOK_EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.status_changed',
  'incident.assigned',
  'incident.priority_changed',
  'incident.commented',
  'incident.sla_breached',
  'incident.sla_recalculated',
  'incident.waiting_changed',
  'incident.escalated',
  'incident.attachment_added',
  'incident.attachment_removed',
  'incident.watcher_added',
  'incident.watcher_removed',
  'incident.linked',
  'incident.unlinked',
  'incident.major_declared',
  'incident.major_update_posted',
  'incident.review_written',
  'incident.satisfaction_rated',
  'department.created',
  'department.updated',
  'category.created',
  'category.updated',
  'user.registered',
  'user.updated',
  'user.deactivated',
] as const;
export const webhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES, {
  error: (issue) => `must be one of the event types webhooks carry (${WEBHOOK_EVENT_TYPES.join(', ')}); got ${JSON.stringify(issue.input)}`,
});
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

/** An endpoint's state: `DISABLED` by an admin, or by the service after failing for too long (`disabledReason`). */
export const WEBHOOK_STATUSES = ['ACTIVE', 'DISABLED'] as const;
export const webhookStatusSchema = z.enum(WEBHOOK_STATUSES);

/** The URL as parsed, or undefined when it does not parse (the `url` check reports that). */
const parsedUrl = (value: string) => (URL.canParse(value) ? new URL(value) : undefined);

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http:// or https:// URL' })
  .max(2000)
  .refine((value) => {
    const url = parsedUrl(value);
    return !url || (url.username === '' && url.password === '');
  }, { error: 'must not carry a user name or password; put credentials in the path or query if the receiver needs them' })
  .refine((value) => parsedUrl(value)?.hash !== '#' && !parsedUrl(value)?.hash, { error: 'must not have a #fragment (it is never sent)' })
  .describe('Where deliveries are POSTed. Private, loopback and link-local addresses are refused unless the deployment allows them (`WEBHOOK_ALLOWED_NETWORKS`).');

const eventList = z
  .array(webhookEventTypeSchema)
  .min(1, { error: 'must name at least one event type' })
  .max(WEBHOOK_EVENT_TYPES.length)
  .refine((events) => new Set(events).size === events.length, { error: 'lists an event type twice' })
  .describe('The event types delivered to this endpoint.');

const description = z.string().trim().max(500).describe('What the endpoint is for, for the admins reading the list.');

export const createWebhookBodySchema = z.strictObject({ url: webhookUrl, events: eventList, description: description.optional() });
export type CreateWebhookBody = z.infer<typeof createWebhookBodySchema>;

export const updateWebhookBodySchema = z
  .strictObject({
    url: webhookUrl.optional(),
    events: eventList.optional(),
    description: description.optional(),
    /** `ACTIVE` again (after fixing the receiver) starts deliveries anew; `DISABLED` pauses them. */
    status: webhookStatusSchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'names nothing to change' });
export type UpdateWebhookBody = z.infer<typeof updateWebhookBodySchema>;

export const rotateWebhookSecretBodySchema = z
  .strictObject({
    /** How long the previous secret keeps signing alongside the new one (default 24 h, at most 7 days; 0 ends it now). */
    overlapSeconds: z.number().int().min(0).max(7 * 24 * 3600).optional(),
  })
  .default({});

/** A registered endpoint. The secret is never part of it: it is shown once, on creation and rotation. */
export const webhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(webhookEventTypeSchema),
  description: z.string(),
  status: webhookStatusSchema,
  /** Why it is disabled: by whom, or how long it had been failing. Null while active. */
  disabledReason: z.string().nullable(),
  disabledAt: timestamp.nullable(),
  /** Since when every attempt failed (null when the last one succeeded or none was made). */
  failingSince: timestamp.nullable(),
  /** The previous secret still signs (next to the current one) until then, after a rotation. */
  previousSecretExpiresAt: timestamp.nullable(),
  createdById: z.uuid(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Webhook = z.infer<typeof webhookSchema>;

export const webhookListSchema = z.object({ items: z.array(webhookSchema) });

/** The answer to creating an endpoint or rotating its secret: the only time the secret is shown. */
export const webhookWithSecretSchema = webhookSchema.extend({
  /** `whsec_` and the base64 of 32 random bytes: verify deliveries with it (Standard Webhooks). */
  secret: z.string(),
});
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['PENDING', 'SENDING', 'SUCCEEDED', 'FAILED'] as const;
export const webhookDeliveryStatusSchema = z.enum(WEBHOOK_DELIVERY_STATUSES);
export type WebhookDeliveryStatus = z.infer<typeof webhookDeliveryStatusSchema>;

/** One try at delivering: what was sent, what came back and how long it took. */
export const webhookAttemptSchema = z.object({
  attempt: z.number().int().positive(),
  at: timestamp,
  /** The resolved address the request went to (after the allowlist check); null when it never connected. */
  remoteAddress: z.string().nullable(),
  /** The HTTP status the receiver answered; null when there was no answer (refused, timed out, blocked). */
  responseStatus: z.number().int().nullable(),
  durationMs: z.number().int().nonnegative(),
  /** The first 1 KiB of the response body, as text. */
  responseBodyExcerpt: z.string().nullable(),
  /** Why the attempt failed, when it did. */
  error: z.string().nullable(),
});
export type WebhookAttempt = z.infer<typeof webhookAttemptSchema>;

/** One event for one endpoint, and how delivering it went. */
export const webhookDeliverySchema = z.object({
  id: z.uuid(),
  webhookId: z.uuid(),
  /** The `webhook-id` header: the event's id, the same on every retry and redelivery. */
  messageId: z.string(),
  eventType: webhookEventTypeSchema,
  status: webhookDeliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  createdAt: timestamp,
  nextAttemptAt: timestamp.nullable(),
  deliveredAt: timestamp.nullable(),
  /** The request as sent: its headers (signature included) and its JSON body. */
  request: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  /** The newest attempts first (up to 20). */
  attemptLog: z.array(webhookAttemptSchema),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = pageSchema(webhookDeliverySchema);

const csvDeliveryStatuses = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(webhookDeliveryStatusSchema).min(1));

export const listWebhookDeliveriesQuerySchema = pageQuerySchema.extend({
  status: csvDeliveryStatuses.optional().describe('Only these statuses (comma-separated).'),
  eventType: webhookEventTypeSchema.optional(),
});
export type ListWebhookDeliveriesQuery = z.output<typeof listWebhookDeliveriesQuerySchema>;

/** What a delivery's body is: the Standard Webhooks payload shape. */
export const webhookPayloadSchema = z.object({
  type: webhookEventTypeSchema,
  /** When the event happened. */
  timestamp,
  /** The event's data, as in the event catalogue (`GET /events/catalog`). */
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';
import { pageQuerySchema, pageSchema } from './pagination.js';

// HTTP bodies of notification-service. Request bodies are strict: an unknown field is a 400 that names
// it, so a typo (`fullname`) never silently does nothing. Query parameters a route does not know
// are ignored, on every route (caches and cache-busters add their own); a known one with a bad
// value is a 400 naming it.

/** The incident events people are told about; each can be switched off per channel. */
export const NOTIFIABLE_EVENT_TYPES = [
  'incident.created',
  'incident.assigned',
  'incident.status_changed',
  'incident.commented',
  'incident.priority_changed',
  'incident.sla_breached',
  'incident.escalated',
  'incident.attachment_added',
  'incident.watcher_added',
  'incident.major_declared',
  'incident.major_update_posted',
] as const;
export const notifiableEventTypeSchema = z.enum(NOTIFIABLE_EVENT_TYPES);
export type NotifiableEventType = z.infer<typeof notifiableEventTypeSchema>;

export const NOTIFICATION_CHANNELS = ['email', 'inApp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** One entry of a person's in-app inbox. */
export const notificationSchema = z.object({
  id: z.uuid(),
  type: notifiableEventTypeSchema,
  incidentId: z.uuid(),
  incidentKey: z.string(),
  /** One line: what happened, e.g. "INC-000123 was resolved". */
  headline: z.string(),
  /** More of it: the reason, the comment, the due time; may be empty. */
  detail: z.string(),
  actorId: z.uuid().nullable(),
  /** The incident in the portal. */
  link: z.string(),
  createdAt: timestamp,
  readAt: timestamp.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const listNotificationsQuerySchema = pageQuerySchema
  .extend({
    unread: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((value) => value === 'true')
      .optional(),
  });
export type ListNotificationsQuery = z.output<typeof listNotificationsQuerySchema>;

export const notificationPageSchema = pageSchema(notificationSchema).extend({
  /** Unread notifications in the whole inbox, not only on this page. */
  unreadCount: z.number().int().nonnegative(),
});
export type NotificationPage = z.infer<typeof notificationPageSchema>;

export const readAllResultSchema = z.object({ updated: z.number().int().nonnegative(), unreadCount: z.literal(0) });

/** Whether a person wants to hear of an event type by email and in the app. */
export const preferenceSchema = z.strictObject({
  eventType: notifiableEventTypeSchema,
  email: z.boolean(),
  inApp: z.boolean(),
});
export type Preference = z.infer<typeof preferenceSchema>;

export const preferencesSchema = z.object({ items: z.array(preferenceSchema) });

/** PUT replaces the whole set: event types left out go back to the default (both channels on). */
export const putPreferencesBodySchema = z.strictObject({
  items: z
    .array(preferenceSchema)
    .max(NOTIFIABLE_EVENT_TYPES.length)
    .refine((items) => new Set(items.map((item) => item.eventType)).size === items.length, { error: 'lists an event type twice' }),
});
export type PutPreferencesBody = z.infer<typeof putPreferencesBodySchema>;

export const DELIVERY_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** One email to one person about one event, and how sending it went. */
export const deliverySchema = z.object({
  id: z.uuid(),
  eventId: z.uuid(),
  eventType: notifiableEventTypeSchema,
  incidentId: z.uuid(),
  incidentKey: z.string(),
  userId: z.uuid(),
  to: z.string(),
  subject: z.string(),
  messageId: z.string(),
  status: deliveryStatusSchema,
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  createdAt: timestamp,
  nextAttemptAt: timestamp.nullable(),
  sentAt: timestamp.nullable(),
});
export type Delivery = z.infer<typeof deliverySchema>;

const csvStatuses = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
  .pipe(z.array(deliveryStatusSchema).min(1));

export const listDeliveriesQuerySchema = pageQuerySchema
  .extend({
    status: csvStatuses.optional(),
    userId: z.uuid().optional(),
    incidentId: z.uuid().optional(),
    incidentKey: z.string().regex(/^INC-\d{1,18}$/i, { error: 'must be an incident key such as INC-000123' }).optional(),
    eventType: notifiableEventTypeSchema.optional(),
    createdFrom: z.iso.datetime({ offset: true }).optional(),
    createdTo: z.iso.datetime({ offset: true }).optional(),
  });
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuerySchema>;

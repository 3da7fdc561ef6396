import { z } from 'zod';
import { auditRecordSchema } from '../audit.js';
import { incidentLinkTypeSchema } from '../collaboration.js';
import { incidentPrioritySchema, incidentStatusSchema, slaTargetSchema } from '../incidents.js';
import { localeSchema } from '../locales.js';
import {
  categorySnapshotSchema,
  departmentSnapshotSchema,
  incidentSnapshotSchema,
  timestampSchema,
  userSnapshotSchema,
} from './snapshots.js';

/**
 * The bounded contexts that publish events. Each publishes to its own durable topic exchange,
 * named `<context>.events`.
 */
export const PUBLISHING_CONTEXTS = ['identity', 'incident'] as const;
export type PublishingContext = (typeof PUBLISHING_CONTEXTS)[number];

export function exchangeFor(context: PublishingContext): string {
  return `${context}.events`;
}

/** The platform's services that consume events, by the consumer name they subscribe under. */
export type PlatformConsumer = 'identity-service' | 'incident-service' | 'notification-service' | 'analytics-service';

/** Who did it: a user or service account id, or null when the platform itself acted. */
const actorId = z.uuid().nullable();

/** An attachment as events carry it: what it is, never its content. */
const attachmentSnapshot = z.object({
  id: z.uuid(),
  commentId: z.uuid().nullable(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  isInternal: z.boolean(),
  uploadedById: z.uuid(),
});

/** A link between incidents as events carry it, read from the event's incident to the target. */
const linkSnapshot = z.object({ id: z.uuid(), type: incidentLinkTypeSchema, targetId: z.uuid(), targetKey: z.string() });

/** What `incident.linked` and `incident.unlinked` carry. */
const linkEventData = z.object({ incident: incidentSnapshotSchema, actorId, link: linkSnapshot });

/** The same on identity's admin changes; optional because events published before it was added lack it. */
const adminActorId = actorId.optional();

/**
 * Every event type, the context that publishes it, the platform services that consume it, and
 * the schema of its `data` for each `dataversion`. An event type never changes meaning: a breaking change to its data adds a new
 * version here and producers move to it while consumers still accept the old one.
 *
 * WARNING: type names are RabbitMQ routing keys and queue bindings. Renaming one strands the
 * messages and bindings that use the old name; add a new type instead.
 */
export const eventCatalog = {
  'user.registered': {
    context: 'identity',
    consumers: ['incident-service', 'notification-service', 'analytics-service'],
    versions: { 1: z.object({ user: userSnapshotSchema }) },
  },
  'user.updated': {
    context: 'identity',
    consumers: ['incident-service', 'notification-service', 'analytics-service'],
    versions: {
      1: z.object({ user: userSnapshotSchema, changedFields: z.array(z.string()).min(1), actorId: adminActorId }),
    },
  },
  'user.deactivated': {
    context: 'identity',
    consumers: ['incident-service', 'notification-service', 'analytics-service'],
    versions: { 1: z.object({ user: userSnapshotSchema, actorId: adminActorId }) },
  },
  // Mail about an account, asked of notification-service. Tokens ride in the event because the
  // mail must carry them; identity stores only their hashes, the broker is internal, and each
  // token is single-use and expires within a day (verification) or 30 minutes (reset).
  'account.verification_requested': {
    context: 'identity',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        email: z.email(),
        fullName: z.string(),
        token: z.string().min(1),
        expiresAt: timestampSchema,
        /** The language the registration form was in (the browser's); optional: older events lack it. */
        locale: localeSchema.optional(),
      }),
    },
  },
  'account.registration_attempted': {
    context: 'identity',
    consumers: ['notification-service'],
    versions: { 1: z.object({ userId: z.uuid(), email: z.email(), fullName: z.string() }) },
  },
  'account.password_reset_requested': {
    context: 'identity',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        userId: z.uuid(),
        email: z.email(),
        fullName: z.string(),
        token: z.string().min(1),
        expiresAt: timestampSchema,
        /** `self`: the person asked (forgot password); `admin`: an admin asked for them. */
        requestedBy: z.enum(['self', 'admin']),
      }),
    },
  },
  'account.password_changed': {
    context: 'identity',
    consumers: ['notification-service'],
    versions: {
      1: z.object({ userId: z.uuid(), email: z.email(), fullName: z.string(), how: z.enum(['changed', 'reset']), changedAt: timestampSchema }),
    },
  },
  'account.second_factor_changed': {
    context: 'identity',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        userId: z.uuid(),
        email: z.email(),
        fullName: z.string(),
        /** What happened to the account's second factor. */
        change: z.enum(['enabled', 'disabled', 'reset_by_admin', 'recovery_code_used', 'recovery_codes_replaced']),
        /** Recovery codes still unused after the change (0 when the factor is off). */
        recoveryCodesLeft: z.number().int().min(0),
        changedAt: timestampSchema,
      }),
    },
  },
  'department.created': {
    context: 'identity',
    consumers: ['incident-service', 'notification-service', 'analytics-service'],
    versions: { 1: z.object({ department: departmentSnapshotSchema, actorId: adminActorId }) },
  },
  'department.updated': {
    context: 'identity',
    consumers: ['incident-service', 'notification-service', 'analytics-service'],
    versions: {
      1: z.object({ department: departmentSnapshotSchema, changedFields: z.array(z.string()).min(1), actorId: adminActorId }),
    },
  },
  'category.created': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: { 1: z.object({ category: categorySnapshotSchema }) },
  },
  'category.updated': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: {
      1: z.object({ category: categorySnapshotSchema, changedFields: z.array(z.string()).min(1) }),
    },
  },
  'incident.created': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: { 1: z.object({ incident: incidentSnapshotSchema, actorId }) },
  },
  'incident.updated': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        changedFields: z.array(z.enum(['title', 'description', 'impact', 'urgency'])).min(1),
      }),
    },
  },
  'incident.status_changed': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        from: incidentStatusSchema,
        to: incidentStatusSchema,
        reason: z.string().nullable(),
      }),
    },
  },
  'incident.assigned': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        previousAssigneeId: z.uuid().nullable(),
        assigneeId: z.uuid().nullable(),
      }),
    },
  },
  'incident.priority_changed': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        from: incidentPrioritySchema,
        to: incidentPrioritySchema,
      }),
    },
  },
  'incident.commented': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        commentId: z.uuid(),
        isInternal: z.boolean(),
        content: z.string(),
        createdAt: timestampSchema,
        /** The people the comment mentions (`<@id>`): each is told. Absent in events written before mentions. */
        mentionedIds: z.array(z.uuid()).optional(),
      }),
    },
  },
  'incident.sla_breached': {
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        target: slaTargetSchema,
        dueAt: timestampSchema,
        breachedAt: timestampSchema,
      }),
    },
  },
  'incident.sla_recalculated': {
    // The department's calendar changed: the incident's due times were counted again.
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        calendar: z.object({ id: z.uuid(), name: z.string(), version: z.number().int().positive() }),
      }),
    },
  },
  'incident.waiting_changed': {
    // Staff asked the reporter something (the resolution clock pauses), or the wait ended: the
    // reporter replied, staff stopped it, the status changed, or it ran out (then resolved). The
    // people are told by the events that come with it: the question and the reply are comments,
    // a wait that ran out is a status change with its reason.
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        waiting: z.boolean(),
        /** What staff asked. */
        message: z.string(),
        reason: z.enum(['asked', 'replied', 'stopped', 'status_changed', 'expired']),
      }),
    },
  },
  'incident.escalated': {
    // An escalation rule fired: before a target (a share of its working time passed) or at its
    // breach. Once per incident and rule. What it did (priority raised, reassigned) also comes as
    // incident.priority_changed and incident.assigned.
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        rule: z.object({ id: z.uuid(), name: z.string(), target: slaTargetSchema, thresholdPercent: z.number().int().min(1).max(100) }),
        /** Who is told. */
        notify: z.array(z.enum(['assignee', 'manager'])),
        /** The target's due time when the rule fired. */
        dueAt: timestampSchema.nullable(),
        raisedPriority: incidentPrioritySchema.nullable(),
        reassignedTo: z.uuid().nullable(),
      }),
    },
  },
  'incident.attachment_added': {
    // A file was attached to the incident or to one of its comments. Internal attachments reach
    // only consumers that keep them from reporters (the event says which it is).
    context: 'incident',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        attachment: attachmentSnapshot,
      }),
    },
  },
  'incident.attachment_removed': {
    // Deleted by someone (actorId), or removed by the platform when the malware scanner found
    // something in it (actorId null, reason `infected`).
    context: 'incident',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        attachment: attachmentSnapshot,
        reason: z.enum(['deleted', 'infected']),
      }),
    },
  },
  'incident.watcher_added': {
    // Someone started watching the incident: themselves (actorId is the watcher) or added by its
    // reporter, staff or an admin, who is told they were added.
    context: 'incident',
    consumers: ['notification-service'],
    versions: { 1: z.object({ incident: incidentSnapshotSchema, actorId, watcherId: z.uuid() }) },
  },
  'incident.watcher_removed': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: { 1: z.object({ incident: incidentSnapshotSchema, actorId, watcherId: z.uuid() }) },
  },
  'incident.linked': {
    // Published for the incident the link was made on; `type` reads from it to the target
    // (`duplicate_of`: this incident is the duplicate, and is closed by the same change).
    context: 'incident',
    consumers: ['notification-service'],
    versions: { 1: linkEventData },
  },
  'incident.unlinked': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: { 1: linkEventData },
  },
  'incident.major_declared': {
    // `affectedUserIds`: everyone the declaration concerns at that moment: the incident's reporter
    // and watchers, and the reporters and watchers of its child incidents (worked out by
    // incident-service, which alone knows the links).
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({ incident: incidentSnapshotSchema, actorId, summary: z.string(), affectedUserIds: z.array(z.uuid()) }),
    },
  },
  'incident.major_update_posted': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        update: z.object({ id: z.uuid(), message: z.string(), createdAt: timestampSchema }),
        affectedUserIds: z.array(z.uuid()),
      }),
    },
  },
  'incident.review_written': {
    context: 'incident',
    consumers: ['notification-service'],
    versions: {
      1: z.object({ incident: incidentSnapshotSchema, actorId, review: z.object({ whatHappened: z.string(), impact: z.string(), followUps: z.string() }) }),
    },
  },
  'incident.satisfaction_rated': {
    // Its reporter rated a resolved or closed incident (or changed the rating).
    context: 'incident',
    consumers: ['notification-service', 'analytics-service'],
    versions: {
      1: z.object({
        incident: incidentSnapshotSchema,
        actorId,
        rating: z.number().int().min(1).max(5),
        comment: z.string().nullable(),
        previousRating: z.number().int().min(1).max(5).nullable(),
        ratedAt: timestampSchema,
      }),
    },
  },
  'audit.recorded': {
    // An admin changed a category or an SLA policy: identity-service keeps the one audit trail.
    context: 'incident',
    consumers: ['identity-service'],
    versions: { 1: auditRecordSchema },
  },
} as const satisfies Record<
  string,
  { context: PublishingContext; consumers: readonly PlatformConsumer[]; versions: Record<number, z.ZodType> }
>;

export type EventCatalog = typeof eventCatalog;
export type EventType = keyof EventCatalog;
export const EVENT_TYPES = Object.keys(eventCatalog) as EventType[];

type Versions<T extends EventType> = EventCatalog[T]['versions'];
type LatestVersionKey<T extends EventType> = keyof Versions<T> & number;

/** The data of an event type at its current version (what producers write). */
export type EventData<T extends EventType> = z.infer<Versions<T>[LatestVersionKey<T>]>;

/** The version producers write for each type: the highest one in the catalogue. */
export function currentDataVersion(type: EventType): number {
  return Math.max(...Object.keys(eventCatalog[type].versions).map(Number));
}

export function dataSchemaFor(type: EventType, version: number): z.ZodType | undefined {
  const versions = eventCatalog[type].versions as Record<number, z.ZodType>;
  return versions[version];
}

/**
 * The platform's services that consume an event type (a test holds this to what they subscribe
 * to). A type none consumes is still published while something may bind to it; when nothing is
 * bound, the outbox retires it instead of retrying it forever.
 */
export function consumersOf(type: EventType): readonly PlatformConsumer[] {
  return eventCatalog[type].consumers;
}

export function contextOf(type: EventType): PublishingContext {
  return eventCatalog[type].context;
}

/**
 * The `source` every event of this type carries: the service of its context
 * (`/identity-service`, `/incident-service`). Consumers refuse an event from anyone else.
 */
export function producerOf(type: EventType): string {
  return `/${contextOf(type)}-service`;
}

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventCatalog, value);
}

import { z } from 'zod';
import { incidentSnapshotSchema, timestampSchema as timestamp } from './events/snapshots.js';
import { incidentLevelSchema, incidentPrioritySchema, incidentStatusSchema } from './incidents.js';
import { pageQuerySchema, pageSchema } from './pagination.js';

// HTTP bodies of incident-service. Request bodies are strict: an unknown field is a 400 that names
// it, so a typo (`fullname`) never silently does nothing. Query parameters a route does not know
// are ignored, on every route (caches and cache-busters add their own); a known one with a bad
// value is a 400 naming it.

/**
 * An incident as the API shows it: what events carry, the description, and the names of its
 * reporter and assignee (from the incident's own people, so anyone who may see the incident sees
 * who works it; null when the person is not known to the service yet).
 */
export const incidentSchema = incidentSnapshotSchema.extend({
  description: z.string(),
  watcherIds: z.array(z.uuid()).describe('Who watches it (`GET /incidents/{id}/watchers` has their names).'),
  isMajor: z.boolean().describe('Declared a major incident (`GET /incidents/{id}/major`).'),
  reporterName: z.string().nullable().optional(),
  assigneeName: z.string().nullable().optional(),
});
export type Incident = z.infer<typeof incidentSchema>;

export const incidentTitleSchema = z
  .string()
  .trim()
  .min(3, { error: 'must be at least 3 characters' })
  .max(200, { error: 'must be at most 200 characters' });
export const incidentDescriptionSchema = z.string().trim().max(10_000, { error: 'must be at most 10000 characters' });
/** Why a status changes: optional, recorded in the timeline and sent to the people told. */
export const transitionReasonSchema = z.string().trim().max(2000, { error: 'must be at most 2000 characters' });

export const createIncidentBodySchema = z.strictObject({
  title: incidentTitleSchema,
  description: incidentDescriptionSchema,
  categoryId: z.uuid({ error: 'must be a category id (a UUID)' }),
  /** Given, it is the priority; left out, the priority matrix gives it from impact and urgency. */
  priority: incidentPrioritySchema.optional(),
  impact: incidentLevelSchema.optional(),
  urgency: incidentLevelSchema.optional(),
});
export type CreateIncidentBody = z.infer<typeof createIncidentBodySchema>;

export const updateIncidentBodySchema = z
  .strictObject({
    status: incidentStatusSchema.optional(),
    priority: incidentPrioritySchema.optional(),
    /** A new impact or urgency: the priority follows the matrix, unless `priority` is given too. */
    impact: incidentLevelSchema.optional(),
    urgency: incidentLevelSchema.optional(),
    /** Why the priority is set by hand rather than by the matrix; kept in the timeline. */
    priorityReason: transitionReasonSchema.min(1, { error: 'must not be empty; leave it out instead' }).optional(),
    title: incidentTitleSchema.optional(),
    description: incidentDescriptionSchema.optional(),
    /** Why the status changes; shown in the timeline and to the people told about it. */
    reason: transitionReasonSchema.min(1, { error: 'must not be empty; leave it out instead' }).optional(),
    /** Alternative to the If-Match header. */
    version: z.number().int().positive().optional(),
  })
  .refine(
    (body) =>
      body.status !== undefined || body.priority !== undefined || body.impact !== undefined || body.urgency !== undefined || body.title !== undefined || body.description !== undefined,
    { error: 'give at least one of status, priority, impact, urgency, title, description' },
  )
  .refine((body) => body.priorityReason === undefined || body.priority !== undefined, { error: 'give the priority it explains', path: ['priorityReason'] });
export type UpdateIncidentBody = z.infer<typeof updateIncidentBodySchema>;

/** `POST /incidents/{id}/waiting`: what staff ask the reporter (posted as a public comment). */
export const startWaitingBodySchema = z.strictObject({
  message: z.string().trim().min(1, { error: 'must say what you need from the reporter' }).max(10_000, { error: 'must be at most 10000 characters' }),
  version: z.number().int().positive().optional(),
});

/** The portal's "Ask the reporter" form: the same rule, said for people. */
export const askReporterFormSchema = z.object({
  message: z.string().trim().min(1, { error: 'Say what you need from the reporter.' }).max(10_000, { error: 'Keep it under 10,000 characters.' }),
});

export const assignIncidentBodySchema = z.strictObject({
  assigneeId: z.uuid({ error: 'must be a user id (a UUID) or null' }).nullable(),
  version: z.number().int().positive().optional(),
});

export const INCIDENT_SORTS = ['updatedAt', 'createdAt', 'priority'] as const;

export const csvList = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item).min(1));

/** What a list of incidents and a count of them filter on (both ask the same question). */
const incidentFilterShape = {
  status: csvList(incidentStatusSchema).optional(),
  priority: csvList(incidentPrioritySchema).optional(),
  departmentId: z.uuid().optional(),
  categoryId: z.uuid().optional(),
  /** A user id, `me`, or `unassigned`. */
  assigneeId: z.union([z.literal('me'), z.literal('unassigned'), z.uuid()]).optional(),
  /** A user id or `me`. */
  reporterId: z.union([z.literal('me'), z.uuid()]).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  createdFrom: timestamp.optional(),
  createdTo: timestamp.optional(),
  breached: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
  watching: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .describe('`true`: only the incidents the caller watches (whichever department they belong to).')
    .optional(),
  dueBefore: timestamp.describe('Only incidents with a response or resolution target still running that falls due before this instant (due soon, or overdue and not yet marked).').optional(),
};

/** `GET /incidents/count`: how many incidents the list with these filters holds, up to a cap. */
export const countIncidentsQuerySchema = z.object(incidentFilterShape);
export type IncidentFilterQuery = z.infer<typeof countIncidentsQuerySchema>;

/** A count stops at this: a figure reads "1,000+" beyond it, and counting stays an index range. */
export const INCIDENT_COUNT_CAP = 1000;

export const incidentCountSchema = z.object({
  count: z.number().int().nonnegative().describe(`How many match, at most ${INCIDENT_COUNT_CAP}.`),
  capped: z.boolean().describe('More than `count` match: counting stopped at the cap.'),
});
export type IncidentCount = z.infer<typeof incidentCountSchema>;

export const listIncidentsQuerySchema = z.object({
  ...incidentFilterShape,
  /** Default: updatedAt, or createdAt when a created range is given (which that order can use directly). */
  sort: z.enum(INCIDENT_SORTS).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25).describe('Items per page.'),
  cursor: z.string().min(1).max(512).optional(),
});
export type ListIncidentsQuery = z.infer<typeof listIncidentsQuerySchema>;

/** A page of incidents: what `GET /incidents` and `GET /internal/incidents` answer. */
export const incidentPageSchema = pageSchema(incidentSchema);

/**
 * `GET /internal/incidents`: incidents in the order they last changed, for services rebuilding
 * their replicas. `updatedSince` is inclusive.
 */
export const internalIncidentsQuerySchema = pageQuerySchema
  .extend({
    updatedSince: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  });
export type InternalIncidentsQuery = z.output<typeof internalIncidentsQuerySchema>;

/**
 * How a category's new incidents find someone: not at all (`none`: the manager assigns), in turn
 * (`round_robin`), or to whoever has the least open work (`least_loaded`), among the department's
 * staff who are available and under the category's cap.
 */
export const ASSIGNMENT_MODES = ['none', 'round_robin', 'least_loaded'] as const;
export const assignmentModeSchema = z.enum(ASSIGNMENT_MODES);
export type AssignmentMode = z.infer<typeof assignmentModeSchema>;

export const categorySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  departmentId: z.uuid(),
  isActive: z.boolean(),
  assignment: assignmentModeSchema,
  /** Whoever gets its incidents first, while available and under the cap; then the mode decides. */
  defaultAssigneeId: z.uuid().nullable(),
  /** No one is given more open incidents than this by the routing; null: no cap. */
  maxOpenPerPerson: z.number().int().positive().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type Category = z.infer<typeof categorySchema>;

export const createCategoryBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(2000).nullable().optional(),
  departmentId: z.uuid({ error: 'must be a department id (a UUID)' }),
});
/** The administrator's category form: what a new category needs, in words a person reads. */
export const categoryFormSchema = z.object({
  name: z.string().trim().min(1, { error: 'Give the category a name.' }).max(100, { error: 'Keep the name under 100 characters.' }),
  description: z.string().trim().max(2000, { error: 'Keep the description under 2000 characters.' }),
  departmentId: z.string().min(1, { error: 'Choose the department its incidents go to.' }),
});
export const updateCategoryBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().trim().max(2000).nullable().optional(),
    isActive: z.boolean().optional(),
    assignment: assignmentModeSchema.optional(),
    defaultAssigneeId: z.uuid({ error: 'must be a user id (a UUID) or null' }).nullable().optional(),
    maxOpenPerPerson: z.number().int().min(1).max(10_000).nullable().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'give at least one field to change' });
export const listCategoriesQuerySchema = z.object({
  departmentId: z.uuid().optional(),
  includeInactive: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
});

export const commentSchema = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  authorId: z.uuid(),
  /** Its text; `<@user-id>` is a mention (the portal shows `@Full Name`). */
  content: z.string(),
  isInternal: z.boolean(),
  /** The people its text mentions, each told of it. */
  mentionedIds: z.array(z.uuid()),
  createdAt: timestamp,
});
export type Comment = z.infer<typeof commentSchema>;

/** A comment's or internal note's text. */
export const commentContentSchema = z.string().trim().min(1, { error: 'must not be empty' }).max(10_000, { error: 'must be at most 10000 characters' });

export const createCommentBodySchema = z.strictObject({
  content: commentContentSchema,
  isInternal: z.boolean().optional(),
});

export const TIMELINE_ACTIONS = [
  'created',
  'status_changed',
  'priority_changed',
  'assigned',
  'updated',
  'commented',
  'sla_breached',
  /** Impact or urgency changed (the priority may follow: its own entry). */
  'rated',
  /** The SLA clock moved to another calendar or version; new due times. */
  'sla_recalculated',
  /** Staff asked the reporter something; the resolution clock paused. */
  'waiting_started',
  /** The reporter answered, staff stopped waiting, or the wait ran out. */
  'waiting_ended',
  /** An escalation rule fired. */
  'escalated',
  /** A file was attached (internal when the file is). */
  'attachment_added',
  /** An attachment was deleted, or the malware scanner removed it. */
  'attachment_removed',
  /** Someone started watching it (themselves, or added by someone else). */
  'watcher_added',
  'watcher_removed',
  /** Linked to another incident (related, duplicate, parent or child), or unlinked. */
  'linked',
  'unlinked',
  /** Declared a major incident, with its summary. */
  'major_declared',
  /** A status update of the major incident, broadcast to the people it affects. */
  'major_update_posted',
  /** The post-incident review was written or changed. */
  'review_written',
  /** Its reporter rated it (or changed the rating), 1 to 5 with an optional comment. */
  'satisfaction_rated',
] as const;
export const timelineEntrySchema = z.object({
  id: z.string(),
  action: z.enum(TIMELINE_ACTIONS),
  actorId: z.uuid().nullable(),
  oldValue: z.unknown().nullable(),
  newValue: z.unknown().nullable(),
  createdAt: timestamp,
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** Someone who appears on an incident (reporter, assignee, whoever acted on it), by name only. */
export const incidentPersonSchema = z.object({ id: z.uuid(), fullName: z.string() });
export type IncidentPerson = z.infer<typeof incidentPersonSchema>;
export const incidentPeopleSchema = z.object({ items: z.array(incidentPersonSchema) });

export const slaPolicySchema = z.object({
  priority: incidentPrioritySchema,
  responseMinutes: z.number().int().positive(),
  resolutionMinutes: z.number().int().positive(),
  updatedAt: timestamp,
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

export const updateSlaPolicyBodySchema = z
  .strictObject({
    responseMinutes: z.number().int().min(1).max(525_600),
    resolutionMinutes: z.number().int().min(1).max(525_600),
  })
  .refine((body) => body.resolutionMinutes >= body.responseMinutes, {
    error: 'must not be shorter than responseMinutes',
    path: ['resolutionMinutes'],
  });

const slaMinutes = (what: string) =>
  z
    .number({ error: `Give the ${what} target in whole minutes.` })
    .int({ error: `Give the ${what} target in whole minutes.` })
    .min(1, { error: 'At least 1 minute.' })
    .max(525_600, { error: 'At most 525,600 minutes (a year).' });

/** The administrator's row of service-level targets: the API's rule, said for people. */
export const slaPolicyFormSchema = z
  .object({ responseMinutes: slaMinutes('response'), resolutionMinutes: slaMinutes('resolution') })
  .refine((body) => body.resolutionMinutes >= body.responseMinutes, {
    error: 'Resolution cannot come before the response: give at least the response time.',
    path: ['resolutionMinutes'],
  });

/**
 * What happened to an incident, as `GET /incidents/stream` names it: enough for a client to know
 * what to refresh. `hidden`: the incident left the viewer's sight (it moved to another
 * department); drop it from what is shown.
 */
export const INCIDENT_CHANGES = ['created', 'updated', 'status_changed', 'priority_changed', 'assigned', 'commented', 'sla_breached', 'hidden'] as const;
export const incidentChangeKindSchema = z.enum(INCIDENT_CHANGES);
export type IncidentChangeKind = z.infer<typeof incidentChangeKindSchema>;

/**
 * One `event: incident` of `GET /incidents/stream`: which incident changed and how, never its
 * content (clients fetch what they show, under the usual rules). `byYou`: the change was the
 * viewer's own (in this tab or another), so a client need not say that someone else changed it.
 */
export const incidentChangeEventSchema = z.object({
  id: z.uuid(),
  key: z.string().regex(/^INC-\d{6,}$/),
  /** The incident's version after the change (comments leave it as it was). */
  version: z.number().int().positive(),
  departmentId: z.uuid().optional(),
  change: incidentChangeKindSchema,
  byYou: z.boolean(),
  /** When the change was committed. */
  at: timestamp,
});
export type IncidentChangeEvent = z.infer<typeof incidentChangeEventSchema>;

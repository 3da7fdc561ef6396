import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';
import { incidentPrioritySchema, incidentStatusSchema } from './incidents.js';

// Working together on incidents: watchers, mentions, links between incidents, major incidents.

// --- Watchers -------------------------------------------------------------------------------

/** The most people one incident may have watching it. */
export const MAX_WATCHERS = 100;

export const watcherSchema = z.object({
  userId: z.uuid(),
  /** Null when the person is not known to the service yet. */
  fullName: z.string().nullable(),
  /** Who added them: themselves, or the reporter, staff or an admin. */
  addedById: z.uuid().nullable(),
  createdAt: timestamp,
});
export type Watcher = z.infer<typeof watcherSchema>;

export const watcherListSchema = z.object({ items: z.array(watcherSchema) });
export type WatcherList = z.infer<typeof watcherListSchema>;

export const watcherCandidatesQuerySchema = z.object({
  q: z.string().trim().min(2, { error: 'must be at least 2 characters' }).max(100).describe('Part of the name.'),
  limit: z.coerce.number().int().min(1).max(20).default(8).describe('How many to return at most.'),
});

/** Someone who could be added as a watcher: any active person, found by name (their department tells namesakes apart). */
export const watcherCandidateSchema = z.object({ id: z.uuid(), fullName: z.string(), departmentName: z.string().nullable() });
export const watcherCandidateListSchema = z.object({ items: z.array(watcherCandidateSchema) });
export type WatcherCandidate = z.infer<typeof watcherCandidateSchema>;

// --- Mentions -------------------------------------------------------------------------------

/**
 * A mention in a comment's text: `<@` the person's user id `>`, as the portal's autocomplete
 * writes it. The portal shows it as `@Full Name`; the person is told of the comment.
 */
export const MENTION_PATTERN = /<@([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})>/gi;

/** The people a text mentions, each once, in the order they first appear (lower-case ids). */
export function mentionsIn(text: string): string[] {
  const ids = new Set<string>();
  for (const match of text.matchAll(MENTION_PATTERN)) ids.add(match[1]!.toLowerCase());
  return [...ids];
}

/** The most people one comment may mention. */
export const MAX_MENTIONS = 20;

export const mentionableQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('Part of the name or email to look for; empty: the first few by name.'),
  internal: z.enum(['true', 'false']).optional().describe('`true`: for an internal note, so only people who may read internal notes.'),
  limit: z.coerce.number().int().min(1).max(20).default(8).describe('How many to return at most.'),
});

export const mentionablePersonSchema = z.object({
  id: z.uuid(),
  fullName: z.string(),
  /** Why they may see it: the reporter, a watcher, the department (staff or manager), an admin. */
  relation: z.enum(['reporter', 'watcher', 'department', 'admin']),
});
export const mentionableListSchema = z.object({ items: z.array(mentionablePersonSchema) });
export type MentionablePerson = z.infer<typeof mentionablePersonSchema>;

// --- Links between incidents -----------------------------------------------------------------

/**
 * How one incident relates to another, as it is asked for: `related` (either way),
 * `duplicate_of` (this one is the same as the target: it is closed with a link to it),
 * `parent_of` / `child_of` (resolving the parent resolves its open children).
 */
export const INCIDENT_LINK_TYPES = ['related', 'duplicate_of', 'parent_of', 'child_of'] as const;
export const incidentLinkTypeSchema = z.enum(INCIDENT_LINK_TYPES);
export type IncidentLinkType = z.infer<typeof incidentLinkTypeSchema>;

/** A link as seen from one of its incidents: the other side of `duplicate_of` reads `duplicated_by`. */
export const INCIDENT_LINK_VIEWS = [...INCIDENT_LINK_TYPES, 'duplicated_by'] as const;
export const incidentLinkViewSchema = z.enum(INCIDENT_LINK_VIEWS);
export type IncidentLinkView = z.infer<typeof incidentLinkViewSchema>;

export const createIncidentLinkBodySchema = z.strictObject({
  type: incidentLinkTypeSchema,
  targetId: z.string().trim().min(1).max(64).describe('The other incident: its id or its key (`INC-000042`).'),
});
export type CreateIncidentLinkBody = z.infer<typeof createIncidentLinkBodySchema>;

export const linkedIncidentSchema = z.object({
  id: z.uuid(),
  key: z.string(),
  title: z.string(),
  status: incidentStatusSchema,
  priority: incidentPrioritySchema,
  isMajor: z.boolean(),
});

export const incidentLinkSchema = z.object({
  id: z.uuid(),
  /** What the other incident is to this one's reader: `parent_of` means this incident is its parent. */
  type: incidentLinkViewSchema,
  incident: linkedIncidentSchema,
  createdById: z.uuid().nullable(),
  createdAt: timestamp,
});
export type IncidentLink = z.infer<typeof incidentLinkSchema>;

export const incidentLinkListSchema = z.object({ items: z.array(incidentLinkSchema) });
export type IncidentLinkList = z.infer<typeof incidentLinkListSchema>;

// --- Major incidents ------------------------------------------------------------------------

export const majorSummarySchema = z.string().trim().min(1, { error: 'must not be empty' }).max(2000, { error: 'must be at most 2000 characters' });

export const declareMajorBodySchema = z.strictObject({
  summary: majorSummarySchema.describe('What is broken and for whom, as the people affected should read it.'),
});

export const majorUpdateBodySchema = z.strictObject({
  message: z.string().trim().min(1, { error: 'must not be empty' }).max(5000, { error: 'must be at most 5000 characters' }),
});

const reviewText = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max, { error: `must be at most ${max} characters` });

export const postIncidentReviewBodySchema = z.strictObject({
  whatHappened: reviewText(20_000).describe('The course of events and their cause.'),
  impact: reviewText(10_000).describe('Who and what was affected, and for how long.'),
  followUps: reviewText(10_000).describe('What will be done so it does not happen again, and by whom.'),
});
export type PostIncidentReviewBody = z.infer<typeof postIncidentReviewBodySchema>;

export const postIncidentReviewSchema = postIncidentReviewBodySchema.extend({
  writtenById: z.uuid(),
  writtenAt: timestamp,
  updatedAt: timestamp,
});
export type PostIncidentReview = z.infer<typeof postIncidentReviewSchema>;

export const majorUpdateSchema = z.object({
  id: z.uuid(),
  message: z.string(),
  authorId: z.uuid(),
  authorName: z.string().nullable(),
  createdAt: timestamp,
});
export type MajorUpdate = z.infer<typeof majorUpdateSchema>;

export const majorIncidentSchema = z.object({
  incidentId: z.uuid(),
  key: z.string(),
  title: z.string(),
  status: incidentStatusSchema,
  summary: z.string(),
  declaredById: z.uuid(),
  declaredAt: timestamp,
  /** Newest first. */
  updates: z.array(majorUpdateSchema),
  /** The post-incident review; a major incident closes only once it is written. */
  review: postIncidentReviewSchema.nullable(),
});
export type MajorIncident = z.infer<typeof majorIncidentSchema>;

/**
 * An ongoing major incident as the banner shows it to someone it affects: they watch it, reported
 * it or one of its child incidents, or work or manage its department (admins: every one).
 */
export const majorIncidentNoticeSchema = z.object({
  incidentId: z.uuid(),
  key: z.string(),
  title: z.string(),
  status: incidentStatusSchema,
  summary: z.string(),
  declaredAt: timestamp,
  latestUpdate: majorUpdateSchema.nullable(),
  /** Whether the caller may open the major incident itself (else the banner is all they get). */
  canOpen: z.boolean(),
  /** Their own incident that is a child of it, if any: where the banner leads them instead. */
  childKey: z.string().nullable(),
});
export type MajorIncidentNotice = z.infer<typeof majorIncidentNoticeSchema>;

export const majorIncidentNoticeListSchema = z.object({ items: z.array(majorIncidentNoticeSchema) });
export type MajorIncidentNoticeList = z.infer<typeof majorIncidentNoticeListSchema>;

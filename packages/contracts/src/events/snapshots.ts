import { z } from 'zod';
import { INCIDENT_KEY_PATTERN, incidentLevelSchema, incidentPrioritySchema, incidentStatusSchema } from '../incidents.js';
import { localeSchema } from '../locales.js';
import { userRoleSchema } from '../roles.js';

// Events carry the whole state of what changed (event-carried state transfer), so a consumer
// keeps its replica from the event alone and can drop one older than what it already holds
// (`updatedAt` for users and catalogue entries, `version` for incidents).

const id = z.uuid();
const timestamp = z.iso.datetime({ offset: true });

/**
 * Counts the changes of a user or department, from 1: of two states, the higher version is the
 * newer, whatever the clocks say. Absent only in events written before versions existed.
 */
const rowVersion = z.number().int().positive().optional();

export const userSnapshotSchema = z.object({
  id,
  email: z.email(),
  fullName: z.string(),
  role: userRoleSchema,
  departmentId: id.nullable(),
  isActive: z.boolean(),
  /** The language they read the portal and their mails in; null until they choose (absent in older events). */
  locale: localeSchema.nullable().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
  version: rowVersion,
});
export type UserSnapshot = z.infer<typeof userSnapshotSchema>;

export const departmentSnapshotSchema = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  version: rowVersion,
});
export type DepartmentSnapshot = z.infer<typeof departmentSnapshotSchema>;

export const categorySnapshotSchema = z.object({
  id,
  name: z.string(),
  description: z.string().nullable(),
  departmentId: id,
  isActive: z.boolean(),
  /** Routing (absent in events written before it): see the category API. */
  assignment: z.enum(['none', 'round_robin', 'least_loaded']).optional(),
  defaultAssigneeId: id.nullable().optional(),
  maxOpenPerPerson: z.number().int().positive().nullable().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CategorySnapshot = z.infer<typeof categorySnapshotSchema>;

/** An incident waiting on its reporter: staff asked a question; the resolution clock is paused. */
export const incidentWaitingSchema = z.object({
  since: timestamp,
  /** What staff asked the reporter. */
  message: z.string(),
  byId: id.nullable(),
  /** When it is resolved without a reply, counted in the department's working days. */
  expiresAt: timestamp.nullable(),
});
export type IncidentWaiting = z.infer<typeof incidentWaitingSchema>;

/** An incident as events carry it: everything but the free-text description. */
export const incidentSnapshotSchema = z.object({
  id,
  key: z.string().regex(INCIDENT_KEY_PATTERN),
  title: z.string(),
  status: incidentStatusSchema,
  priority: incidentPrioritySchema,
  reporterId: id,
  departmentId: id,
  categoryId: id,
  assigneeId: id.nullable(),
  version: z.number().int().positive(),
  createdAt: timestamp,
  updatedAt: timestamp,
  respondedAt: timestamp.nullable(),
  resolvedAt: timestamp.nullable(),
  closedAt: timestamp.nullable(),
  responseDueAt: timestamp.nullable(),
  resolutionDueAt: timestamp.nullable(),
  /** When each target was missed: at its due time (the SLA job) or when it was met late. */
  responseBreachedAt: timestamp.nullable(),
  resolutionBreachedAt: timestamp.nullable(),
  slaBreached: z.boolean(),
  /** Resolutions rejected so far (RESOLVED → IN_PROGRESS). */
  reopenCount: z.number().int().nonnegative(),
  reopenedAt: timestamp.nullable(),
  /** What the reporter or staff said of its impact and urgency (absent in events written before them). */
  impact: incidentLevelSchema.nullable().optional(),
  urgency: incidentLevelSchema.nullable().optional(),
  /** The business-hours calendar its SLA targets count on. */
  slaCalendarId: id.nullable().optional(),
  /** Waiting on the reporter: the resolution clock is paused. Null when not waiting. */
  waiting: incidentWaitingSchema.nullable().optional(),
  /**
   * Who watches it: told of its changes as their notification settings say, and able to see it
   * (with its internal notes when they are staff, managers or admins). Absent in events written
   * before watchers.
   */
  watcherIds: z.array(id).optional(),
  /** Declared a major incident: one that stands for many (absent in events written before them). */
  isMajor: z.boolean().optional(),
});
export type IncidentSnapshot = z.infer<typeof incidentSnapshotSchema>;

export const eventIdSchema = id;
export const timestampSchema = timestamp;

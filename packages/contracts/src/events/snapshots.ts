import { z } from 'zod';
import { INCIDENT_KEY_PATTERN, incidentPrioritySchema, incidentStatusSchema } from '../incidents.js';
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
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CategorySnapshot = z.infer<typeof categorySnapshotSchema>;

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
});
export type IncidentSnapshot = z.infer<typeof incidentSnapshotSchema>;

export const eventIdSchema = id;
export const timestampSchema = timestamp;

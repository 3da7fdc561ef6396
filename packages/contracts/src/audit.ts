import { z } from 'zod';
import { pageQuerySchema, pageSchema } from './pagination.js';

/**
 * What the audit trail records: every administrative change, named `<target>.<verb>`. A name is
 * part of the API (filters and stored rows use it): add new ones, never rename.
 */
export const AUDIT_ACTIONS = [
  'user.created',
  'user.updated',
  'user.password_reset',
  'user.mfa_reset',
  'department.created',
  'department.updated',
  'category.created',
  'category.updated',
  'sla_policy.updated',
  'service_account.created',
  'service_account.secret_rotated',
  'service_account.revoked',
  'calendar.created',
  'calendar.updated',
  'calendar.deleted',
  'calendar.assigned',
  'priority_matrix.updated',
  'escalation_rule.created',
  'escalation_rule.updated',
  'escalation_rule.deleted',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const AUDIT_TARGET_TYPES = ['user', 'department', 'category', 'sla_policy', 'service_account', 'calendar', 'priority_matrix', 'escalation_rule'] as const;
export const auditTargetTypeSchema = z.enum(AUDIT_TARGET_TYPES);
export type AuditTargetType = z.infer<typeof auditTargetTypeSchema>;

/** Who made the change: a person, another system (service account), or the platform itself (`id` null). */
export const auditActorSchema = z.object({
  kind: z.enum(['user', 'service', 'system']),
  id: z.uuid().nullable(),
});
export type AuditActor = z.infer<typeof auditActorSchema>;

/** A state as the audit trail keeps it: the target's public fields, never a secret or a hash. */
const auditStateSchema = z.record(z.string(), z.unknown()).nullable();

export const auditEntrySchema = z.object({
  id: z.string().describe('Opaque, increasing with time.'),
  occurredAt: z.iso.datetime({ offset: true }),
  actor: auditActorSchema,
  sourceAddress: z.string().nullable().describe('The client address as the gateway saw it; null for changes without a request.'),
  action: auditActionSchema,
  target: z.object({ type: auditTargetTypeSchema, id: z.string() }),
  before: auditStateSchema.describe('The target before the change; null when it was created.'),
  after: auditStateSchema.describe('The target after the change.'),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditEntryPageSchema = pageSchema(auditEntrySchema);

/**
 * An administrative change another service made, as it tells the owner of the audit trail
 * (identity-service) in its `audit.recorded` event, published in the change's transaction.
 */
export const auditRecordSchema = auditEntrySchema.pick({ actor: true, sourceAddress: true, action: true, target: true, before: true, after: true });
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export const auditQuerySchema = pageQuerySchema.extend({
  actorId: z.uuid({ error: 'must be a user or service account id (a UUID)' }).optional().describe('Only changes made by this user or service account.'),
  targetId: z.string().trim().min(1).max(100).optional().describe('Only changes to this user, department, category, service account or SLA priority.'),
  action: auditActionSchema.optional().describe('Only this kind of change.'),
  from: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' }).optional().describe('Changes at or after this instant.'),
  to: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time with offset' }).optional().describe('Changes before this instant.'),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

import { z } from 'zod';

export const INCIDENT_STATUSES = ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED'] as const;
export const incidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof incidentStatusSchema>;

/** Statuses an incident never leaves. */
export const FINAL_INCIDENT_STATUSES: readonly IncidentStatus[] = ['CLOSED', 'CANCELLED'];

/** Lowest first: the array order is the priority order. */
export const INCIDENT_PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const incidentPrioritySchema = z.enum(INCIDENT_PRIORITIES);
export type IncidentPriority = z.infer<typeof incidentPrioritySchema>;

/** Impact and urgency, each LOW, MEDIUM or HIGH: the priority matrix turns the pair into a priority. */
export const INCIDENT_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;
export const incidentLevelSchema = z.enum(INCIDENT_LEVELS);
export type IncidentLevel = z.infer<typeof incidentLevelSchema>;

export const SLA_TARGETS = ['response', 'resolution'] as const;
export const slaTargetSchema = z.enum(SLA_TARGETS);
export type SlaTarget = z.infer<typeof slaTargetSchema>;

export const INCIDENT_KEY_PATTERN = /^INC-\d{6,}$/;

/** `INC-000042` for incident number 42; numbers past 999999 simply grow longer. */
export function incidentKey(number: number | string): string {
  return `INC-${String(number).padStart(6, '0')}`;
}

import type { Incident } from '@desk/contracts';
import { isFinal } from './lifecycle';

export type SlaTone = 'breached' | 'due-soon' | 'on-track' | 'met' | 'waiting' | 'none';

export interface SlaBadge {
  tone: SlaTone;
  /** Which target the badge is about: response until work starts, resolution until resolved. */
  target: 'response' | 'resolution' | null;
  dueAt: string | null;
}

/** Less than this left on a target: it is due soon. */
export const DUE_SOON_MS = 60 * 60_000;

type SlaFacts = Pick<Incident, 'status' | 'respondedAt' | 'resolvedAt' | 'responseDueAt' | 'resolutionDueAt' | 'responseBreachedAt' | 'resolutionBreachedAt' | 'slaBreached' | 'waiting'>;

/**
 * The one SLA badge a list row shows: a breach of either target first; else the target the
 * incident is running against now (response until work starts, then resolution) and how close
 * it is; waiting (the clock paused) while the team waits on the reporter; met once resolved in
 * time; nothing for cancelled incidents.
 */
export function slaBadge(incident: SlaFacts, now: number): SlaBadge {
  if (incident.slaBreached || incident.responseBreachedAt || incident.resolutionBreachedAt) {
    const target = incident.resolutionBreachedAt ? 'resolution' : 'response';
    return { tone: 'breached', target, dueAt: target === 'resolution' ? incident.resolutionDueAt : incident.responseDueAt };
  }
  if (incident.status === 'CANCELLED') return { tone: 'none', target: null, dueAt: null };
  // Waiting on the reporter: the resolution clock is paused until they answer.
  if (incident.waiting && incident.status === 'IN_PROGRESS') return { tone: 'waiting', target: 'resolution', dueAt: null };
  if (isFinal(incident.status) || incident.status === 'RESOLVED') return { tone: 'met', target: 'resolution', dueAt: incident.resolutionDueAt };
  const target = incident.respondedAt === null && incident.status === 'OPEN' ? 'response' : 'resolution';
  const dueAt = target === 'response' ? incident.responseDueAt : incident.resolutionDueAt;
  if (!dueAt) return { tone: 'none', target: null, dueAt: null };
  const left = Date.parse(dueAt) - now;
  // Past due but not yet marked by the SLA job (it runs every 30 s): a breach all the same.
  if (left <= 0) return { tone: 'breached', target, dueAt };
  return { tone: left < DUE_SOON_MS ? 'due-soon' : 'on-track', target, dueAt };
}

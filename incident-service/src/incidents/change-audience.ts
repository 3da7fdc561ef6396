import { mayUseInternalNotes, type Actor, type IncidentChangeKind, type IncidentFacts } from '@desk/contracts';
import { maySee } from './visibility.js';

/** One incident event from the outbox, reduced to what decides who hears of it. */
export interface IncidentChange {
  /** The event type, e.g. `incident.status_changed`. */
  type: string;
  incident: IncidentFacts & { id: string; key: string; version: number };
  /** Who made the change; null for the service's own jobs (SLA breaches, auto-close). */
  actorId: string | null;
  /** An internal note: only those who may read internal notes hear of it. */
  isInternal: boolean;
  /**
   * Where the incident was before, when the event moved it to another department (no event does
   * yet; a change of category across departments would): viewers of that department are told to
   * drop it.
   */
  previousDepartmentId?: string | undefined;
  /** Who stopped watching it (`incident.watcher_removed`): unless they may see it otherwise, they are told to drop it. */
  removedWatcherId?: string | undefined;
}

const KINDS: Record<string, IncidentChangeKind> = {
  'incident.created': 'created',
  'incident.updated': 'updated',
  'incident.status_changed': 'status_changed',
  'incident.priority_changed': 'priority_changed',
  'incident.assigned': 'assigned',
  'incident.commented': 'commented',
  'incident.sla_breached': 'sla_breached',
};

/**
 * What one viewer is told of a change, or nothing. The same rules as reading the incident
 * (`maySee`: reporters their own, staff and managers their department, admins all, service
 * accounts with an incidents scope all):
 *
 * | the viewer …                                         | is told                      |
 * |------------------------------------------------------|------------------------------|
 * | may see the incident, any change but internal notes  | the change                   |
 * | may see it, an internal note                         | only if they may read notes  |
 * | saw it before the change moved it, and no longer     | `hidden`                     |
 * | stopped watching it, and may not see it otherwise    | `hidden`                     |
 * | never saw it                                         | nothing                      |
 *
 * An internal note stays unknown to whoever may not read it, as it leaves the incident unchanged
 * for them (not even its activity time moves).
 */
export function changeSeenBy(actor: Actor, scopes: readonly string[], change: IncidentChange): IncidentChangeKind | undefined {
  const now = change.incident;
  if (maySee(actor, now, scopes)) {
    if (change.isInternal && !mayUseInternalNotes(actor, now)) return undefined;
    return KINDS[change.type] ?? 'updated';
  }
  if (change.previousDepartmentId && change.previousDepartmentId !== now.departmentId) {
    const before: IncidentFacts = { ...now, departmentId: change.previousDepartmentId };
    if (maySee(actor, before, scopes)) return 'hidden';
  }
  if (change.removedWatcherId && actor.kind !== 'system' && actor.id === change.removedWatcherId) return 'hidden';
  return undefined;
}

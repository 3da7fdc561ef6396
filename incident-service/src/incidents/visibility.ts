import type { Actor, IncidentFacts } from '@desk/contracts';

/**
 * Who may see an incident at all. Anyone else gets 404, as if it did not exist: a 403 would
 * reveal that another department has such an incident.
 */
export function maySee(actor: Actor, incident: IncidentFacts, scopes: readonly string[] = []): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'service') return scopes.includes('incidents:read') || scopes.includes('incidents:write');
  if (actor.role === 'admin') return true;
  if (actor.id === incident.reporterId) return true;
  if (incident.watcherIds?.includes(actor.id)) return true;
  return (actor.role === 'staff' || actor.role === 'manager') && actor.departmentId === incident.departmentId;
}

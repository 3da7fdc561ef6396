import { INCIDENT_STATUSES, type Incident, type IncidentStatus } from '@desk/contracts';
import { STATUS_LABELS } from '@/lib/format';
import { allowedTransitions, type TransitionAction, type Viewer } from '@/lib/lifecycle';

// What the board lets a person do with a card: the lifecycle's moves for this viewer (the same
// rules incident-service enforces; the API stays the judge), said in words for the columns,
// the "Move to…" menu and screen readers.

/** Cards per page of a column; "Show more" fetches the next page. */
export const COLUMN_PAGE = 25;

/** The board's columns: every status, or the ones the status filter keeps. */
export function boardColumns(statusFilter: IncidentStatus[]): IncidentStatus[] {
  return statusFilter.length > 0 ? INCIDENT_STATUSES.filter((status) => statusFilter.includes(status)) : [...INCIDENT_STATUSES];
}

export type MoveCheck = { allowed: true; action: TransitionAction } | { allowed: false; why: string };

/** Whether this viewer may move the card to `to`, and if not, why (a sentence for people). */
export function checkMove(viewer: Viewer, incident: Incident, to: IncidentStatus): MoveCheck {
  if (incident.status === to) return { allowed: false, why: `It is already ${STATUS_LABELS[to].toLowerCase()}.` };
  const action = allowedTransitions(viewer, incident).find((candidate) => candidate.to === to);
  if (action) return { allowed: true, action };
  if (incident.status === 'CLOSED' || incident.status === 'CANCELLED') return { allowed: false, why: `${STATUS_LABELS[incident.status]} incidents stay where they are.` };
  const possible = allowedTransitions(viewer, incident).map((candidate) => STATUS_LABELS[candidate.to].toLowerCase());
  const from = STATUS_LABELS[incident.status].toLowerCase();
  const lifecycleHasIt = INCIDENT_STATUSES.includes(to) && whoMay(incident.status, to);
  if (lifecycleHasIt) return { allowed: false, why: `${lifecycleHasIt} From ${from} you can move it to ${possible.length > 0 ? possible.join(' or ') : 'nowhere else'}.` };
  return { allowed: false, why: `An incident cannot go from ${from} to ${STATUS_LABELS[to].toLowerCase()}.${possible.length > 0 ? ` Move it to ${possible.join(' or ')}.` : ''}` };
}

/** Moves the lifecycle has but only some people may make: who makes them. */
function whoMay(from: IncidentStatus, to: IncidentStatus): string | null {
  if (from === 'OPEN' && to === 'CANCELLED') return 'Only the reporter, the department’s manager or an admin cancels an incident.';
  if (from === 'RESOLVED' && to === 'CLOSED') return 'The reporter closes a resolved incident once they agree it is fixed (or it closes on its own).';
  if (to === 'IN_PROGRESS' || to === 'RESOLVED' || to === 'OPEN') return 'Only the department’s staff, its manager or an admin make this move.';
  return null;
}

/** A move whose prompt is not marked optional asks why, before it is made. */
export function needsReason(action: TransitionAction): boolean {
  return !action.reasonPrompt.includes('(optional)');
}

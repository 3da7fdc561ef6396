import { INCIDENT_STATUSES, type Incident, type IncidentStatus } from '@desk/contracts';
import type { Words } from '@/lib/i18n/words';
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

/** Whether this viewer may move the card to `to`, and if not, why (a sentence for people, `incidents.rules`). */
export function checkMove(viewer: Viewer, incident: Incident, to: IncidentStatus, t: Words<'incidents'>): MoveCheck {
  const status = (of: IncidentStatus) => t(`statusInSentence.${of}`);
  if (incident.status === to) return { allowed: false, why: t('rules.alreadyThere', { status: status(to) }) };
  const action = allowedTransitions(viewer, incident).find((candidate) => candidate.to === to);
  if (action) return { allowed: true, action };
  if (incident.status === 'CLOSED' || incident.status === 'CANCELLED') return { allowed: false, why: t('rules.finalStays', { status: status(incident.status) }) };
  const possible = allowedTransitions(viewer, incident).map((candidate) => status(candidate.to));
  const from = status(incident.status);
  const options = possible.join(t('rules.or'));
  const who = INCIDENT_STATUSES.includes(to) ? whoMay(incident.status, to) : null;
  if (who) return { allowed: false, why: `${t(`rules.${who}`)} ${t('rules.fromYouCan', { from, options, count: possible.length })}` };
  return { allowed: false, why: t('rules.cannotGo', { from, to: status(to), options, count: possible.length }) };
}

/** Moves the lifecycle has but only some people may make: who makes them. */
function whoMay(from: IncidentStatus, to: IncidentStatus): 'whoCancels' | 'whoCloses' | 'whoWorks' | null {
  if (from === 'OPEN' && to === 'CANCELLED') return 'whoCancels';
  if (from === 'RESOLVED' && to === 'CLOSED') return 'whoCloses';
  if (to === 'IN_PROGRESS' || to === 'RESOLVED' || to === 'OPEN') return 'whoWorks';
  return null;
}

/** A move whose reason is not optional asks why, before it is made. */
export function needsReason(action: TransitionAction): boolean {
  return !action.reasonOptional;
}

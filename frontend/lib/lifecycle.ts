import {
  type Actor,
  decideTransition,
  type IncidentFacts,
  type IncidentStatus,
  isFinal,
  mayAskReporter as mayAskReporterNow,
  mayAssign as mayAssignNow,
  mayEndWaiting as mayEndWaitingNow,
  mayChangePriority as mayChangePriorityNow,
  mayEditFields as mayEditFieldsNow,
  mayUseInternalNotes,
  mayManageWatchers as mayManageWatchersNow,
  mayLink as mayLinkNow,
  mayDeclareMajor as mayDeclareMajorNow,
  mayPostMajorUpdate as mayPostMajorUpdateNow,
  TRANSITIONS,
  type UserRole,
} from '@desk/contracts';

// What the portal offers a person on an incident: the lifecycle rules incident-service enforces
// (the same module, from @desk/contracts). The API stays the judge; these only decide which
// buttons to show.

export { isFinal, type IncidentFacts };

export interface Viewer {
  id: string;
  role: UserRole;
  departmentId: string | null;
}

const actorOf = (viewer: Viewer): Actor => ({ kind: 'user', id: viewer.id, role: viewer.role, departmentId: viewer.departmentId });
const worksTheDepartment = (viewer: Viewer, incident: IncidentFacts) => (viewer.role === 'staff' || viewer.role === 'manager') && viewer.departmentId === incident.departmentId;

/** What a move means from where the incident is; its words are `incidents.transitions.<kind>`. */
export type TransitionKind = 'start' | 'cancel' | 'resolve' | 'backToOpen' | 'close' | 'reopen' | 'notFixed';

export interface TransitionAction {
  to: IncidentStatus;
  /** The button and the dialog's question (`label`, `prompt` in the catalogue). */
  kind: TransitionKind;
  /** Re-opening, cancelling, resolving and sending back must say why; the others may. */
  reasonOptional: boolean;
  tone: 'primary' | 'neutral' | 'danger';
}

function describe(from: IncidentStatus, to: IncidentStatus, viewer: Viewer, incident: IncidentFacts): TransitionAction {
  if (from === 'OPEN' && to === 'IN_PROGRESS') return { to, kind: 'start', reasonOptional: true, tone: 'primary' };
  if (to === 'CANCELLED') return { to, kind: 'cancel', reasonOptional: false, tone: 'danger' };
  if (to === 'RESOLVED') return { to, kind: 'resolve', reasonOptional: false, tone: 'primary' };
  if (from === 'IN_PROGRESS' && to === 'OPEN') return { to, kind: 'backToOpen', reasonOptional: false, tone: 'neutral' };
  if (to === 'CLOSED') return { to, kind: 'close', reasonOptional: true, tone: 'primary' };
  // RESOLVED → IN_PROGRESS
  return { to, kind: viewer.id === incident.reporterId && !worksTheDepartment(viewer, incident) ? 'notFixed' : 'reopen', reasonOptional: false, tone: 'neutral' };
}

/** The status changes this person may make now, in the order the page shows them. */
export function allowedTransitions(viewer: Viewer, incident: IncidentFacts): TransitionAction[] {
  const actor = actorOf(viewer);
  return (Object.keys(TRANSITIONS[incident.status]) as IncidentStatus[])
    .filter((to) => decideTransition(actor, incident, to).allowed)
    .map((to) => describe(incident.status, to, viewer, incident));
}

/** Title and description: the reporter while it is OPEN; the department's people and admins until it is final. */
export function mayEditFields(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayEditFieldsNow(actorOf(viewer), incident);
}

export function mayChangePriority(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayChangePriorityNow(actorOf(viewer), incident);
}

/** Assignment: the department's manager and admins, while the incident is not final. */
export function mayAssign(viewer: Viewer, incident: IncidentFacts): boolean {
  return !isFinal(incident.status) && mayAssignNow(actorOf(viewer), incident);
}

/** Internal notes: the department's staff and managers, and admins; never reporters. */
export function mayWriteInternalNotes(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayUseInternalNotes(actorOf(viewer), incident);
}

/** Asking the reporter (the resolution clock pauses): the department's staff and managers, and admins, on an incident in progress. */
export function mayAskReporter(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayAskReporterNow(actorOf(viewer), incident);
}

/** Ending a wait without a comment: who works it, admins, and the reporter. */
export function mayEndWaiting(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayEndWaitingNow(actorOf(viewer), incident);
}

/** Adding or removing someone else as a watcher: the reporter, the department's people, admins. */
export function mayManageWatchers(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayManageWatchersNow(actorOf(viewer), incident);
}

/** Linking incidents: the department's staff and managers, and admins. */
export function mayLink(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayLinkNow(actorOf(viewer), incident);
}

/** Declaring a major incident and writing its review: the department's manager and admins. */
export function mayDeclareMajor(viewer: Viewer, incident: IncidentFacts): boolean {
  return mayDeclareMajorNow(actorOf(viewer), incident);
}

/** A major incident's status updates: the department's staff and managers, and admins, until it is final. */
export function mayPostMajorUpdate(viewer: Viewer, incident: IncidentFacts): boolean {
  return !isFinal(incident.status) && mayPostMajorUpdateNow(actorOf(viewer), incident);
}

import { FINAL_INCIDENT_STATUSES, type IncidentStatus, type UserRole } from '@desk/contracts';

// What the portal offers a person on an incident, by the lifecycle table of the architecture
// (the same rules incident-service enforces in incidents/lifecycle.ts). The API stays the judge:
// these only decide which buttons to show.

export interface Viewer {
  id: string;
  role: UserRole;
  departmentId: string | null;
}

export interface IncidentFacts {
  status: IncidentStatus;
  reporterId: string;
  departmentId: string;
}

type Rule = (viewer: Viewer, incident: IncidentFacts) => boolean;

const isAdmin: Rule = (viewer) => viewer.role === 'admin';
const isReporter: Rule = (viewer, incident) => viewer.id === incident.reporterId;
const worksTheDepartment: Rule = (viewer, incident) => (viewer.role === 'staff' || viewer.role === 'manager') && viewer.departmentId === incident.departmentId;
const managesTheDepartment: Rule = (viewer, incident) => viewer.role === 'manager' && viewer.departmentId === incident.departmentId;
const anyOf =
  (...rules: Rule[]): Rule =>
  (viewer, incident) =>
    rules.some((rule) => rule(viewer, incident));

const TRANSITIONS: Record<IncidentStatus, Partial<Record<IncidentStatus, Rule>>> = {
  OPEN: { IN_PROGRESS: anyOf(worksTheDepartment, isAdmin), CANCELLED: anyOf(isReporter, managesTheDepartment, isAdmin) },
  IN_PROGRESS: { RESOLVED: anyOf(worksTheDepartment, isAdmin), OPEN: anyOf(worksTheDepartment, isAdmin) },
  RESOLVED: { CLOSED: anyOf(isReporter, isAdmin), IN_PROGRESS: anyOf(isReporter, worksTheDepartment, isAdmin) },
  CLOSED: {},
  CANCELLED: {},
};

export interface TransitionAction {
  to: IncidentStatus;
  /** The button: what the move means from where the incident is. */
  label: string;
  /** Asked for in the dialog; re-opening and cancelling should say why. */
  reasonPrompt: string;
  tone: 'primary' | 'neutral' | 'danger';
}

function describe(from: IncidentStatus, to: IncidentStatus, viewer: Viewer, incident: IncidentFacts): TransitionAction {
  if (from === 'OPEN' && to === 'IN_PROGRESS') return { to, label: 'Start work', reasonPrompt: 'Note for the timeline (optional)', tone: 'primary' };
  if (to === 'CANCELLED') return { to, label: 'Cancel incident', reasonPrompt: 'Why is it cancelled?', tone: 'danger' };
  if (to === 'RESOLVED') return { to, label: 'Resolve', reasonPrompt: 'How was it resolved?', tone: 'primary' };
  if (from === 'IN_PROGRESS' && to === 'OPEN') return { to, label: 'Back to open', reasonPrompt: 'Why does it go back to the queue?', tone: 'neutral' };
  if (to === 'CLOSED') return { to, label: 'Close', reasonPrompt: 'Anything to add? (optional)', tone: 'primary' };
  // RESOLVED → IN_PROGRESS
  return {
    to,
    label: isReporter(viewer, incident) && !worksTheDepartment(viewer, incident) ? 'Not fixed: re-open' : 'Re-open',
    reasonPrompt: 'What is still wrong?',
    tone: 'neutral',
  };
}

/** The status changes this person may make now, in the order the page shows them. */
export function allowedTransitions(viewer: Viewer, incident: IncidentFacts): TransitionAction[] {
  return (Object.entries(TRANSITIONS[incident.status]) as [IncidentStatus, Rule][])
    .filter(([, rule]) => rule(viewer, incident))
    .map(([to]) => describe(incident.status, to, viewer, incident));
}

export function isFinal(status: IncidentStatus): boolean {
  return FINAL_INCIDENT_STATUSES.includes(status);
}

/** Title and description: the reporter while it is OPEN; the department's people and admins until it is final. */
export function mayEditFields(viewer: Viewer, incident: IncidentFacts): boolean {
  if (isFinal(incident.status)) return false;
  return anyOf(worksTheDepartment, isAdmin)(viewer, incident) || (isReporter(viewer, incident) && incident.status === 'OPEN');
}

export function mayChangePriority(viewer: Viewer, incident: IncidentFacts): boolean {
  return !isFinal(incident.status) && anyOf(worksTheDepartment, isAdmin)(viewer, incident);
}

export function mayAssign(viewer: Viewer, incident: IncidentFacts): boolean {
  return !isFinal(incident.status) && anyOf(managesTheDepartment, isAdmin)(viewer, incident);
}

/** Internal notes: the department's staff and managers, and admins; never reporters. */
export function mayWriteInternalNotes(viewer: Viewer, incident: IncidentFacts): boolean {
  return anyOf(worksTheDepartment, isAdmin)(viewer, incident);
}

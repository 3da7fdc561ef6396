import { FINAL_INCIDENT_STATUSES, type IncidentStatus } from './incidents.js';
import type { Role } from './roles.js';

/** Who acts: a signed-in user or service account, or the platform itself (auto-close, SLA job). */
export type Actor =
  | { kind: 'user' | 'service'; id: string; role: Role; departmentId: string | null }
  | { kind: 'system' };

/** What the rules need to know about an incident. */
export interface IncidentFacts {
  status: IncidentStatus;
  reporterId: string;
  departmentId: string;
  /** Who watches it: they may see it (staff, managers and admins among them its internal notes too). */
  watcherIds?: readonly string[] | undefined;
}

type Rule = (actor: Actor, incident: IncidentFacts) => boolean;

const isAdmin: Rule = (actor) => actor.kind === 'user' && actor.role === 'admin';
const isSystem: Rule = (actor) => actor.kind === 'system';
const isReporter: Rule = (actor, incident) => actor.kind === 'user' && actor.id === incident.reporterId;
/** Staff or a manager of the incident's department. */
const worksTheDepartment: Rule = (actor, incident) =>
  actor.kind === 'user' && (actor.role === 'staff' || actor.role === 'manager') && actor.departmentId === incident.departmentId;
/** Staff or a manager (of any department) who watches it: a colleague pulled in. */
const isStaffWatcher: Rule = (actor, incident) =>
  actor.kind === 'user' && (actor.role === 'staff' || actor.role === 'manager') && (incident.watcherIds?.includes(actor.id) ?? false);
const managesTheDepartment: Rule = (actor, incident) =>
  actor.kind === 'user' && actor.role === 'manager' && actor.departmentId === incident.departmentId;

const anyOf =
  (...rules: Rule[]): Rule =>
  (actor, incident) =>
    rules.some((rule) => rule(actor, incident));

/**
 * The lifecycle (docs/ARCHITECTURE.md, "Incident lifecycle"): which status may follow which, and who
 * may make each move. CLOSED and CANCELLED are final. incident-service enforces these rules; the
 * portal reads the same ones to decide which actions to offer.
 */
export const TRANSITIONS: Record<IncidentStatus, Partial<Record<IncidentStatus, Rule>>> = {
  OPEN: {
    IN_PROGRESS: anyOf(worksTheDepartment, isAdmin),
    CANCELLED: anyOf(isReporter, managesTheDepartment, isAdmin),
  },
  IN_PROGRESS: {
    // The platform: an incident left waiting on its reporter past WAITING_AUTO_RESOLVE_DAYS.
    RESOLVED: anyOf(worksTheDepartment, isAdmin, isSystem),
    OPEN: anyOf(worksTheDepartment, isAdmin),
  },
  RESOLVED: {
    CLOSED: anyOf(isReporter, isAdmin, isSystem),
    IN_PROGRESS: anyOf(isReporter, worksTheDepartment, isAdmin),
  },
  CLOSED: {},
  CANCELLED: {},
};

export type Decision = { allowed: true } | { allowed: false; reason: 'invalid-transition' | 'forbidden' };

/** Whether `actor` may move `incident` to `to`: a move the lifecycle lacks, or a role it does not allow. */
export function decideTransition(actor: Actor, incident: IncidentFacts, to: IncidentStatus): Decision {
  const rule = TRANSITIONS[incident.status][to];
  if (!rule) return { allowed: false, reason: 'invalid-transition' };
  return rule(actor, incident) ? { allowed: true } : { allowed: false, reason: 'forbidden' };
}

export function isFinal(status: IncidentStatus): boolean {
  return FINAL_INCIDENT_STATUSES.includes(status);
}

/** Title and description: the reporter while it is OPEN; the department's people and admins until it is final. */
export function mayEditFields(actor: Actor, incident: IncidentFacts): boolean {
  if (isFinal(incident.status)) return false;
  if (anyOf(worksTheDepartment, isAdmin)(actor, incident)) return true;
  return isReporter(actor, incident) && incident.status === 'OPEN';
}

/** Priority: the department's staff and managers, and admins, until it is final. */
export function mayChangePriority(actor: Actor, incident: IncidentFacts): boolean {
  return !isFinal(incident.status) && anyOf(worksTheDepartment, isAdmin)(actor, incident);
}

/** Waiting on the reporter (asking them something; the resolution clock pauses): who works it. */
export function mayAskReporter(actor: Actor, incident: IncidentFacts): boolean {
  return incident.status === 'IN_PROGRESS' && anyOf(worksTheDepartment, isAdmin)(actor, incident);
}

/** Ending the wait without a comment: who works it, and the reporter (who may have answered elsewhere). */
export function mayEndWaiting(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(worksTheDepartment, isAdmin, isReporter)(actor, incident);
}

/** Assignment: the department's manager and admins. */
export function mayAssign(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(managesTheDepartment, isAdmin)(actor, incident);
}

/** Starting work on an unassigned incident assigns it to whoever starts, if they work the department. */
export function assigneeWhenStarting(actor: Actor, incident: IncidentFacts & { assigneeId: string | null }): string | null {
  if (incident.assigneeId !== null || actor.kind !== 'user') return incident.assigneeId;
  return worksTheDepartment(actor, incident) ? actor.id : incident.assigneeId;
}

/** Internal notes: written and read by the department's staff and managers, staff and managers watching it, and admins. */
export function mayUseInternalNotes(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(worksTheDepartment, isAdmin, isStaffWatcher)(actor, incident);
}

/** Adding or removing someone else as a watcher: its reporter, the department's people, admins. */
export function mayManageWatchers(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(isReporter, worksTheDepartment, isAdmin)(actor, incident);
}

/** Linking it to other incidents (and unlinking): the department's staff and managers, and admins. */
export function mayLink(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(worksTheDepartment, isAdmin)(actor, incident);
}

/** Declaring a major incident, and writing its post-incident review: the department's manager and admins. */
export function mayDeclareMajor(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(managesTheDepartment, isAdmin)(actor, incident);
}

/** Posting a major incident's status updates: the department's staff and managers, and admins. */
export function mayPostMajorUpdate(actor: Actor, incident: IncidentFacts): boolean {
  return anyOf(worksTheDepartment, isAdmin)(actor, incident);
}

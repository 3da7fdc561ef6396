import { INCIDENT_STATUSES, type Incident, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { ApiError } from './api-client';
import type { Words } from './i18n/words';
import { allowedTransitions, isFinal, mayAssign, mayChangePriority, type Viewer } from './lifecycle';

// Bulk actions on the incident list: which changes to offer for a selection, which of the
// selected incidents each applies to (by the lifecycle the API enforces, so an incident that
// cannot take the change is reported at once rather than asked), and how to tell a person why
// the API refused one.

export type BulkChange =
  | { kind: 'status'; to: IncidentStatus; reason?: string }
  | { kind: 'priority'; to: IncidentPriority }
  | { kind: 'assign'; assigneeId: string | null; assigneeName: string };

export interface BulkPlan {
  /** The incidents the change is asked for. */
  apply: Incident[];
  /** The incidents it cannot apply to, and why, in words. */
  skipped: { incident: Incident; reason: string }[];
}

/** The statuses at least one selected incident may move to, in the lifecycle's order. */
export function statusTargets(viewer: Viewer, incidents: readonly Incident[]): IncidentStatus[] {
  const reachable = new Set(incidents.flatMap((incident) => allowedTransitions(viewer, incident).map((action) => action.to)));
  return INCIDENT_STATUSES.filter((status) => reachable.has(status));
}

export function mayChangeAnyPriority(viewer: Viewer, incidents: readonly Incident[]): boolean {
  return incidents.some((incident) => mayChangePriority(viewer, incident));
}

export function mayAssignAny(viewer: Viewer, incidents: readonly Incident[]): boolean {
  return incidents.some((incident) => mayAssign(viewer, incident));
}

/** Splits the selection into the incidents the change applies to and those it cannot. */
export function planBulk(viewer: Viewer, incidents: readonly Incident[], change: BulkChange, t: Words<'incidents'>): BulkPlan {
  const plan: BulkPlan = { apply: [], skipped: [] };
  for (const incident of incidents) {
    const reason = refusal(viewer, incident, change, t);
    if (reason) plan.skipped.push({ incident, reason });
    else plan.apply.push(incident);
  }
  return plan;
}

function refusal(viewer: Viewer, incident: Incident, change: BulkChange, t: Words<'incidents'>): string | null {
  const status = (of: IncidentStatus) => t(`statusInSentence.${of}`);
  if (isFinal(incident.status)) return t('bulk.skipFinal', { status: status(incident.status) });
  switch (change.kind) {
    case 'status':
      if (incident.status === change.to) return t('bulk.skipSameStatus', { status: status(change.to) });
      return allowedTransitions(viewer, incident).some((action) => action.to === change.to) ? null : t('bulk.skipCannotMove', { from: status(incident.status), to: status(change.to) });
    case 'priority':
      if (incident.priority === change.to) return t('bulk.skipSamePriority');
      return mayChangePriority(viewer, incident) ? null : t('bulk.skipPriorityRole');
    case 'assign':
      if (incident.assigneeId === change.assigneeId) return change.assigneeId ? t('bulk.skipSameAssignee', { name: change.assigneeName }) : t('bulk.skipUnassigned');
      return mayAssign(viewer, incident) ? null : t('bulk.skipAssignRole');
  }
}

/** Why the API refused one incident's change, in words a person can act on. */
export function bulkFailure(error: unknown, t: Words<'incidents'>): string {
  if (!(error instanceof ApiError)) return t('bulk.failNetwork');
  if (error.status === 412) return t('bulk.failChanged');
  if (error.code === 'INCIDENT.INVALID_TRANSITION') return t('bulk.failTransition');
  if (error.code === 'INCIDENT.FINAL') return t('bulk.failFinal');
  if (error.code === 'INCIDENT.INVALID_ASSIGNEE') return t('bulk.failAssignee');
  if (error.status === 403) return t('bulk.failRole');
  if (error.status === 404) return t('bulk.failGone');
  if (error.status === 429) return t('bulk.failTooMany');
  return error.detail ?? error.title;
}

/**
 * Runs `task` over `items`, at most `limit` at a time, reporting each finished one; never
 * rejects (a task's failure is its item's outcome). Answers in the items' order.
 */
export async function runLimited<Item, Outcome>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Outcome>,
  onSettled?: (item: Item, result: PromiseSettledResult<Outcome>, done: number) => void,
): Promise<PromiseSettledResult<Outcome>[]> {
  const results: PromiseSettledResult<Outcome>[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      try {
        results[index] = { status: 'fulfilled', value: await task(item) };
      } catch (reason) {
        results[index] = { status: 'rejected', reason };
      }
      done += 1;
      onSettled?.(item, results[index], done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

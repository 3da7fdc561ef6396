import { isFinal, type IncidentStatus } from '@desk/contracts';
import { addWorkingMinutes, workingMinutesBetween, type WorkingCalendar } from './working-time.js';

export interface SlaTargets {
  responseMinutes: number;
  resolutionMinutes: number;
}

/**
 * An incident's SLA clock. Targets count working minutes of a calendar. The clock keeps, at a
 * checkpoint, how many working minutes each target had used; a due time is the instant at which
 * the rest of its target has passed from the checkpoint. The checkpoint moves when the calendar
 * changes (the minutes used so far were counted on the old one, the rest count on the new one)
 * and when the resolution clock pauses (waiting on the reporter) or resumes.
 *
 * Without a pause or a change of calendar the checkpoint is the moment of the report, and a due
 * time is simply the report plus the target in working time.
 */
export interface SlaClockFields {
  status: IncidentStatus;
  responded_at: Date | null;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  /** Null: the report (`created_at`). */
  sla_checkpoint_at: Date | null;
  created_at: Date;
  response_elapsed_minutes: number;
  resolution_elapsed_minutes: number;
  waiting_since: Date | null;
}

export interface SlaClockChanges {
  sla_checkpoint_at: Date;
  response_elapsed_minutes: number;
  resolution_elapsed_minutes: number;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
}

/** The instant a target falls due: `target` working minutes of which `elapsed` are used at `from`. */
export function dueAt(calendar: WorkingCalendar, from: Date, elapsed: number, target: number): Date {
  // A target already used up (a lower priority's, say) fell due at the checkpoint at the latest.
  return target > elapsed ? addWorkingMinutes(calendar, from, target - elapsed) : from;
}

/** Due times of a new incident, reported at `createdAt`. */
export function dueTimes(calendar: WorkingCalendar, createdAt: Date, targets: SlaTargets): { responseDueAt: Date; resolutionDueAt: Date } {
  return { responseDueAt: dueAt(calendar, createdAt, 0, targets.responseMinutes), resolutionDueAt: dueAt(calendar, createdAt, 0, targets.resolutionMinutes) };
}

/** Whether the response target still runs: not met, not missed, the incident still OPEN. */
function responseRuns(row: SlaClockFields): boolean {
  return row.responded_at === null && row.response_breached_at === null && row.status === 'OPEN';
}

/** Whether the resolution target can still fall due (RESOLVED counts: it may be reopened). */
function resolutionRuns(row: SlaClockFields): boolean {
  return row.resolution_breached_at === null && !isFinal(row.status);
}

/**
 * Recounts the clock at `now`: the working minutes used since the checkpoint are added (counted on
 * `used`, the calendar the clock ran on), then due times are set from `now` on `next`, with
 * `targets`. `waiting`: whether the resolution clock is paused from now on (its due time is then
 * null). Targets already met or missed keep the due time they had.
 */
export function recountClock(
  row: SlaClockFields,
  options: { used: WorkingCalendar; next: WorkingCalendar; targets: SlaTargets; now: Date; waiting: boolean },
): SlaClockChanges {
  const { used, next, targets, now } = options;
  const from = row.sla_checkpoint_at ?? row.created_at;
  let response = row.response_elapsed_minutes;
  let resolution = row.resolution_elapsed_minutes;
  if (now > from) {
    const responseEnd = row.responded_at && row.responded_at < now ? row.responded_at : now;
    if (responseEnd > from) response += workingMinutesBetween(used, from, responseEnd);
    // Paused while waiting on the reporter: no resolution time was used.
    if (!row.waiting_since) resolution += workingMinutesBetween(used, from, now);
  }
  const checkpoint = now > from ? now : from;
  return {
    sla_checkpoint_at: checkpoint,
    response_elapsed_minutes: response,
    resolution_elapsed_minutes: resolution,
    response_due_at: responseRuns(row) ? dueAt(next, checkpoint, response, targets.responseMinutes) : row.response_due_at,
    resolution_due_at: !resolutionRuns(row) ? row.resolution_due_at : options.waiting ? null : dueAt(next, checkpoint, resolution, targets.resolutionMinutes),
  };
}

/**
 * Due times for new targets (a priority change) on the same calendar, from the checkpoint as it
 * is: without pauses they run from the report, as the targets always have.
 */
export function retarget(row: SlaClockFields, calendar: WorkingCalendar, targets: SlaTargets): Pick<SlaClockChanges, 'response_due_at' | 'resolution_due_at'> {
  return {
    response_due_at: responseRuns(row) ? dueAt(calendar, row.sla_checkpoint_at ?? row.created_at, row.response_elapsed_minutes, targets.responseMinutes) : row.response_due_at,
    resolution_due_at:
      !resolutionRuns(row) || row.waiting_since
        ? row.resolution_due_at
        : dueAt(calendar, row.sla_checkpoint_at ?? row.created_at, row.resolution_elapsed_minutes, targets.resolutionMinutes),
  };
}

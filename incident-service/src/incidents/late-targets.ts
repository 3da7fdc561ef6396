import type { Knex } from 'knex';
import type { IncidentDependencies } from '../dependencies.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { toIncidentSnapshot, type IncidentChanges, type IncidentRow } from './incidents.repository.js';

/**
 * A target met late, noticed at the moment it is met (before the SLA job got to it): marked
 * breached now, so compliance never depends on how often the job runs.
 */
export function lateTargets(row: IncidentRow, changes: IncidentChanges, now: Date): ('response' | 'resolution')[] {
  const late: ('response' | 'resolution')[] = [];
  if (changes.responded_at && row.response_due_at && now > row.response_due_at && !row.response_breached_at) late.push('response');
  if (changes.resolved_at && row.resolution_due_at && now > row.resolution_due_at && !row.resolution_breached_at) late.push('resolution');
  return late;
}

/** The timeline entries and events of targets met late (`lateTargets`), in the change's transaction. */
export async function recordLateTargets(
  deps: Pick<IncidentDependencies, 'outbox'>,
  trx: Knex.Transaction,
  current: IncidentRow,
  updated: IncidentRow,
  late: readonly ('response' | 'resolution')[],
  now: Date,
  at: Date | undefined,
): Promise<void> {
  for (const target of late) {
    const dueAt = target === 'response' ? current.response_due_at! : current.resolution_due_at!;
    await appendTimeline(trx, { incidentId: current.id, action: 'sla_breached', actorId: null, newValue: { target, dueAt: dueAt.toISOString() }, at });
    await deps.outbox.add(trx, 'incident.sla_breached', {
      subject: current.id,
      time: now,
      data: { incident: toIncidentSnapshot(updated), target, dueAt: dueAt.toISOString(), breachedAt: now.toISOString() },
    });
  }
}

import type { TimelineEntry } from '@desk/contracts';
import type { Knex } from 'knex';

export type TimelineAction = TimelineEntry['action'];

export interface NewTimelineEntry {
  incidentId: string;
  action: TimelineAction;
  actorId: string | null;
  oldValue?: unknown;
  newValue?: unknown;
  /** About an internal note: hidden from reporters. */
  isInternal?: boolean;
}

interface AuditRow {
  id: string;
  action: TimelineAction;
  actor_id: string | null;
  old_value: unknown;
  new_value: unknown;
  created_at: Date;
}

/** Appends to the incident's timeline, in the transaction of the change it records. */
export async function appendTimeline(trx: Knex.Transaction, entry: NewTimelineEntry): Promise<void> {
  await trx('audit_log').insert({
    incident_id: entry.incidentId,
    action: entry.action,
    actor_id: entry.actorId,
    old_value: entry.oldValue === undefined ? null : JSON.stringify(entry.oldValue),
    new_value: entry.newValue === undefined ? null : JSON.stringify(entry.newValue),
    is_internal: entry.isInternal ?? false,
  });
}

export async function listTimeline(
  db: Knex,
  { incidentId, includeInternal, afterId, limit }: { incidentId: string; includeInternal: boolean; afterId?: string; limit: number },
): Promise<TimelineEntry[]> {
  const query = db('audit_log')
    .select<AuditRow[]>('id', 'action', 'actor_id', 'old_value', 'new_value', 'created_at')
    .where('incident_id', incidentId)
    .orderBy('id', 'asc')
    .limit(limit);
  if (!includeInternal) query.where('is_internal', false);
  if (afterId) query.where('id', '>', afterId);
  const rows = await query;
  return rows.map((row) => ({
    id: String(row.id),
    action: row.action,
    actorId: row.actor_id,
    oldValue: row.old_value ?? null,
    newValue: row.new_value ?? null,
    createdAt: row.created_at.toISOString(),
  }));
}

import type { IncidentPerson, TimelineEntry } from '@desk/contracts';
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
  /** The instant of a replayed change (clock.ts's rowStamp); by default the transaction's time. */
  at?: Date | undefined;
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
    ...(entry.at ? { created_at: entry.at } : {}),
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

/**
 * Everyone the incident names, as the user replica knows them: reporter, assignee, watchers, each
 * entry's actor, each assignment's previous and new assignee and each comment's mentions, from the entries the caller may read.
 * Service accounts and the platform itself have no name here.
 */
export async function listIncidentPeople(db: Knex, incidentId: string, includeInternal: boolean): Promise<IncidentPerson[]> {
  const visible = includeInternal ? '' : 'and not is_internal';
  const result = await db.raw<{ rows: { id: string; full_name: string }[] }>(
    `select users.id, users.full_name from users where users.id in (
       select reporter_id from incidents where id = :incidentId
       union select assignee_id from incidents where id = :incidentId
       union select unnest(watcher_ids) from incidents where id = :incidentId
       union select unnest(mentioned_ids) from comments where incident_id = :incidentId ${visible}
       union select actor_id from audit_log where incident_id = :incidentId ${visible}
       union select (value #>> '{}')::uuid from audit_log, lateral (values (old_value), (new_value)) as assigned (value)
         where incident_id = :incidentId and action = 'assigned' and jsonb_typeof(value) = 'string' ${visible}
     )
     order by users.full_name, users.id`,
    { incidentId },
  );
  return result.rows.map((row) => ({ id: row.id, fullName: row.full_name }));
}

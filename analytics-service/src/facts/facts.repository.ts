import type { IncidentSnapshot } from '@desk/contracts';
import type { Knex } from 'knex';
import { FACT_TABLE, NEXT_FACT_TABLE } from '../migrations.js';

type Db = Knex | Knex.Transaction;

/** A fact as a row: what the snapshot says, with closing and cancelling told apart. */
function factRecord(incident: IncidentSnapshot) {
  return {
    id: incident.id,
    key: incident.key,
    title: incident.title,
    status: incident.status,
    priority: incident.priority,
    reporter_id: incident.reporterId,
    department_id: incident.departmentId,
    category_id: incident.categoryId,
    assignee_id: incident.assigneeId,
    version: incident.version,
    created_at: incident.createdAt,
    updated_at: incident.updatedAt,
    responded_at: incident.respondedAt,
    resolved_at: incident.resolvedAt,
    // incident-service stamps closedAt for both final statuses.
    closed_at: incident.status === 'CLOSED' ? incident.closedAt : null,
    cancelled_at: incident.status === 'CANCELLED' ? incident.closedAt : null,
    reopen_count: incident.reopenCount,
    reopened_at: incident.reopenedAt,
    response_due_at: incident.responseDueAt,
    resolution_due_at: incident.resolutionDueAt,
    response_breached_at: incident.responseBreachedAt,
    resolution_breached_at: incident.resolutionBreachedAt,
  };
}

const COLUMNS = Object.keys(factRecord({} as IncidentSnapshot));
const RECORD_TYPES: Record<string, string> = {
  id: 'uuid',
  reporter_id: 'uuid',
  department_id: 'uuid',
  category_id: 'uuid',
  assignee_id: 'uuid',
  version: 'int',
  reopen_count: 'int',
  key: 'text',
  title: 'text',
  status: 'text',
  priority: 'text',
};
const recordDefinition = COLUMNS.map((column) => `${column} ${RECORD_TYPES[column] ?? 'timestamptz'}`).join(', ');

/**
 * Writes facts from incident snapshots, in one statement however many. A snapshot replaces the
 * fact only when it is newer (a higher version; at the same version, a later `updatedAt`, as a
 * comment moves it without a new version), so a duplicate or late event changes nothing.
 */
export async function upsertFacts(db: Db, incidents: IncidentSnapshot[], table: string = FACT_TABLE): Promise<void> {
  if (incidents.length === 0) return;
  // One row per incident and statement (Postgres refuses to update a row twice in one).
  const newest = new Map<string, IncidentSnapshot>();
  for (const incident of incidents) {
    const held = newest.get(incident.id);
    if (!held || held.version < incident.version || (held.version === incident.version && held.updatedAt < incident.updatedAt)) newest.set(incident.id, incident);
  }
  const updates = COLUMNS.filter((column) => column !== 'id')
    .map((column) => `${column} = excluded.${column}`)
    .join(', ');
  await db.raw(
    `insert into ?? (${COLUMNS.join(', ')})
     select ${COLUMNS.join(', ')} from jsonb_to_recordset(?::jsonb) as x(${recordDefinition})
     on conflict (id) do update set ${updates}, written_xid = pg_current_xact_id()
     where ??.version < excluded.version or (??.version = excluded.version and ??.updated_at < excluded.updated_at)`,
    [table, JSON.stringify([...newest.values()].map(factRecord)), table, table, table],
  );
}

/** Is a rebuild filling the next fact table? Then events are written to both. */
export async function rebuildInProgress(db: Db): Promise<boolean> {
  const row = await db.raw<{ rows: { exists: boolean }[] }>('select to_regclass(?) is not null as exists', [NEXT_FACT_TABLE]);
  return row.rows[0]!.exists;
}

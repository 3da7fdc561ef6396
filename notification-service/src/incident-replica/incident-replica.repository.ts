import type { IncidentSnapshot, UserRole } from '@desk/contracts';
import type { Knex } from 'knex';
import { replica, type Recipient } from '../replica.js';

type Db = Knex | Knex.Transaction;

/** An incident as incident-service last described it; the highest `version` wins. */
export async function upsertIncident(db: Db, incident: IncidentSnapshot): Promise<void> {
  await incidentUpsert(db, incident);
}

/** The statement of `upsertIncident`, to run on its own or inside another (as a CTE). */
export function incidentUpsert(db: Db, incident: IncidentSnapshot): Knex.Raw {
  return db.raw(
    `insert into incidents (id, key, title, status, priority, reporter_id, assignee_id, department_id, version, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do update set
       key = excluded.key, title = excluded.title, status = excluded.status, priority = excluded.priority,
       reporter_id = excluded.reporter_id, assignee_id = excluded.assignee_id, department_id = excluded.department_id,
       version = excluded.version, updated_at = excluded.updated_at
     where incidents.version < excluded.version
        or (incidents.version = excluded.version and incidents.updated_at < excluded.updated_at)`,
    [
      incident.id,
      incident.key,
      incident.title,
      incident.status,
      incident.priority,
      incident.reporterId,
      incident.assigneeId,
      incident.departmentId,
      incident.version,
      incident.updatedAt,
    ],
  );
}

/** The active people of a department in the given roles. */
export async function departmentPeople(db: Db, departmentId: string, roles: readonly UserRole[]): Promise<Recipient[]> {
  return (await db('users').select(replica.users.columnNames).where({ department_id: departmentId, is_active: true }).whereIn('role', roles)) as Recipient[];
}

/** The newest change the incident replica holds: where a catch-up with incident-service starts. */
export async function latestIncidentChange(db: Db): Promise<string | null> {
  const row = await db('incidents').max('updated_at as latest').first<{ latest: Date | null } | undefined>();
  return row?.latest ? row.latest.toISOString() : null;
}

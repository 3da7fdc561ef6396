import type { IncidentSnapshot, UserRole, UserSnapshot } from '@desk/contracts';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface ReplicaUser {
  id: string;
  email: string;
  full_name: string;
  role: UserRole;
  department_id: string | null;
  is_active: boolean;
}

/** A user as identity-service last described them; events may come late or twice, the newest `updatedAt` wins. */
export async function upsertUser(db: Db, user: UserSnapshot): Promise<void> {
  await db.raw(
    `insert into users (id, email, full_name, role, department_id, is_active, updated_at)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do update set
       email = excluded.email, full_name = excluded.full_name, role = excluded.role,
       department_id = excluded.department_id, is_active = excluded.is_active, updated_at = excluded.updated_at
     where users.updated_at <= excluded.updated_at`,
    [user.id, user.email, user.fullName, user.role, user.departmentId, user.isActive, user.updatedAt],
  );
}

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

const USER_COLUMNS = ['id', 'email', 'full_name', 'role', 'department_id', 'is_active'];

export async function findUsers(db: Db, ids: readonly string[]): Promise<Map<string, ReplicaUser>> {
  if (ids.length === 0) return new Map();
  const rows = await db('users').select(USER_COLUMNS).whereIn('id', [...new Set(ids)]);
  return new Map((rows as ReplicaUser[]).map((row) => [row.id, row]));
}

/** The active people of a department in the given roles. */
export async function departmentPeople(db: Db, departmentId: string, roles: readonly UserRole[]): Promise<ReplicaUser[]> {
  return (await db('users').select(USER_COLUMNS).where({ department_id: departmentId, is_active: true }).whereIn('role', roles)) as ReplicaUser[];
}

/** The newest change a replica holds: where a catch-up with its owner starts. */
export async function latestChange(db: Db, table: 'users' | 'incidents'): Promise<string | null> {
  const row = await db(table).max('updated_at as latest').first<{ latest: Date | null } | undefined>();
  return row?.latest ? row.latest.toISOString() : null;
}

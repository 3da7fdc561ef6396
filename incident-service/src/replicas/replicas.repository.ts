import type { DepartmentSnapshot, UserSnapshot } from '@desk/contracts';
import type { Knex } from 'knex';

export interface ReplicaUser {
  id: string;
  full_name: string;
  role: UserSnapshot['role'];
  department_id: string | null;
  is_active: boolean;
  updated_at: Date;
}

type Db = Knex | Knex.Transaction;

/**
 * Applies a user as identity-service last described it, unless the replica already holds a
 * newer state: events may arrive out of order or twice, the newest `updatedAt` wins.
 */
export async function upsertUser(db: Db, user: UserSnapshot): Promise<void> {
  await db.raw(
    `insert into users (id, full_name, role, department_id, is_active, updated_at)
     values (?, ?, ?, ?, ?, ?)
     on conflict (id) do update set
       full_name = excluded.full_name, role = excluded.role, department_id = excluded.department_id,
       is_active = excluded.is_active, updated_at = excluded.updated_at, replicated_at = now()
     where users.updated_at <= excluded.updated_at`,
    [user.id, user.fullName, user.role, user.departmentId, user.isActive, user.updatedAt],
  );
}

export async function upsertDepartment(db: Db, department: DepartmentSnapshot): Promise<void> {
  await db.raw(
    `insert into departments (id, name, description, updated_at)
     values (?, ?, ?, ?)
     on conflict (id) do update set
       name = excluded.name, description = excluded.description, updated_at = excluded.updated_at
     where departments.updated_at <= excluded.updated_at`,
    [department.id, department.name, department.description, department.updatedAt],
  );
}

export async function findReplicaUser(db: Db, id: string): Promise<ReplicaUser | undefined> {
  return db('users').select('id', 'full_name', 'role', 'department_id', 'is_active', 'updated_at').where({ id }).first<ReplicaUser | undefined>();
}

/**
 * Users this replica wrote at or after `since` (its own clock, `replicated_at`, not identity's
 * `updatedAt`: an event may arrive long after the change it reports), and the clock now.
 */
export async function replicaUsersChangedSince(db: Db, since: Date): Promise<{ ids: string[]; asOf: Date }> {
  const { rows } = await db.raw<{ rows: { ids: string[]; as_of: Date }[] }>(
    'select array(select id::text from users where replicated_at >= ?) as ids, now() as as_of',
    [since],
  );
  return { ids: rows[0]!.ids, asOf: rows[0]!.as_of };
}

export async function departmentExists(db: Db, id: string): Promise<boolean> {
  return (await db('departments').select('id').where({ id }).first<{ id: string } | undefined>()) !== undefined;
}

/** The newest change the user replica holds: where a catch-up from identity starts. */
export async function latestUserChange(db: Db): Promise<string | null> {
  const row = await db('users').max('updated_at as latest').first<{ latest: Date | null } | undefined>();
  return row?.latest ? row.latest.toISOString() : null;
}

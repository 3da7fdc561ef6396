import type { Actor, UserRole } from '@desk/contracts';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface PersonRow {
  id: string;
  full_name: string;
  role: UserRole;
  department_id: string | null;
}

/** Active people by id, as the user replica knows them (a deactivated account is nobody here). */
export async function activePeople(db: Db, ids: readonly string[]): Promise<Map<string, PersonRow>> {
  if (ids.length === 0) return new Map();
  const rows = (await db('users').select('id', 'full_name', 'role', 'department_id').whereIn('id', [...ids]).where('is_active', true)) as PersonRow[];
  return new Map(rows.map((row) => [row.id, row]));
}

/** A person as the access rules see them, to ask what they may see. */
export function actorOfPerson(person: PersonRow): Actor {
  return { kind: 'user', id: person.id, role: person.role, departmentId: person.department_id };
}

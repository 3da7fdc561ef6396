import type { Department } from '@desk/contracts';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface DepartmentRow {
  id: string;
  name: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

export function toDepartment(row: DepartmentRow): Department {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function findDepartmentById(db: Db, id: string): Promise<DepartmentRow | undefined> {
  return db<DepartmentRow>('departments').select('id', 'name', 'description', 'created_at', 'updated_at', 'version').where({ id }).first();
}

const DEPARTMENT_COLUMNS = ['id', 'name', 'description', 'created_at', 'updated_at', 'version'];

/** Every department, by name: the organisation has few, so the list is never paged. */
export async function listDepartmentsByName(db: Db): Promise<DepartmentRow[]> {
  // Ordered like the unique index on lower(name), which it can walk.
  return db('departments').select(DEPARTMENT_COLUMNS).orderByRaw('lower(name), id');
}

/** Locks the row until the transaction ends, for read-check-write changes. */
export async function findDepartmentByIdForUpdate(trx: Knex.Transaction, id: string): Promise<DepartmentRow | undefined> {
  return trx('departments').select(DEPARTMENT_COLUMNS).where({ id }).forUpdate().first<DepartmentRow | undefined>();
}

/** A blank description is no description: one way to say "none" keeps no-op checks honest. */
export function storedDescription(description: string | null | undefined): string | null {
  return description ? description : null;
}

export interface NewDepartment {
  name: string;
  description: string | null;
}

/** Inserts a department; resolves undefined when the name is taken (case-insensitively). */
export async function insertDepartment(trx: Knex.Transaction, department: NewDepartment): Promise<DepartmentRow | undefined> {
  const rows: DepartmentRow[] = await trx('departments')
    .insert({ name: department.name, description: storedDescription(department.description) })
    .onConflict(trx.raw('(lower(name))'))
    .ignore()
    .returning(DEPARTMENT_COLUMNS);
  return rows[0];
}

export interface DepartmentChanges {
  name?: string;
  description?: string | null;
}

function isDepartmentNameConflict(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'departments_name_unique';
}

/**
 * Updates a department the caller has locked; resolves undefined when the new name is taken.
 * Two renames to one name can race past any check made beforehand, so the unique index decides.
 * The failed statement aborts the transaction: the caller must end it (by throwing).
 */
export async function updateDepartment(
  trx: Knex.Transaction,
  id: string,
  changes: DepartmentChanges,
): Promise<DepartmentRow | undefined> {
  const patch: Record<string, unknown> = { updated_at: trx.fn.now() };
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.description !== undefined) patch.description = storedDescription(changes.description);
  try {
    const rows: DepartmentRow[] = await trx('departments').where({ id }).update(patch).returning(DEPARTMENT_COLUMNS);
    return rows[0];
  } catch (error) {
    if (isDepartmentNameConflict(error)) return undefined;
    throw error;
  }
}

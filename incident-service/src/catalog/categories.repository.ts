import type { AssignmentMode, Category } from '@desk/contracts';
import type { Knex } from 'knex';

export interface CategoryRow {
  id: string;
  name: string;
  description: string | null;
  department_id: string;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  assignment: AssignmentMode;
  default_assignee_id: string | null;
  max_open_per_person: number | null;
  last_assignee_id: string | null;
}

const COLUMNS = ['id', 'name', 'description', 'department_id', 'is_active', 'created_at', 'updated_at', 'assignment', 'default_assignee_id', 'max_open_per_person', 'last_assignee_id'];
type Db = Knex | Knex.Transaction;

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    departmentId: row.department_id,
    isActive: row.is_active,
    assignment: row.assignment,
    defaultAssigneeId: row.default_assignee_id,
    maxOpenPerPerson: row.max_open_per_person,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function findCategory(db: Db, id: string): Promise<CategoryRow | undefined> {
  return db('categories').select(COLUMNS).where({ id }).first<CategoryRow | undefined>();
}

export async function findCategoryForUpdate(trx: Knex.Transaction, id: string): Promise<CategoryRow | undefined> {
  return trx('categories').select(COLUMNS).where({ id }).forUpdate().first<CategoryRow | undefined>();
}

export async function listCategories(db: Db, { departmentId, includeInactive }: { departmentId?: string; includeInactive: boolean }): Promise<CategoryRow[]> {
  const query = db('categories').select(COLUMNS).orderByRaw('lower(name), id');
  if (departmentId) query.where({ department_id: departmentId });
  if (!includeInactive) query.where({ is_active: true });
  return query as Promise<CategoryRow[]>;
}

/** Undefined when the department already has a category of that name (any letter case). */
export async function insertCategory(
  trx: Knex.Transaction,
  category: { name: string; description: string | null; departmentId: string },
): Promise<CategoryRow | undefined> {
  const rows: CategoryRow[] = await trx('categories')
    .insert({ name: category.name, description: category.description, department_id: category.departmentId })
    .onConflict(trx.raw('(department_id, lower(name))'))
    .ignore()
    .returning(COLUMNS);
  return rows[0];
}

export async function updateCategory(
  trx: Knex.Transaction,
  id: string,
  changes: Partial<{ name: string; description: string | null; is_active: boolean; assignment: AssignmentMode; default_assignee_id: string | null; max_open_per_person: number | null }>,
): Promise<CategoryRow> {
  const rows: CategoryRow[] = await trx('categories').where({ id }).update({ ...changes, updated_at: trx.fn.now() }).returning(COLUMNS);
  return rows[0]!;
}

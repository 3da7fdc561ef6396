import type { SavedView } from '@desk/contracts';
import type { Knex } from 'knex';

export interface SavedViewRow {
  id: string;
  owner_id: string;
  name: string;
  query: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = ['id', 'owner_id', 'name', 'query', 'created_at', 'updated_at'];

type Db = Knex | Knex.Transaction;

export function toSavedView(row: SavedViewRow): SavedView {
  return { id: row.id, name: row.name, query: row.query, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString() };
}

/** The owner's views, oldest first (the order they were saved in, which the sidebar keeps). */
export function listSavedViews(db: Db, ownerId: string): Promise<SavedViewRow[]> {
  return db('saved_views').select(COLUMNS).where({ owner_id: ownerId }).orderBy([{ column: 'created_at' }, { column: 'id' }]);
}

export async function countSavedViews(db: Db, ownerId: string): Promise<number> {
  const row = await db('saved_views').where({ owner_id: ownerId }).count<{ count: string }>({ count: '*' }).first();
  return Number(row?.count ?? 0);
}

/** Several saves by one person at once wait for each other, so the limit holds. */
export async function lockOwner(trx: Knex.Transaction, ownerId: string): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtextextended('saved_views:' || ?, 0))", [ownerId]);
}

/** Whether an insert or update failed on the owner's unique names (saved_views_owner_name). */
export function isNameTaken(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

export async function insertSavedView(db: Db, view: { ownerId: string; name: string; query: string }): Promise<SavedViewRow> {
  const rows: SavedViewRow[] = await db('saved_views').insert({ owner_id: view.ownerId, name: view.name, query: view.query }).returning(COLUMNS);
  return rows[0]!;
}

/** The view as changed, or undefined when the owner has no view with this id. */
export async function updateSavedView(db: Db, ownerId: string, id: string, changes: { name?: string; query?: string }): Promise<SavedViewRow | undefined> {
  const rows: SavedViewRow[] = await db('saved_views')
    .where({ id, owner_id: ownerId })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning(COLUMNS);
  return rows[0];
}

/** Whether the owner had a view with this id. */
export async function deleteSavedView(db: Db, ownerId: string, id: string): Promise<boolean> {
  return (await db('saved_views').where({ id, owner_id: ownerId }).delete()) > 0;
}

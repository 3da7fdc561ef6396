import type { Locale, User, UserRole } from '@desk/contracts';
import type { Knex } from 'knex';

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  password_hash: string;
  role: UserRole;
  department_id: string | null;
  is_active: boolean;
  locale: Locale | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** The user as the API and events show it: never the password hash. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    departmentId: row.department_id,
    isActive: row.is_active,
    locale: row.locale,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

const USER_COLUMNS: string[] = [
  'id',
  'email',
  'full_name',
  'password_hash',
  'role',
  'department_id',
  'is_active',
  'locale',
  'created_at',
  'updated_at',
  'version',
];

type Db = Knex | Knex.Transaction;

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db('users').select(USER_COLUMNS).where({ id }).first<UserRow | undefined>();
}

/** Locks the row until the transaction ends, for read-check-write changes. */
export async function findUserByIdForUpdate(trx: Knex.Transaction, id: string): Promise<UserRow | undefined> {
  return trx('users').select(USER_COLUMNS).where({ id }).forUpdate().first<UserRow | undefined>();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db('users').select(USER_COLUMNS).whereRaw('lower(email) = lower(?)', [email]).first<UserRow | undefined>();
}

export interface NewUser {
  email: string;
  fullName: string;
  passwordHash: string;
  role: UserRole;
  departmentId: string | null;
  /** The language they registered in; left out: none chosen yet. */
  locale?: Locale | null;
}

/** Inserts a user; resolves undefined when the email is taken (case-insensitively). */
export async function insertUser(trx: Knex.Transaction, user: NewUser): Promise<UserRow | undefined> {
  const rows: UserRow[] = await trx('users')
    .insert({
      email: user.email.toLowerCase(),
      full_name: user.fullName,
      password_hash: user.passwordHash,
      role: user.role,
      department_id: user.departmentId,
      locale: user.locale ?? null,
    })
    .onConflict(trx.raw('(lower(email))'))
    .ignore()
    .returning(USER_COLUMNS);
  return rows[0];
}

export interface UserChanges {
  fullName?: string;
  role?: UserRole;
  departmentId?: string | null;
  isActive?: boolean;
  locale?: Locale;
}

export async function updateUser(trx: Knex.Transaction, id: string, changes: UserChanges): Promise<UserRow> {
  const patch: Record<string, unknown> = { updated_at: trx.fn.now() };
  if (changes.fullName !== undefined) patch.full_name = changes.fullName;
  if (changes.role !== undefined) patch.role = changes.role;
  if (changes.departmentId !== undefined) patch.department_id = changes.departmentId;
  if (changes.isActive !== undefined) patch.is_active = changes.isActive;
  if (changes.locale !== undefined) patch.locale = changes.locale;
  const rows: UserRow[] = await trx('users').where({ id }).update(patch).returning(USER_COLUMNS);
  return rows[0]!;
}

/** Active admins, locked: changes that could remove the last one serialize on these rows. */
export async function lockActiveAdmins(trx: Knex.Transaction): Promise<string[]> {
  const rows = await trx('users').select('id').where({ role: 'admin', is_active: true }).forUpdate();
  return rows.map((row: { id: string }) => row.id);
}

export async function anyAdminExists(db: Db): Promise<boolean> {
  const row = await db('users').select('id').where({ role: 'admin' }).first<{ id: string } | undefined>();
  return row !== undefined;
}

/** Position in the directory's order, `(lower(full_name), id)`, as Postgres computed it. */
export type UserNameKey = {
  name: string;
  id: string;
};

export interface UserDirectoryFilter {
  role?: UserRole;
  departmentId?: string;
  isActive?: boolean;
  /** Case-insensitive substring of the full name or the email. */
  search?: string;
}

export type UserRowWithNameKey = UserRow & { name_key: string };

/** `%` and `_` in what someone typed are literal characters, not wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * One page of the directory after `after`, ordered by `(lower(full_name), id)` so the
 * users_name_order index (or users_department_name_order when filtered by department) serves
 * it. The sort key comes back computed by Postgres: lower() in JavaScript need not agree with it.
 */
export async function listUsersByName(
  db: Db,
  filter: UserDirectoryFilter,
  after: UserNameKey | undefined,
  limit: number,
): Promise<UserRowWithNameKey[]> {
  const query = db('users').select<UserRowWithNameKey[]>([...USER_COLUMNS, db.raw('lower(full_name) as name_key')]);
  whereInDirectory(query, filter);
  if (after) query.whereRaw('(lower(full_name), id) > (?, ?::uuid)', [after.name, after.id]);
  return query.orderByRaw('lower(full_name), id').limit(limit);
}

/**
 * How many users `filter` matches, counting no further than `limit`: the count runs over a
 * subquery that stops at `limit` rows, so it never reads more than that many matching rows
 * (by users_department_name_order when filtered by department) whatever the table's size.
 */
export async function countUsersInDirectory(db: Db, filter: UserDirectoryFilter, limit: number): Promise<number> {
  const matching = db('users').select(db.raw('1')).limit(limit);
  whereInDirectory(matching, filter);
  const [row] = await db.count<{ count: string | number }[]>({ count: '*' }).from(matching.as('matching'));
  return Number(row?.count ?? 0);
}

/**
 * Narrows `query` to the users `filter` matches. The directory's list and its count both use it,
 * so a figure and the list it links to never disagree about whom they hold. (It changes the
 * builder rather than returning it: a query builder is a thenable.)
 */
function whereInDirectory(query: Knex.QueryBuilder, filter: UserDirectoryFilter): void {
  if (filter.role !== undefined) query.where({ role: filter.role });
  if (filter.departmentId !== undefined) query.where({ department_id: filter.departmentId });
  if (filter.isActive !== undefined) query.where({ is_active: filter.isActive });
  if (filter.search !== undefined) {
    const pattern = containsPattern(filter.search);
    // Backslash is Postgres's default LIKE escape character, which containsPattern relies on.
    query.where((match) => match.whereILike('full_name', pattern).orWhereILike('email', pattern));
  }
}

/**
 * Position in the replica feed's order, `(updated_at, id)`. The timestamp is kept as Postgres
 * text with microseconds: a JavaScript Date would round to milliseconds and repeat rows.
 */
export type UserUpdateKey = {
  updatedAt: string;
  id: string;
};

export type UserRowWithUpdateKey = UserRow & { update_key: string };

/** Users changed at or after `updatedSince`, oldest change first, after `after` (index users_updated_order). */
export async function listUsersByUpdate(
  db: Db,
  updatedSince: string | undefined,
  after: UserUpdateKey | undefined,
  limit: number,
): Promise<UserRowWithUpdateKey[]> {
  const query = db('users').select<UserRowWithUpdateKey[]>([
    ...USER_COLUMNS,
    db.raw(`to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as update_key`),
  ]);
  if (updatedSince !== undefined) query.where('updated_at', '>=', updatedSince);
  if (after) query.whereRaw('(updated_at, id) > (?::timestamptz, ?::uuid)', [after.updatedAt, after.id]);
  return query.orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(limit);
}

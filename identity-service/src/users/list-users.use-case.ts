import type { Caller } from '@desk/auth';
import type { ListUsersQuery, Page, User, UserFilterQuery } from '@desk/contracts';
import { AppError, decodeCursor, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { directoryScopeOf } from './user-visibility.js';
import { listUsersByName, toUser, type UserDirectoryFilter, type UserNameKey } from './users.repository.js';

const namePositionSchema = z.object({ name: z.string(), id: z.uuid() }) satisfies z.ZodType<UserNameKey>;

/** The directory, by name, filtered and keyset-paginated, limited to what the caller may see. */
export async function listUsers({ db }: Pick<IdentityDependencies, 'db'>, caller: Caller, query: ListUsersQuery): Promise<Page<User>> {
  const filter = directoryFilterOf(caller, query);
  const after = query.cursor === undefined ? undefined : decodeCursor(namePositionSchema, query.cursor);

  // One row more than the page tells whether another page follows, without a count.
  const rows = await listUsersByName(db, filter, after, query.limit + 1);
  return toPage(rows, query.limit, toUser, (row): UserNameKey => ({ name: row.name_key, id: row.id }));
}

/**
 * The users a list or a count covers: the caller's scope (admins and `users:read` service
 * accounts everyone, a manager their own department, anyone else nobody: refused), then the
 * filters. Shared so that a figure and the list it links to never disagree about whom they hold.
 */
export function directoryFilterOf(caller: Caller, query: UserFilterQuery): UserDirectoryFilter {
  const scope = directoryScopeOf(caller);
  if (scope.kind === 'nobody') {
    throw AppError.forbidden('USER.FORBIDDEN', 'Only admins, and managers for their own department, can list users.');
  }
  let departmentId = query.departmentId;
  if (scope.kind === 'department') {
    if (departmentId !== undefined && departmentId !== scope.departmentId) {
      throw AppError.forbidden('USER.FORBIDDEN_DEPARTMENT', 'Managers can list only the users of their own department.');
    }
    departmentId = scope.departmentId;
  }
  return { role: query.role, departmentId, isActive: query.isActive, search: query.q };
}

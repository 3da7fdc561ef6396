import type { Caller } from '@desk/auth';
import type { User } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { userNotFound } from './update-user.use-case.js';
import { directoryScopeOf, isWithinScope } from './user-visibility.js';
import { findUserById, toUser } from './users.repository.js';

/**
 * One account. Everybody may read their own; beyond that the directory scope applies, and an
 * account outside a manager's department is "not found" rather than "forbidden", so its
 * existence is not revealed.
 */
export async function getUser({ db }: Pick<IdentityDependencies, 'db'>, caller: Caller, id: string): Promise<User> {
  const isSelf = caller.kind === 'user' && caller.id === id;
  const scope = directoryScopeOf(caller);
  if (!isSelf && scope.kind === 'nobody') {
    throw AppError.forbidden('USER.FORBIDDEN', 'You can read only your own account.');
  }
  const row = await findUserById(db, id);
  if (!row) throw userNotFound(id);
  const user = toUser(row);
  if (!isSelf && !isWithinScope(scope, user)) throw userNotFound(id);
  return user;
}

import type { Caller } from '@desk/auth';
import { USER_COUNT_CAP, type UserCount, type UserFilterQuery } from '@desk/contracts';
import type { IdentityDependencies } from '../dependencies.js';
import { directoryFilterOf } from './list-users.use-case.js';
import { countUsersInDirectory } from './users.repository.js';

/**
 * GET /users/count: how many users `GET /users` with the same filters lists (the same callers
 * refused, the same scope for the rest), counted up to USER_COUNT_CAP. The cap keeps a dashboard
 * figure a read of at most that many rows at any directory size; past it the figure says "10,000+".
 */
export async function countUsers({ db }: Pick<IdentityDependencies, 'db'>, caller: Caller, query: UserFilterQuery): Promise<UserCount> {
  const count = await countUsersInDirectory(db, directoryFilterOf(caller, query), USER_COUNT_CAP + 1);
  return { count: Math.min(count, USER_COUNT_CAP), capped: count > USER_COUNT_CAP };
}

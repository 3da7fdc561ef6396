import type { internalUsersQuerySchema, Page, User } from '@desk/contracts';
import { decodeCursor, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { listUsersByUpdate, toUser, type UserUpdateKey } from '../users/users.repository.js';

const updatePositionSchema = z.object({ updatedAt: z.iso.datetime(), id: z.uuid() }) satisfies z.ZodType<UserUpdateKey>;

export type UserChangesQuery = z.output<typeof internalUsersQuerySchema>;

/**
 * Accounts in the order they last changed, for services rebuilding or catching up their user
 * replica: page to the end, then keep the last `updatedAt` seen as the next `updatedSince`.
 * `updatedSince` is inclusive, so a row sharing that instant is sent again rather than missed;
 * replicas keep the newer of two versions by `updatedAt`, so a repeat is harmless.
 */
export async function listUserChanges({ db }: Pick<IdentityDependencies, 'db'>, query: UserChangesQuery): Promise<Page<User>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(updatePositionSchema, query.cursor);
  const rows = await listUsersByUpdate(db, query.updatedSince, after, query.limit + 1);
  return toPage(rows, query.limit, toUser, (row): UserUpdateKey => ({ updatedAt: row.update_key, id: row.id }));
}

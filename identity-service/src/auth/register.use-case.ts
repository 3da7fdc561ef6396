import type { RegisterBody, User } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { hashPassword } from '../passwords.js';
import { publishUserRegistered } from '../users/user-events.js';
import { insertUser, toUser } from '../users/users.repository.js';

/** Anyone may sign up; they become a reporter without a department. */
export async function register(deps: IdentityDependencies, body: RegisterBody): Promise<User> {
  // Hashing takes tens of milliseconds: do it before holding a connection in a transaction.
  const passwordHash = await hashPassword(body.password);
  const row = await deps.db.transaction(async (trx) => {
    const inserted = await insertUser(trx, {
      email: body.email,
      fullName: body.fullName,
      passwordHash,
      role: 'reporter',
      departmentId: null,
    });
    if (!inserted) return undefined;
    await publishUserRegistered(deps.outbox, trx, inserted);
    return inserted;
  });
  if (!row) throw AppError.conflict('USER.EMAIL_TAKEN', 'An account with this email already exists. Sign in instead.');
  deps.logger.info({ userId: row.id }, 'reporter registered');
  return toUser(row);
}

import type { ChangePasswordBody } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { tellPasswordChanged } from '../auth/account-events.js';
import { revokeAllSessionsOfUser } from '../auth/refresh-tokens.repository.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { findUserById, findUserByIdForUpdate } from '../users/users.repository.js';
import { requireStrongPassword } from './password-policy.js';
import { setPasswordHash, usePasswordResetTokensOfUser } from './password-reset-tokens.repository.js';

/**
 * A signed-in person changes their own password, giving the current one. Every session of
 * theirs ends (the portal signs in again with the new password) and they are told by mail.
 */
export async function changePassword(deps: IdentityDependencies, userId: string, body: ChangePasswordBody): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw AppError.notFound('USER.NOT_FOUND', 'This account no longer exists.');
  if (!(await verifyPassword(user.password_hash, body.currentPassword))) {
    throw AppError.unprocessable('PASSWORD.CURRENT_INCORRECT', 'The current password is not correct.', {
      errors: [{ location: 'body', path: '/currentPassword', message: 'Does not match your current password' }],
    });
  }
  requireStrongPassword(body.newPassword, 'newPassword', [user.email, user.full_name]);
  const passwordHash = await hashPassword(body.newPassword);
  await deps.db.transaction(async (trx) => {
    const current = await findUserByIdForUpdate(trx, userId);
    // Changed meanwhile (another change won the race): the current password given is stale.
    if (!current || current.password_hash !== user.password_hash) throw AppError.unauthorized('AUTH.TOKEN_REVOKED', 'Your password was changed meanwhile: sign in again.');
    await setPasswordHash(trx, userId, passwordHash);
    await usePasswordResetTokensOfUser(trx, userId);
    await revokeAllSessionsOfUser(trx, userId, 'password changed');
    await tellPasswordChanged(deps.outbox, trx, { userId, email: current.email, fullName: current.full_name, how: 'changed', changedAt: new Date().toISOString() });
  });
  deps.logger.info({ userId }, 'password changed; sessions ended');
}

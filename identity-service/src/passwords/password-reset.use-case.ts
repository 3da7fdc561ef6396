import type { AuditContext } from '@desk/auth';
import { recordAudit } from '../audit/record-audit.js';
import type { ResetPasswordBody } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { requestPasswordResetMail, tellPasswordChanged } from '../auth/account-events.js';
import { takeAccountMail } from '../auth/account-mail-budget.js';
import { revokeAllSessionsOfUser } from '../auth/refresh-tokens.repository.js';
import { newSingleUseToken } from '../auth/single-use-tokens.js';
import { hashPassword } from '../passwords.js';
import { userNotFound } from '../users/update-user.use-case.js';
import { findUserByEmail, findUserByIdForUpdate } from '../users/users.repository.js';
import { requireStrongPassword } from './password-policy.js';
import { findPasswordResetTokenForUpdate, insertPasswordResetToken, setPasswordHash, usePasswordResetTokensOfUser } from './password-reset-tokens.repository.js';

/** How long a reset link lasts. */
export const PASSWORD_RESET_TTL_MS = 30 * 60_000;

function resetLinkInvalid(): AppError {
  return AppError.badRequest('PASSWORD.RESET_LINK_INVALID', 'This reset link is unknown, used or expired: ask for a new one with "Forgot password".');
}

/**
 * "Forgot password": an active account with this address is mailed a reset link; the caller
 * hears the same (202) either way, and an address gets at most a few such mails an hour.
 */
export async function forgotPassword(deps: IdentityDependencies, email: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const user = await findUserByEmail(trx, email);
    if (!user || !user.is_active) return;
    if (!(await takeAccountMail(trx, user.email, 'password-reset'))) {
      deps.logger.warn({ userId: user.id }, 'reset mail held back: the address had its hourly budget');
      return;
    }
    const token = newSingleUseToken();
    const expiresAt = new Date(Date.now() + PASSWORD_RESET_TTL_MS);
    await insertPasswordResetToken(trx, { userId: user.id, token, requestedBy: 'self', expiresAt });
    await requestPasswordResetMail(deps.outbox, trx, { userId: user.id, email: user.email, fullName: user.full_name, token, expiresAt: expiresAt.toISOString(), requestedBy: 'self' });
  });
}

/**
 * An admin sends a person a reset link. Their sessions end at once (the admin may suspect the
 * account is in the wrong hands); the old password keeps working for sign-in until the reset.
 */
export async function adminPasswordReset(deps: IdentityDependencies, context: AuditContext, userId: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const user = await findUserByIdForUpdate(trx, userId);
    if (!user) throw userNotFound(userId);
    if (!user.is_active) throw AppError.conflict('USER.INACTIVE', 'This account is deactivated: reactivate it before sending a password reset.');
    const token = newSingleUseToken();
    const expiresAt = new Date(Date.now() + PASSWORD_RESET_TTL_MS);
    await insertPasswordResetToken(trx, { userId, token, requestedBy: 'admin', expiresAt });
    await revokeAllSessionsOfUser(trx, userId, 'password reset by an admin');
    await requestPasswordResetMail(deps.outbox, trx, { userId, email: user.email, fullName: user.full_name, token, expiresAt: expiresAt.toISOString(), requestedBy: 'admin' });
    // Who sent it, from where, to whom; never the link.
    await recordAudit(trx, context, { action: 'user.password_reset', target: { type: 'user', id: userId }, before: null, after: { sessionsEnded: true, linkExpiresAt: expiresAt.toISOString() } });
  });
  deps.logger.info({ userId }, 'password reset sent by an admin; sessions ended');
}

/** The mailed link sets a new password, once: every session ends and the person is told by mail. */
export async function resetPassword(deps: IdentityDependencies, body: ResetPasswordBody): Promise<void> {
  // Checked before hashing: a bad link is answered without spending argon2's time.
  const target = await deps.db.transaction(async (trx) => {
    const row = await findPasswordResetTokenForUpdate(trx, body.token);
    if (!row || row.used_at || row.expires_at.getTime() <= Date.now()) throw resetLinkInvalid();
    const user = await findUserByIdForUpdate(trx, row.user_id);
    if (!user || !user.is_active) throw resetLinkInvalid();
    return user;
  });
  requireStrongPassword(body.newPassword, 'newPassword', [target.email, target.full_name]);
  const passwordHash = await hashPassword(body.newPassword);
  await deps.db.transaction(async (trx) => {
    // Again under the lock: a parallel reset with the same link may have used it meanwhile.
    const row = await findPasswordResetTokenForUpdate(trx, body.token);
    if (!row || row.used_at || row.expires_at.getTime() <= Date.now()) throw resetLinkInvalid();
    await setPasswordHash(trx, row.user_id, passwordHash);
    await usePasswordResetTokensOfUser(trx, row.user_id);
    await revokeAllSessionsOfUser(trx, row.user_id, 'password reset');
    await tellPasswordChanged(deps.outbox, trx, { userId: row.user_id, email: target.email, fullName: target.full_name, how: 'reset', changedAt: new Date().toISOString() });
  });
  deps.logger.info({ userId: target.id }, 'password reset; sessions ended');
}

import type { RegisterBody, RegistrationAccepted } from '@desk/contracts';
import { registrationPolicyOf } from '../config.js';
import type { IdentityDependencies } from '../dependencies.js';
import { tellOwnerOfRegistrationAttempt, requestVerificationMail } from '../auth/account-events.js';
import { takeAccountMail } from '../auth/account-mail-budget.js';
import { hashSingleUseToken, newSingleUseToken } from '../auth/single-use-tokens.js';
import { hashPassword } from '../passwords.js';
import { requireStrongPassword } from '../passwords/password-policy.js';
import { publishUserRegistered } from '../users/user-events.js';
import { findUserByEmail, insertUser } from '../users/users.repository.js';
import { registrationMessage, registrationPath } from './registration-policy.js';

/** How long a verification link lasts. */
export const VERIFICATION_TTL_MS = 24 * 3_600_000;

/**
 * Self-registration as a reporter, by the desk's REGISTRATION policy. The answer is the same
 * whether or not the address has an account (or may register): an existing account is left
 * untouched and its owner is told by mail; in `verified` and `domains` mode the account is made
 * only when the address follows the mailed link. Mail to one address is rate-limited.
 */
export async function register(deps: IdentityDependencies, body: RegisterBody): Promise<RegistrationAccepted> {
  const policy = registrationPolicyOf(deps.config);
  const accepted: RegistrationAccepted = { registration: policy.mode, message: registrationMessage(policy.mode) };
  const path = registrationPath(policy, body.email);
  if (path === 'refuse') {
    // Nobody is mailed: a closed desk, or an address outside the allowed domains.
    deps.logger.info({ mode: policy.mode }, 'self-registration refused by the registration policy');
    return accepted;
  }
  // The password is judged (and hashed) for every address, so neither the answer nor its
  // time tells whether the address has an account.
  requireStrongPassword(body.password, 'password', [body.email, body.fullName]);
  const passwordHash = await hashPassword(body.password);

  await deps.db.transaction(async (trx) => {
    const existing = await findUserByEmail(trx, body.email);
    if (existing) {
      if (existing.is_active && (await takeAccountMail(trx, body.email, 'registration-attempt'))) {
        await tellOwnerOfRegistrationAttempt(deps.outbox, trx, { userId: existing.id, email: existing.email, fullName: existing.full_name });
      }
      deps.logger.info({ userId: existing.id }, 'registration for an existing account: left untouched');
      return;
    }
    if (path === 'create-now') {
      const row = await insertUser(trx, { email: body.email, fullName: body.fullName, passwordHash, role: 'reporter', departmentId: null, locale: body.locale ?? null });
      if (row) {
        await publishUserRegistered(deps.outbox, trx, row);
        deps.logger.info({ userId: row.id }, 'reporter registered');
      }
      return;
    }
    if (!(await takeAccountMail(trx, body.email, 'verification'))) {
      deps.logger.warn('verification mail held back: the address had its hourly budget');
      return;
    }
    // Registering again replaces the waiting registration: the old link stops working.
    const token = newSingleUseToken();
    const expiresAt = new Date(Date.now() + VERIFICATION_TTL_MS);
    await trx('pending_registrations')
      .insert({ email: body.email, full_name: body.fullName, password_hash: passwordHash, token_hash: hashSingleUseToken(token), expires_at: expiresAt, locale: body.locale ?? null })
      .onConflict(trx.raw('(lower(email))'))
      .merge(['full_name', 'password_hash', 'token_hash', 'expires_at', 'created_at', 'locale']);
    // The address is no user yet: the mail is written in the language the form was in.
    await requestVerificationMail(deps.outbox, trx, {
      email: body.email,
      fullName: body.fullName,
      token,
      expiresAt: expiresAt.toISOString(),
      ...(body.locale ? { locale: body.locale } : {}),
    });
  });
  return accepted;
}

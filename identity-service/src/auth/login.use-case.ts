import type { TokenResponse } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { verifyAgainstDecoy, verifyPassword } from '../passwords.js';
import { findPendingRegistration } from '../registration/verify-email.use-case.js';
import { findUserByEmail } from '../users/users.repository.js';
import { secondStepOf } from '../mfa/mfa.use-cases.js';
import { issueTokens } from './issue-tokens.js';
import { accountFingerprint, tooManyAttempts } from './sign-in-refusals.js';

/** One answer for every failed sign-in: no way to tell an unknown email from a wrong password or a deactivated account. */
export function invalidCredentials(): AppError {
  return AppError.unauthorized('AUTH.INVALID_CREDENTIALS', 'The email or password is not correct.');
}

export async function login(
  deps: IdentityDependencies,
  { email, password, address }: { email: string; password: string; address: string },
): Promise<TokenResponse> {
  // The attempt is counted before the password is looked at, in the same step that decides
  // whether it may be made: parallel guesses cannot slip past the budget (login-throttle.ts).
  const reservation = await deps.throttle.reserveAttempt(email, address);
  if (!reservation.granted) throw tooManyAttempts(reservation.retryAfterSeconds);

  const user = await findUserByEmail(deps.db, email);
  // Every path verifies one argon2 hash, so all failures take about as long as a success.
  const pending = user ? undefined : await findPendingRegistration(deps, email);
  const passwordMatches = user
    ? await verifyPassword(user.password_hash, password)
    : pending?.password_hash
      ? await verifyPassword(pending.password_hash, password)
      : await verifyAgainstDecoy(password);
  // Only someone who knows the registration's password learns that it waits for verification.
  if (!user && pending && passwordMatches) {
    throw AppError.forbidden('AUTH.EMAIL_NOT_VERIFIED', 'Your address is not verified yet: open the link we mailed you. No mail? Register again with the same address for a new link.');
  }
  if (!user || !passwordMatches || !user.is_active) {
    // The failure keeps the unit its attempt reserved.
    // Warn: a run of these is what password guessing looks like. Never the email or the password.
    deps.logger.warn(
      {
        account: accountFingerprint(deps.config.SIGNING_KEY_SECRET, email),
        address,
        reason: !user ? 'unknown email' : !passwordMatches ? 'wrong password' : 'deactivated account',
      },
      'sign-in refused',
    );
    throw invalidCredentials();
  }
  // With a second factor the password alone is not a success: the attempt stays counted until a
  // code completes the sign-in (POST /auth/login/mfa), so a known password does not buy free guesses.
  const secondStep = await secondStepOf(deps, user, address);
  if (secondStep) throw secondStep;
  await deps.throttle.recordSuccess(email, address);
  const tokens = await issueTokens(deps, deps.db, user);
  deps.logger.info({ userId: user.id }, 'signed in');
  return tokens;
}

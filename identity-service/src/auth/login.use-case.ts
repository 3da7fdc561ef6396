import type { TokenResponse } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { verifyAgainstDecoy, verifyPassword } from '../passwords.js';
import { findPendingRegistration } from '../registration/verify-email.use-case.js';
import { findUserByEmail } from '../users/users.repository.js';
import { issueTokens } from './issue-tokens.js';

/** One answer for every failed sign-in: no way to tell an unknown email from a wrong password or a deactivated account. */
export function invalidCredentials(): AppError {
  return AppError.unauthorized('AUTH.INVALID_CREDENTIALS', 'The email or password is not correct.');
}

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  return AppError.tooManyRequests(
    'AUTH.TOO_MANY_ATTEMPTS',
    `Too many failed sign-ins. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds },
  );
}

export async function login(
  deps: IdentityDependencies,
  { email, password, address }: { email: string; password: string; address: string },
): Promise<TokenResponse> {
  const retryAfter = await deps.throttle.retryAfterSeconds(email, address);
  if (retryAfter > 0) throw tooManyAttempts(retryAfter);

  const user = await findUserByEmail(deps.db, email);
  // Every path verifies one argon2 hash, so all failures take about as long as a success.
  const pending = user ? undefined : await findPendingRegistration(deps, email);
  const passwordMatches = user
    ? await verifyPassword(user.password_hash, password)
    : pending
      ? await verifyPassword(pending.password_hash, password)
      : await verifyAgainstDecoy(password);
  // Only someone who knows the registration's password learns that it waits for verification.
  if (!user && pending && passwordMatches) {
    throw AppError.forbidden('AUTH.EMAIL_NOT_VERIFIED', 'Your address is not verified yet: open the link we mailed you. No mail? Register again with the same address for a new link.');
  }
  if (!user || !passwordMatches || !user.is_active) {
    await deps.throttle.recordFailure(email, address);
    deps.logger.info({ reason: !user ? 'unknown email' : !passwordMatches ? 'wrong password' : 'deactivated account' }, 'sign-in refused');
    throw invalidCredentials();
  }
  await deps.throttle.recordSuccess(email, address);
  const tokens = await issueTokens(deps, deps.db, user);
  deps.logger.info({ userId: user.id }, 'signed in');
  return tokens;
}

import { createHmac, hkdfSync } from 'node:crypto';
import { AppError } from '@desk/platform';

// What both steps of a sign-in (the password, then a second factor) answer and log when they refuse.

export function tooManyAttempts(retryAfterSeconds: number): AppError {
  return AppError.tooManyRequests(
    'AUTH.TOO_MANY_ATTEMPTS',
    `Too many failed sign-ins. Try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}.`,
    { retryAfterSeconds },
  );
}

/**
 * The account a failed sign-in named, as the logs may show it: an HMAC-SHA-256 of the lower-cased
 * email under a key derived from SIGNING_KEY_SECRET, truncated. The same address always gives the
 * same value, so repeated attempts on one account line up in the logs, but the logs never hold
 * the address itself, and without the secret a list of known addresses cannot be matched to them.
 */
export function accountFingerprint(secret: string, email: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'desk-identity', 'sign-in log account fingerprint', 32));
  return createHmac('sha256', key).update(email.trim().toLowerCase(), 'utf8').digest('hex').slice(0, 16);
}

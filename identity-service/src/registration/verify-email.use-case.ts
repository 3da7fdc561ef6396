import type { Locale } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { hashSingleUseToken } from '../auth/single-use-tokens.js';
import { publishUserRegistered } from '../users/user-events.js';
import { insertUser } from '../users/users.repository.js';
import { hashPassword } from '../passwords.js';
import { requireStrongPassword } from '../passwords/password-policy.js';

interface PendingRegistrationRow {
  id: string;
  email: string;
  full_name: string;
  /** Null for a sender of mail to the desk, who chooses their password with the link. */
  password_hash: string | null;
  expires_at: Date;
  /** The language the registration was made in; null: none given. */
  locale: Locale | null;
}

export function verificationLinkInvalid(): AppError {
  return AppError.badRequest(
    'AUTH.VERIFICATION_LINK_INVALID',
    'This verification link is unknown, used or expired. Register again for a new link, or sign in if you verified already.',
  );
}

/** The address followed its link: the waiting registration becomes a reporter's account, once. */
export async function verifyEmail(deps: IdentityDependencies, token: string, password?: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const pending = await trx('pending_registrations')
      .select('id', 'email', 'full_name', 'password_hash', 'expires_at', 'locale')
      .where('token_hash', hashSingleUseToken(token))
      .forUpdate()
      .first<PendingRegistrationRow | undefined>();
    if (!pending || pending.expires_at.getTime() <= Date.now()) throw verificationLinkInvalid();
    let passwordHash = pending.password_hash;
    if (passwordHash === null) {
      // Registered by writing to the desk: the password is chosen now.
      if (password === undefined) {
        throw AppError.badRequest('AUTH.PASSWORD_REQUIRED', 'Choose a password to finish registering: at least 12 characters.', {
          errors: [{ location: 'body', path: '/password', message: 'is required: this registration has no password yet' }],
        });
      }
      requireStrongPassword(password, 'password', [pending.email, pending.full_name]);
      passwordHash = await hashPassword(password);
    }
    await trx('pending_registrations').where({ id: pending.id }).delete();
    const row = await insertUser(trx, { email: pending.email, fullName: pending.full_name, passwordHash, role: 'reporter', departmentId: null, locale: pending.locale });
    // An admin made an account for the address meanwhile: that one stands.
    if (!row) throw verificationLinkInvalid();
    await publishUserRegistered(deps.outbox, trx, row);
    deps.logger.info({ userId: row.id }, 'reporter registered (address verified)');
  });
}

/** The waiting registration of an address, if any (sign-in explains that it waits for verification). */
export async function findPendingRegistration(deps: Pick<IdentityDependencies, 'db'>, email: string): Promise<{ password_hash: string | null; expires_at: Date } | undefined> {
  return deps.db('pending_registrations')
    .select('password_hash', 'expires_at')
    .whereRaw('lower(email) = lower(?)', [email])
    .first<{ password_hash: string | null; expires_at: Date } | undefined>();
}

/** Forgets registrations whose link expired a day ago or more. */
export async function pruneExpiredRegistrations(db: IdentityDependencies['db']): Promise<number> {
  return db('pending_registrations').where('expires_at', '<', db.raw("now() - interval '1 day'")).delete();
}

import { z } from 'zod';
import { emailSchema, fullNameSchema, localeSchema } from '@desk/contracts';
import type { IdentityDependencies } from '../dependencies.js';
import { requestVerificationMail } from '../auth/account-events.js';
import { takeAccountMail } from '../auth/account-mail-budget.js';
import { hashSingleUseToken, newSingleUseToken } from '../auth/single-use-tokens.js';
import { findUserByEmail } from '../users/users.repository.js';
import { VERIFICATION_TTL_MS } from './register.use-case.js';

/** `POST /internal/registrations`: incident-service asks for the sender of a mail to the desk. */
export const mailSenderRegistrationBodySchema = z.strictObject({ email: emailSchema, fullName: fullNameSchema, locale: localeSchema.optional() });
export type MailSenderRegistration = z.infer<typeof mailSenderRegistrationBodySchema>;

/**
 * Someone without an account wrote to the desk, and the desk takes such mail
 * (incident-service's INBOUND_UNKNOWN_SENDERS=register): the address becomes a reporter pending
 * verification. It is mailed the usual verification link; following it, they choose a password
 * (the registration has none yet) and the account is made, and with it their mail is filed.
 * An address with an account, or one already waiting with a password of its own, is left as it
 * is; mail to one address keeps its hourly budget. Answers whether a link was mailed.
 */
export async function registerMailSender(deps: IdentityDependencies, body: MailSenderRegistration): Promise<{ mailed: boolean }> {
  return deps.db.transaction(async (trx) => {
    if (await findUserByEmail(trx, body.email)) return { mailed: false };
    const waiting = await trx('pending_registrations')
      .select('password_hash', 'expires_at')
      .whereRaw('lower(email) = lower(?)', [body.email])
      .forUpdate()
      .first<{ password_hash: string | null; expires_at: Date } | undefined>();
    // They registered themselves meanwhile: their own link stands.
    if (waiting?.password_hash && waiting.expires_at.getTime() > Date.now()) return { mailed: false };
    if (!(await takeAccountMail(trx, body.email, 'verification'))) {
      deps.logger.warn('verification mail for a mail sender held back: the address had its hourly budget');
      return { mailed: false };
    }
    const token = newSingleUseToken();
    const expiresAt = new Date(Date.now() + VERIFICATION_TTL_MS);
    await trx('pending_registrations')
      .insert({ email: body.email, full_name: body.fullName, password_hash: null, token_hash: hashSingleUseToken(token), expires_at: expiresAt, locale: body.locale ?? null })
      .onConflict(trx.raw('(lower(email))'))
      .merge(['full_name', 'password_hash', 'token_hash', 'expires_at', 'created_at', 'locale']);
    await requestVerificationMail(deps.outbox, trx, { email: body.email, fullName: body.fullName, token, expiresAt: expiresAt.toISOString(), ...(body.locale ? { locale: body.locale } : {}) });
    deps.logger.info('a mail sender without an account was mailed a link to register');
    return { mailed: true };
  });
}

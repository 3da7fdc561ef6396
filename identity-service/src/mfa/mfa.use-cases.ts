import type { AuditContext } from '@desk/auth';
import type { EventData, MfaConfirmBody, MfaLoginBody, MfaSetup, MfaStatus, MfaTokenResponse } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/record-audit.js';
import { accountFingerprint, tooManyAttempts } from '../auth/sign-in-refusals.js';
import { issueTokens } from '../auth/issue-tokens.js';
import { revokeAllSessionsOfUser } from '../auth/refresh-tokens.repository.js';
import type { IdentityConfig } from '../config.js';
import type { IdentityDependencies } from '../dependencies.js';
import { SecretBox } from '../keys/secret-box.js';
import { verifyPassword } from '../passwords.js';
import { userNotFound } from '../users/update-user.use-case.js';
import { findUserById, findUserByIdForUpdate, type UserRow } from '../users/users.repository.js';
import { countChallengeFailure, createChallenge, findLiveChallengeForUpdate, useChallenge } from './mfa-challenges.js';
import { deleteUserMfa, enableMfa, findUserMfa, findUserMfaForUpdate, recordUsedStep, upsertPendingMfa, type UserMfaRow } from './mfa.repository.js';
import { countUnusedRecoveryCodes, deleteRecoveryCodes, replaceRecoveryCodes, useRecoveryCode } from './recovery-codes.js';
import { acceptedStep, newTotpSecret, otpauthUri, qrCodeDataUrl, totpIssuer } from './totp.js';

/** How long a new secret waits for its first code. */
export const MFA_SETUP_TTL_MS = 15 * 60_000;

type Deps = Pick<IdentityDependencies, 'config' | 'db' | 'outbox' | 'logger' | 'keys' | 'throttle'>;

/** Must this account have a second factor? Admins, while ADMIN_MFA=required. */
export function mfaRequiredFor(config: Pick<IdentityConfig, 'ADMIN_MFA'>, user: Pick<UserRow, 'role'>): boolean {
  return config.ADMIN_MFA === 'required' && user.role === 'admin';
}

function secretBox(config: Pick<IdentityConfig, 'SIGNING_KEY_SECRET'>): SecretBox {
  return new SecretBox(config.SIGNING_KEY_SECRET, 'desk totp seeds');
}

function openSecret(config: Pick<IdentityConfig, 'SIGNING_KEY_SECRET'>, row: UserMfaRow): string {
  try {
    return secretBox(config).open(row.secret_sealed);
  } catch (error) {
    throw new Error(
      'Cannot read a second-factor seed: SIGNING_KEY_SECRET is not the secret it was stored with. Restore the previous secret; ' +
        'or an admin resets the person\'s second factor (POST /users/{id}/mfa-reset).',
      { cause: error },
    );
  }
}

async function tellSecondFactorChanged(deps: Pick<Deps, 'outbox'>, trx: Knex.Transaction, user: UserRow, change: EventData<'account.second_factor_changed'>['change']): Promise<void> {
  const recoveryCodesLeft = change === 'disabled' || change === 'reset_by_admin' ? 0 : await countUnusedRecoveryCodes(trx, user.id);
  await deps.outbox.add(trx, 'account.second_factor_changed', {
    subject: user.id,
    data: { userId: user.id, email: user.email, fullName: user.full_name, change, recoveryCodesLeft, changedAt: new Date().toISOString() },
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-in: the step after a right password.

/**
 * What a sign-in whose password was right must do next: null when the password is enough, or the
 * 401 that hands out a challenge — to answer with a code (the account has a factor) or to enrol
 * one (an admin while ADMIN_MFA=required).
 */
export async function secondStepOf(deps: Deps, user: UserRow, address: string): Promise<AppError | null> {
  const mfa = await findUserMfa(deps.db, user.id);
  if (mfa?.enabled_at) {
    const challenge = await createChallenge(deps.db, user.id, 'verify', address);
    return AppError.unauthorized('AUTH.MFA_REQUIRED', 'Enter the 6-digit code from your authenticator app, or a recovery code.', {
      extensions: { challengeToken: challenge.token, expiresIn: challenge.expiresIn },
    });
  }
  if (mfaRequiredFor(deps.config, user)) {
    const challenge = await createChallenge(deps.db, user.id, 'enrol', address);
    return AppError.unauthorized('AUTH.MFA_ENROLMENT_REQUIRED', 'Admins here must sign in with a second factor: set one up to continue.', {
      extensions: { challengeToken: challenge.token, expiresIn: challenge.expiresIn },
    });
  }
  return null;
}

function challengeInvalid(): AppError {
  return AppError.unauthorized('AUTH.MFA_CHALLENGE_INVALID', 'This sign-in has expired or had too many wrong codes: sign in again with your email and password.');
}

function signInCodeInvalid(field: 'code' | 'recoveryCode'): AppError {
  return AppError.unauthorized('AUTH.MFA_CODE_INVALID', field === 'code' ? 'The code is not correct (or was used already): type the one the app shows now.' : 'This recovery code is unknown or used.', {
    errors: [{ location: 'body', path: `/${field}`, message: field === 'code' ? 'Does not match your authenticator app' : 'Unknown or already used' }],
  });
}

/** A setup in the middle of a sign-in that must enrol: the secret to add to an app. */
export async function startSignInEnrolment(deps: Deps, challengeToken: string): Promise<MfaSetup> {
  const user = await deps.db.transaction(async (trx) => {
    const challenge = await findLiveChallengeForUpdate(trx, challengeToken);
    if (!challenge) throw challengeInvalid();
    if (challenge.purpose !== 'enrol') throw AppError.conflict('MFA.ALREADY_ENABLED', 'This account has a second factor: answer the sign-in with its code.');
    const row = await findUserById(trx, challenge.user_id);
    if (!row || !row.is_active) throw challengeInvalid();
    return row;
  });
  return startSetup(deps, user);
}

/**
 * The second step of a sign-in: a code (or a recovery code) against the challenge. Each try is
 * also counted against the account's sign-in budget, so new challenges do not buy new guesses.
 * An enrolment challenge's code confirms the new factor, and the answer carries its recovery codes.
 */
export async function completeSignIn(deps: Deps, body: MfaLoginBody, address: string): Promise<MfaTokenResponse> {
  const peek = await deps.db.transaction(async (trx) => {
    const challenge = await findLiveChallengeForUpdate(trx, body.challengeToken);
    if (!challenge) throw challengeInvalid();
    return { challenge, user: await findUserById(trx, challenge.user_id) };
  });
  if (!peek.user || !peek.user.is_active) throw challengeInvalid();
  const reservation = await deps.throttle.reserveAttempt(peek.user.email, address);
  if (!reservation.granted) {
    throw tooManyAttempts(reservation.retryAfterSeconds);
  }

  const outcome = await deps.db.transaction(async (trx): Promise<{ error: AppError } | { tokens: MfaTokenResponse; recoveryCodeUsed: boolean }> => {
    const challenge = await findLiveChallengeForUpdate(trx, body.challengeToken);
    if (!challenge) return { error: challengeInvalid() };
    const user = await findUserByIdForUpdate(trx, challenge.user_id);
    if (!user || !user.is_active) return { error: challengeInvalid() };
    const mfa = await findUserMfaForUpdate(trx, user.id);
    const enrolling = challenge.purpose === 'enrol';
    if (!mfa || (enrolling ? mfa.enabled_at !== null || !mfa.setup_expires_at || mfa.setup_expires_at <= new Date() : mfa.enabled_at === null)) {
      // An enrolment without a live setup, or a factor reset meanwhile.
      if (enrolling) return { error: AppError.conflict('MFA.SETUP_EXPIRED', 'Start the setup again: POST /auth/login/mfa/setup with the same challenge.') };
      return { error: challengeInvalid() };
    }
    let recoveryCodeUsed = false;
    let step: number | null = null;
    if (body.code !== undefined) {
      step = acceptedStep(openSecret(deps.config, mfa), body.code, Number(mfa.last_used_step));
      if (step === null) {
        await countChallengeFailure(trx, challenge.id);
        return { error: signInCodeInvalid('code') };
      }
    } else if (enrolling || !(await useRecoveryCode(trx, user.id, body.recoveryCode!))) {
      await countChallengeFailure(trx, challenge.id);
      return { error: signInCodeInvalid('recoveryCode') };
    } else {
      recoveryCodeUsed = true;
    }
    await useChallenge(trx, challenge.id);
    let recoveryCodes: string[] | undefined;
    if (enrolling) {
      await enableMfa(trx, user.id, step!);
      recoveryCodes = await replaceRecoveryCodes(trx, user.id);
      await tellSecondFactorChanged(deps, trx, user, 'enabled');
    } else if (step !== null) {
      await recordUsedStep(trx, user.id, step);
    } else {
      await tellSecondFactorChanged(deps, trx, user, 'recovery_code_used');
    }
    const tokens = await issueTokens(deps, trx, user);
    return { tokens: recoveryCodes ? { ...tokens, recoveryCodes } : tokens, recoveryCodeUsed };
  });
  if ('error' in outcome) {
    // The failure keeps the unit its try reserved; a run of these is someone guessing codes.
    if (outcome.error.code === 'AUTH.MFA_CODE_INVALID') {
      deps.logger.warn({ account: accountFingerprint(deps.config.SIGNING_KEY_SECRET, peek.user.email), address, reason: 'wrong second-factor code' }, 'sign-in refused');
    }
    throw outcome.error;
  }
  await deps.throttle.recordSuccess(peek.user.email, address);
  deps.logger.info({ userId: peek.user.id, recoveryCodeUsed: outcome.recoveryCodeUsed }, 'signed in with a second factor');
  return outcome.tokens;
}

// ---------------------------------------------------------------------------------------------
// A signed-in person's own second factor.

async function activeUser(deps: Pick<Deps, 'db'>, userId: string): Promise<UserRow> {
  const user = await findUserById(deps.db, userId);
  if (!user || !user.is_active) throw AppError.notFound('USER.NOT_FOUND', 'This account no longer exists.');
  return user;
}

async function requireCurrentPassword(user: UserRow, password: string): Promise<void> {
  if (!(await verifyPassword(user.password_hash, password))) {
    throw AppError.unprocessable('PASSWORD.CURRENT_INCORRECT', 'The current password is not correct.', {
      errors: [{ location: 'body', path: '/currentPassword', message: 'Does not match your current password' }],
    });
  }
}

function codeIncorrect(field: 'code' | 'recoveryCode'): AppError {
  return AppError.unprocessable('MFA.CODE_INCORRECT', field === 'code' ? 'The code is not correct (or was used already): type the one the app shows now.' : 'This recovery code is unknown or used.', {
    errors: [{ location: 'body', path: `/${field}`, message: field === 'code' ? 'Does not match your authenticator app' : 'Unknown or already used' }],
  });
}

function notEnabled(): AppError {
  return AppError.conflict('MFA.NOT_ENABLED', 'Two-step sign-in is not set up for this account.');
}

export async function mfaStatusOf(deps: Pick<Deps, 'db' | 'config'>, user: UserRow): Promise<MfaStatus> {
  const mfa = await findUserMfa(deps.db, user.id);
  const enabled = Boolean(mfa?.enabled_at);
  return {
    enabled,
    enabledAt: mfa?.enabled_at?.toISOString() ?? null,
    recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(deps.db, user.id) : 0,
    required: mfaRequiredFor(deps.config, user),
  };
}

export async function ownMfaStatus(deps: Deps, userId: string): Promise<MfaStatus> {
  return mfaStatusOf(deps, await activeUser(deps, userId));
}

/** An admin reads whether someone has a second factor. */
export async function mfaStatusForAdmin(deps: Deps, userId: string): Promise<MfaStatus> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw userNotFound(userId);
  return mfaStatusOf(deps, user);
}

async function startSetup(deps: Deps, user: UserRow): Promise<MfaSetup> {
  const secret = newTotpSecret();
  const expiresAt = new Date(Date.now() + MFA_SETUP_TTL_MS);
  await deps.db.transaction(async (trx) => {
    const current = await findUserMfaForUpdate(trx, user.id);
    if (current?.enabled_at) throw AppError.conflict('MFA.ALREADY_ENABLED', 'Two-step sign-in is already on: turn it off first, or make new recovery codes.');
    await upsertPendingMfa(trx, user.id, secretBox(deps.config).seal(secret), expiresAt);
  });
  const uri = otpauthUri(secret, user.email, totpIssuer(deps.config.JWT_ISSUER));
  return { secret, otpauthUri: uri, qrCode: await qrCodeDataUrl(uri), expiresAt: expiresAt.toISOString() };
}

/** Step one of turning two-step sign-in on: the password, then a new secret for the app. */
export async function setupOwnMfa(deps: Deps, userId: string, currentPassword: string): Promise<MfaSetup> {
  const user = await activeUser(deps, userId);
  await requireCurrentPassword(user, currentPassword);
  return startSetup(deps, user);
}

/** Step two: a code from the app proves it holds the secret; the factor is on and the recovery codes are shown once. */
export async function enableOwnMfa(deps: Deps, userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = await deps.db.transaction(async (trx) => {
    const user = await findUserByIdForUpdate(trx, userId);
    if (!user || !user.is_active) throw AppError.notFound('USER.NOT_FOUND', 'This account no longer exists.');
    const mfa = await findUserMfaForUpdate(trx, userId);
    if (mfa?.enabled_at) throw AppError.conflict('MFA.ALREADY_ENABLED', 'Two-step sign-in is already on.');
    if (!mfa || !mfa.setup_expires_at || mfa.setup_expires_at <= new Date()) {
      throw AppError.conflict('MFA.SETUP_EXPIRED', 'The setup has expired (15 minutes) or was not started: start it again.');
    }
    const step = acceptedStep(openSecret(deps.config, mfa), code, Number(mfa.last_used_step));
    if (step === null) throw codeIncorrect('code');
    await enableMfa(trx, userId, step);
    const codes = await replaceRecoveryCodes(trx, userId);
    await tellSecondFactorChanged(deps, trx, user, 'enabled');
    return codes;
  });
  deps.logger.info({ userId }, 'two-step sign-in turned on');
  return { recoveryCodes };
}

/** The password and a current code (or a recovery code), checked under the factor's lock; returns the user. */
async function confirmOwnFactor(deps: Deps, trx: Knex.Transaction, userId: string, body: MfaConfirmBody): Promise<UserRow> {
  const user = await findUserByIdForUpdate(trx, userId);
  if (!user || !user.is_active) throw AppError.notFound('USER.NOT_FOUND', 'This account no longer exists.');
  const mfa = await findUserMfaForUpdate(trx, userId);
  if (!mfa?.enabled_at) throw notEnabled();
  await requireCurrentPassword(user, body.currentPassword);
  if (body.code !== undefined) {
    const step = acceptedStep(openSecret(deps.config, mfa), body.code, Number(mfa.last_used_step));
    if (step === null) throw codeIncorrect('code');
    await recordUsedStep(trx, userId, step);
  } else if (!(await useRecoveryCode(trx, userId, body.recoveryCode!))) {
    throw codeIncorrect('recoveryCode');
  }
  return user;
}

/** New recovery codes replace every old one. */
export async function replaceOwnRecoveryCodes(deps: Deps, userId: string, body: MfaConfirmBody): Promise<{ recoveryCodes: string[] }> {
  const recoveryCodes = await deps.db.transaction(async (trx) => {
    const user = await confirmOwnFactor(deps, trx, userId, body);
    const codes = await replaceRecoveryCodes(trx, userId);
    await tellSecondFactorChanged(deps, trx, user, 'recovery_codes_replaced');
    return codes;
  });
  deps.logger.info({ userId }, 'recovery codes replaced');
  return { recoveryCodes };
}

/** Turning two-step sign-in off: refused for an admin while ADMIN_MFA=required. */
export async function disableOwnMfa(deps: Deps, userId: string, body: MfaConfirmBody): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const user = await confirmOwnFactor(deps, trx, userId, body);
    if (mfaRequiredFor(deps.config, user)) throw AppError.conflict('MFA.REQUIRED', 'Admins must keep two-step sign-in here (ADMIN_MFA=required).');
    await deleteUserMfa(trx, userId);
    await deleteRecoveryCodes(trx, userId);
    await tellSecondFactorChanged(deps, trx, user, 'disabled');
  });
  deps.logger.info({ userId }, 'two-step sign-in turned off');
}

// ---------------------------------------------------------------------------------------------
// Admins.

/**
 * An admin removes someone's second factor (a lost phone): the factor and its recovery codes go,
 * every session of the person ends, they are told by mail, and the trail records who did it.
 * Their next sign-in needs only the password — or enrols a new factor, if they must have one.
 */
export async function adminResetMfa(deps: Deps, context: AuditContext, userId: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const user = await findUserByIdForUpdate(trx, userId);
    if (!user) throw userNotFound(userId);
    const mfa = await findUserMfaForUpdate(trx, userId);
    if (!mfa?.enabled_at) throw notEnabled();
    const recoveryCodesLeft = await countUnusedRecoveryCodes(trx, userId);
    await deleteUserMfa(trx, userId);
    await deleteRecoveryCodes(trx, userId);
    await revokeAllSessionsOfUser(trx, userId, 'second factor reset by an admin');
    await tellSecondFactorChanged(deps, trx, user, 'reset_by_admin');
    await recordAudit(trx, context, {
      action: 'user.mfa_reset',
      target: { type: 'user', id: userId },
      before: { mfaEnabled: true, mfaEnabledAt: mfa.enabled_at.toISOString(), unusedCodes: recoveryCodesLeft },
      after: { mfaEnabled: false, sessionsEnded: true },
    });
  });
  deps.logger.info({ userId }, 'second factor reset by an admin; sessions ended');
}

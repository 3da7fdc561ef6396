import type { ProblemCode, TokenResponse } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { IdentityDependencies } from '../dependencies.js';
import { findUserMfa } from '../mfa/mfa.repository.js';
import { mfaRequiredFor } from '../mfa/mfa.use-cases.js';
import { findUserById } from '../users/users.repository.js';
import { issueTokens } from './issue-tokens.js';
import { findRefreshTokenForUpdate, markRefreshTokenUsed, revokeRefreshTokenFamily } from './refresh-tokens.repository.js';

function refused(code: ProblemCode, detail: string): AppError {
  return AppError.unauthorized(code, `${detail} Sign in again.`);
}

/**
 * Refresh-token rotation (OAuth 2.0 Security BCP, RFC 9700 §4.14.2): each refresh token works
 * once and yields a new one. A token presented a second time means two parties hold it — the
 * user and a thief — so the whole family (that sign-in) is revoked and both must sign in again.
 */
export async function refresh(deps: IdentityDependencies, refreshToken: string): Promise<TokenResponse> {
  const outcome = await deps.db.transaction(async (trx): Promise<{ error: AppError } | { tokens: TokenResponse }> => {
    const token = await findRefreshTokenForUpdate(trx, refreshToken);
    if (!token) return { error: refused('AUTH.INVALID_REFRESH_TOKEN', 'The refresh token is not valid.') };
    if (token.revoked_at) return { error: refused('AUTH.INVALID_REFRESH_TOKEN', 'The refresh token has been revoked.') };
    if (token.used_at) {
      const revoked = await revokeRefreshTokenFamily(trx, token.family_id, 'refresh token reused');
      deps.logger.warn({ userId: token.user_id, familyId: token.family_id, revoked }, 'refresh token reused: revoked its sign-in');
      return { error: refused('AUTH.REFRESH_TOKEN_REUSED', 'The refresh token was already used, so this sign-in has been ended for safety.') };
    }
    if (token.expires_at <= new Date()) return { error: refused('AUTH.INVALID_REFRESH_TOKEN', 'The sign-in has expired.') };
    const user = await findUserById(trx, token.user_id);
    if (!user || !user.is_active) {
      await revokeRefreshTokenFamily(trx, token.family_id, 'account deactivated');
      return { error: refused('AUTH.INVALID_REFRESH_TOKEN', 'The account is deactivated.') };
    }
    if (mfaRequiredFor(deps.config, user) && !(await findUserMfa(trx, user.id))?.enabled_at) {
      // ADMIN_MFA=required came after this sign-in: it ends, and the next one enrols a factor.
      await revokeRefreshTokenFamily(trx, token.family_id, 'second factor required');
      return { error: refused('AUTH.INVALID_REFRESH_TOKEN', 'Admins here must sign in with a second factor.') };
    }
    await markRefreshTokenUsed(trx, token.id);
    return { tokens: await issueTokens(deps, trx, user, { id: token.family_id, expiresAt: token.expires_at }) };
  });
  // Thrown after the commit: the reuse revocation must stick although the request fails.
  if ('error' in outcome) throw outcome.error;
  return outcome.tokens;
}

/** Ends the sign-in the refresh token belongs to. Unknown tokens are accepted silently (RFC 7009 §2.2). */
export async function logout(deps: IdentityDependencies, refreshToken: string): Promise<void> {
  await deps.db.transaction(async (trx) => {
    const token = await findRefreshTokenForUpdate(trx, refreshToken);
    if (token) await revokeRefreshTokenFamily(trx, token.family_id, 'signed out');
  });
}

import { auditContextOf, callerOf } from '@desk/auth';
import {
  changePasswordBodySchema,
  forgotPasswordBodySchema,
  loginBodySchema,
  logoutBodySchema,
  mfaConfirmBodySchema,
  mfaEnableBodySchema,
  mfaLoginBodySchema,
  mfaLoginSetupBodySchema,
  mfaSetupBodySchema,
  refreshBodySchema,
  registerBodySchema,
  resetPasswordBodySchema,
  updateProfileBodySchema,
  verifyEmailBodySchema,
} from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router, type RequestHandler } from 'express';
import type { IdentityDependencies } from '../dependencies.js';
import { findServiceAccountById, toServiceAccount } from '../service-accounts/service-accounts.repository.js';
import { applyUserUpdate } from '../users/update-user.use-case.js';
import { findUserById, toUser } from '../users/users.repository.js';
import { login } from './login.use-case.js';
import {
  completeSignIn,
  disableOwnMfa,
  enableOwnMfa,
  ownMfaStatus,
  replaceOwnRecoveryCodes,
  setupOwnMfa,
  startSignInEnrolment,
} from '../mfa/mfa.use-cases.js';
import { oauthTokenHandler } from './oauth-token.routes.js';
import { revokeRefreshTokenFamily } from './refresh-tokens.repository.js';
import { logout, refresh } from './refresh.use-case.js';
import { changePassword } from '../passwords/change-password.use-case.js';
import { forgotPassword, resetPassword } from '../passwords/password-reset.use-case.js';
import { register } from '../registration/register.use-case.js';
import { verifyEmail } from '../registration/verify-email.use-case.js';

/** Token responses must never be cached (RFC 6749 §5.1). */
function noStore(): RequestHandler {
  return (_request, response, next) => {
    response.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    next();
  };
}

export function clientAddress(ip: string | undefined): string {
  return ip ?? 'unknown';
}

export function authRouter(deps: IdentityDependencies, signedIn: RequestHandler): Router {
  const router = Router();

  router.post('/register', async (request, response) => {
    const body = parseInput(registerBodySchema, request.body, 'body');
    response.status(202).json(await register(deps, body));
  });

  router.post('/verify', async (request, response) => {
    const { token, password } = parseInput(verifyEmailBodySchema, request.body, 'body');
    await verifyEmail(deps, token, password);
    response.status(204).end();
  });

  /** The signed-in person (not a service account): passwords and second factors are people's. */
  const personOf = (request: Parameters<RequestHandler>[0]): string => {
    const caller = callerOf(request);
    if (caller.kind !== 'user') throw AppError.forbidden('AUTH.FORBIDDEN', 'Service accounts have no password or second factor; rotate the client secret instead.');
    return caller.id;
  };

  router.post('/password', signedIn, async (request, response) => {
    const caller = { id: personOf(request) };
    const body = parseInput(changePasswordBodySchema, request.body, 'body');
    await changePassword(deps, caller.id, body);
    response.status(204).end();
  });

  router.post('/password/forgot', async (request, response) => {
    const { email } = parseInput(forgotPasswordBodySchema, request.body, 'body');
    await forgotPassword(deps, email);
    response.status(202).json({ message: 'If an active account has this address, we mailed it a link to choose a new password. The link lasts 30 minutes.' });
  });

  router.post('/password/reset', async (request, response) => {
    const body = parseInput(resetPasswordBodySchema, request.body, 'body');
    await resetPassword(deps, body);
    response.status(204).end();
  });

  router.post('/login', noStore(), async (request, response) => {
    const { email, password } = parseInput(loginBodySchema, request.body, 'body');
    response.json(await login(deps, { email, password, address: clientAddress(request.ip) }));
  });

  // The second step of a sign-in (after 401 AUTH.MFA_REQUIRED or AUTH.MFA_ENROLMENT_REQUIRED).
  router.post('/login/mfa', noStore(), async (request, response) => {
    const body = parseInput(mfaLoginBodySchema, request.body, 'body');
    response.json(await completeSignIn(deps, body, clientAddress(request.ip)));
  });

  router.post('/login/mfa/setup', noStore(), async (request, response) => {
    const { challengeToken } = parseInput(mfaLoginSetupBodySchema, request.body, 'body');
    response.json(await startSignInEnrolment(deps, challengeToken));
  });

  // The signed-in person's own second factor.
  router.get('/mfa', signedIn, async (request, response) => {
    response.json(await ownMfaStatus(deps, personOf(request)));
  });

  router.post('/mfa/setup', signedIn, noStore(), async (request, response) => {
    const userId = personOf(request);
    const { currentPassword } = parseInput(mfaSetupBodySchema, request.body, 'body');
    response.json(await setupOwnMfa(deps, userId, currentPassword));
  });

  router.post('/mfa/enable', signedIn, noStore(), async (request, response) => {
    const userId = personOf(request);
    const { code } = parseInput(mfaEnableBodySchema, request.body, 'body');
    response.json(await enableOwnMfa(deps, userId, code));
  });

  router.post('/mfa/recovery-codes', signedIn, noStore(), async (request, response) => {
    const userId = personOf(request);
    const body = parseInput(mfaConfirmBodySchema, request.body, 'body');
    response.json(await replaceOwnRecoveryCodes(deps, userId, body));
  });

  router.post('/mfa/disable', signedIn, async (request, response) => {
    const userId = personOf(request);
    const body = parseInput(mfaConfirmBodySchema, request.body, 'body');
    await disableOwnMfa(deps, userId, body);
    response.status(204).end();
  });

  router.post('/refresh', noStore(), async (request, response) => {
    const { refreshToken } = parseInput(refreshBodySchema, request.body, 'body');
    response.json(await refresh(deps, refreshToken));
  });

  // With a refresh token, its sign-in ends; with only an access token (Authorization), the
  // sign-in that token belongs to. Either way every access token of that sign-in is refused by the
  // gateway and the services within seconds (the deny list, /internal/revocations).
  const signedInIfToken: RequestHandler = (request, response, next) => (request.get('authorization') ? signedIn(request, response, next) : next());
  router.post('/logout', signedInIfToken, async (request, response) => {
    const { refreshToken } = parseInput(logoutBodySchema, request.body ?? {}, 'body');
    const sessionId = request.caller?.sessionId ?? null;
    if (!refreshToken && sessionId === null) {
      throw AppError.badRequest('VALIDATION.FAILED', 'Say which sign-in to end: send { "refreshToken" } or a user access token (Authorization: Bearer).', {
        errors: [{ location: 'body', path: '/refreshToken', message: 'is required without a user access token' }],
      });
    }
    if (refreshToken) await logout(deps, refreshToken);
    if (sessionId !== null) await revokeRefreshTokenFamily(deps.db, sessionId, 'signed out');
    response.status(204).end();
  });

  router.post('/token', noStore(), oauthTokenHandler(deps));

  router.get('/me', signedIn, async (request, response) => {
    const caller = callerOf(request);
    if (caller.kind === 'service') {
      const account = await findServiceAccountById(deps.db, caller.id);
      if (!account) throw AppError.notFound('SERVICE_ACCOUNT.NOT_FOUND', 'This service account no longer exists.');
      response.json({ kind: 'service', ...toServiceAccount(account) });
      return;
    }
    const user = await findUserById(deps.db, caller.id);
    if (!user) throw AppError.notFound('USER.NOT_FOUND', 'This account no longer exists.');
    response.json({ kind: 'user', ...toUser(user) });
  });

  // A person renames themself; the change reaches every service as any change of the account does.
  router.patch('/me', signedIn, async (request, response) => {
    const caller = callerOf(request);
    if (caller.kind !== 'user') throw AppError.forbidden('AUTH.FORBIDDEN', 'Service accounts have no profile of their own; an admin manages them under Integrations.');
    const id = caller.id;
    const body = parseInput(updateProfileBodySchema, request.body, 'body');
    response.json(await applyUserUpdate(deps, auditContextOf(request), id, body));
  });

  return router;
}

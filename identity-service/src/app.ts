import {
  accountChangeReason,
  authenticate,
  createAccessTokenVerifier,
  requireInternalToken,
  requireRole,
  type CallerCheck,
} from '@desk/auth';

import { eventBusHealthCheck, parkedEventsRouter } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck } from '@desk/platform';

import { SERVICE_SCOPES } from '@desk/contracts';
import type { Express } from 'express';

import type { Knex } from 'knex';

import { auditRouter } from './audit/audit.routes.js';
import { authRouter } from './auth/auth.routes.js';
import { grantTypesSupported } from './auth/oauth-token.routes.js';

import { SERVICE_NAME } from './config.js';
import { departmentsRouter } from './departments/departments.routes.js';

import { internalRouter } from './internal/internal.routes.js';

import { identityApi } from './openapi.js';

import { serviceAccountsRouter } from './service-accounts/service-accounts.routes.js';

import { findUserById } from './users/users.repository.js';

import { usersRouter } from './users/users.routes.js';

import { findServiceAccountById } from './service-accounts/service-accounts.repository.js';

import type { IdentityDependencies } from './dependencies.js';


export type { IdentityDependencies } from './dependencies.js';

/**
 * identity-service is the authority on accounts, so beyond checking the signature it checks
 * every token against the account as it is now: a user deactivated, or whose role or
 * department changed, since the token was issued is refused at once, not at expiry.
 */
function accountStillMatches(db: Knex): CallerCheck {
  return async (caller) => {
    if (caller.kind === 'service') {
      const account = await findServiceAccountById(db, caller.id);
      return !account || account.revoked_at ? 'the service account has been revoked' : undefined;
    }
    if (caller.sessionId !== null && (await db('revocations').where({ kind: 'session', id: caller.sessionId }).first('id'))) {
      return 'this sign-in has ended (signed out or revoked); sign in again';
    }
    const user = await findUserById(db, caller.id);
    if (!user) return 'the account is deactivated';
    return accountChangeReason(caller, { isActive: user.is_active, role: user.role, departmentId: user.department_id });
  };
}

/** The HTTP API of identity-service. Never listens: `main.ts`, the launcher or a test does. */
export function buildIdentityApp(deps: IdentityDependencies): Express {
  const { config, db, logger } = deps;
  const verify = createAccessTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    keys: deps.keys.verificationKeys(),
  });
  const signedIn = authenticate({ verify, check: accountStillMatches(db) });

  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      logger,
      bodyLimit: config.BODY_LIMIT,
      trustProxy: config.TRUST_PROXY,
      healthChecks: [databaseHealthCheck(db), eventBusHealthCheck(deps.bus)],
      api: identityApi,
    },
    (app) => {
      app.get('/.well-known/jwks.json', async (_request, response) => {
        // Verifiers cache it; a short max-age bounds how long a new key can go unseen.
        response.set('Cache-Control', 'public, max-age=300').json(await deps.keys.jwks());
      });
      app.get('/.well-known/oauth-authorization-server', (_request, response) => {
        const issuer = config.JWT_ISSUER;
        response.set('Cache-Control', 'public, max-age=300').json({
          issuer,
          token_endpoint: `${issuer}/auth/token`,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          grant_types_supported: grantTypesSupported(deps),
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: [...SERVICE_SCOPES],
          response_types_supported: [],
          service_documentation: `${issuer}/docs`,
        });
      });
      app.use('/auth', authRouter(deps, signedIn));
      app.use('/users', signedIn, usersRouter(deps));
      app.use('/departments', signedIn, departmentsRouter(deps));
      app.use('/service-accounts', signedIn, requireRole('admin'), serviceAccountsRouter(deps));
      app.use('/admin/audit', signedIn, requireRole('admin'), auditRouter(deps));
      app.use('/internal/events/parked', requireInternalToken(config.INTERNAL_API_TOKEN), parkedEventsRouter(deps.parking, deps.bus));
      app.use('/internal', requireInternalToken(config.INTERNAL_API_TOKEN), internalRouter(deps));
    },
  );
}

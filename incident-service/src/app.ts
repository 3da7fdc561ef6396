import { authenticate, replicaAccountCheck, createAccessTokenVerifier, requireInternalToken, type CallerCheck } from '@desk/auth';

import { eventBusHealthCheck } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck } from '@desk/platform';

import type { Express } from 'express';

import type { JWTVerifyGetKey } from 'jose';

import type { Knex } from 'knex';

import type { Logger } from 'pino';

import { categoriesRouter } from './catalog/categories.routes.js';

import { commentsRouter } from './comments/comments.routes.js';

import { SERVICE_NAME } from './config.js';
import { incidentsRouter } from './incidents/incidents.routes.js';

import { internalRouter } from './internal/internal.routes.js';

import { incidentApi } from './openapi.js';

import { findReplicaUser, replicaUsersChangedSince } from './replicas/replicas.repository.js';

import { slaPoliciesRouter } from './sla/sla-policies.routes.js';

import { timelineRouter } from './timeline/timeline.routes.js';

import type { IncidentDependencies } from './dependencies.js';


export type { IncidentDependencies } from './dependencies.js';

/**
 * Tokens outlive changes to accounts by up to their lifetime; the user replica, fed by
 * identity's events, closes that gap: a deactivated user, or one whose role or department
 * changed since the token was issued, is refused within moments of the change.
 */
export function accountStillMatches(db: Knex, logger: Logger): CallerCheck {
  return replicaAccountCheck({
    find: async (id) => {
      const user = await findReplicaUser(db, id);
      return user && { isActive: user.is_active, role: user.role, departmentId: user.department_id };
    },
    // Accounts stay cached until the replica changes them: most requests cost no lookup.
    changedSince: (since) => replicaUsersChangedSince(db, since),
    onPollError: (error) => logger.warn({ err: error }, 'could not read changes of the user replica; account lookups are cached for 2 s until it works again'),
  });
}

export function buildIncidentApp(deps: IncidentDependencies, verificationKeys: { jwksUrl: string } | JWTVerifyGetKey): Express {
  const { config, db, logger } = deps;
  const verify = createAccessTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: verificationKeys });
  const signedIn = authenticate({ verify, check: accountStillMatches(db, logger) });
  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      logger,
      bodyLimit: config.BODY_LIMIT,
      trustProxy: config.TRUST_PROXY,
      healthChecks: [databaseHealthCheck(db), eventBusHealthCheck(deps.bus)],
      api: incidentApi,
    },
    (app) => {
      // Other services rebuilding their incident replicas; never routed by the gateway.
      app.use('/internal', requireInternalToken(config.INTERNAL_API_TOKEN), internalRouter(deps));
      app.use('/categories', signedIn, categoriesRouter(deps));
      app.use('/sla-policies', signedIn, slaPoliciesRouter(deps));
      app.use('/incidents', signedIn, incidentsRouter(deps), commentsRouter(deps), timelineRouter(deps));
    },
  );
}

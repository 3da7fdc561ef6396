import { accountChangeReason, authenticate, createAccessTokenVerifier, type CallerCheck } from '@desk/auth';
import { eventBusHealthCheck, type EventBus, type Outbox } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck } from '@desk/platform';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { categoriesRouter } from './catalog/categories.routes.js';
import { commentsRouter } from './comments/comments.routes.js';
import { SERVICE_NAME, type IncidentConfig } from './config.js';
import { incidentsRouter } from './incidents/incidents.routes.js';
import { incidentApi } from './openapi.js';
import { findReplicaUser } from './replicas/replicas.repository.js';
import { slaPoliciesRouter } from './sla/sla-policies.routes.js';
import { timelineRouter } from './timeline/timeline.routes.js';

export interface IncidentDependencies {
  config: IncidentConfig;
  db: Knex;
  bus: EventBus;
  outbox: Outbox;
  logger: Logger;
}

/**
 * Tokens outlive changes to accounts by up to their lifetime; the user replica, fed by
 * identity's events, closes that gap: a deactivated user, or one whose role or department
 * changed since the token was issued, is refused within moments of the change.
 */
export function accountStillMatches(db: Knex): CallerCheck {
  // A user's replica row, remembered for two seconds: a busy client's requests share one
  // lookup, and a change still takes effect within seconds.
  const recent = new Map<string, { user: Awaited<ReturnType<typeof findReplicaUser>>; until: number }>();
  const lookup = async (id: string) => {
    const now = Date.now();
    const hit = recent.get(id);
    if (hit && hit.until > now) return hit.user;
    const user = await findReplicaUser(db, id);
    recent.set(id, { user, until: now + 2_000 });
    if (recent.size > 10_000) recent.delete(recent.keys().next().value!);
    return user;
  };
  return async (caller) => {
    if (caller.kind === 'service') return undefined;
    const user = await lookup(caller.id);
    if (!user) return undefined; // not replicated yet: the signature is all there is to go on
    return accountChangeReason(caller, { isActive: user.is_active, role: user.role, departmentId: user.department_id });
  };
}

export function buildIncidentApp(deps: IncidentDependencies, verificationKeys: { jwksUrl: string } | JWTVerifyGetKey): Express {
  const { config, db, logger } = deps;
  const verify = createAccessTokenVerifier({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: verificationKeys });
  const signedIn = authenticate({ verify, check: accountStillMatches(db) });
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
      app.use('/categories', signedIn, categoriesRouter(deps));
      app.use('/sla-policies', signedIn, slaPoliciesRouter(deps));
      app.use('/incidents', signedIn, incidentsRouter(deps), commentsRouter(deps), timelineRouter(deps));
    },
  );
}

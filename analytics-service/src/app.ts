import { requireInternalToken } from '@desk/auth';
import { eventBusHealthCheck, parkedEventsRouter } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck, type HealthCheck } from '@desk/platform';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { analyticsRouter } from './analytics.routes.js';
import { SERVICE_NAME } from './config.js';
import type { FactStore } from './facts/fact-store.js';
import { analyticsApi } from './openapi.js';
import type { AnalyticsDependencies } from './dependencies.js';


export type { AnalyticsDependencies } from './dependencies.js';

/** The in-memory model must have loaded before the figures mean anything. */
function modelCheck(store: FactStore): HealthCheck {
  return {
    name: 'model',
    check: () => {
      if (!store.loaded) return Promise.reject(new Error('the analytics model is still loading'));
      return Promise.resolve({ facts: store.facts.length });
    },
  };
}

export function buildAnalyticsApp(deps: AnalyticsDependencies, verificationKeys: { jwksUrl: string } | JWTVerifyGetKey): Express {
  const { config, db, logger } = deps;
  // Tokens of accounts deactivated or moved since they were issued are refused (@desk/replica).
  const signedIn = deps.replica.signedIn({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: verificationKeys });
  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      logger,
      trustProxy: config.TRUST_PROXY,
      healthChecks: [databaseHealthCheck(db), eventBusHealthCheck(deps.bus), modelCheck(deps.store)],
      api: analyticsApi,
    },
    (app) => {
      // The gateway's admin API of parked events; never routed from outside.
      app.use('/internal/events/parked', requireInternalToken(config.INTERNAL_API_TOKEN), parkedEventsRouter(deps.parking, deps.bus));
      app.use('/analytics', signedIn, analyticsRouter(deps));
    },
  );
}

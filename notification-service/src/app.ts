import { requireInternalToken } from '@desk/auth';
import { eventBusHealthCheck, parkedEventsRouter } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck, liveStreamHealthCheck } from '@desk/platform';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { SERVICE_NAME } from './config.js';
import { deliveriesRouter } from './deliveries/deliveries.routes.js';
import { notificationsRouter } from './inbox/notifications.routes.js';
import { notificationApi } from './openapi.js';
import { preferencesRouter } from './preferences/preferences.routes.js';
import type { NotificationDependencies } from './dependencies.js';
import { webhooksRouter } from './webhooks/webhooks.routes.js';


export type { NotificationDependencies } from './dependencies.js';

export function buildNotificationApp(deps: NotificationDependencies, verificationKeys: { jwksUrl: string } | JWTVerifyGetKey): Express {
  const { config, db, logger } = deps;
  // Tokens of accounts deactivated or moved since they were issued are refused (@desk/replica).
  const signedIn = deps.replica.signedIn({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: verificationKeys }, deps.accountCheck);
  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      logger,
      trustProxy: config.TRUST_PROXY,
      healthChecks: [databaseHealthCheck(db), eventBusHealthCheck(deps.bus), liveStreamHealthCheck('notificationStream', deps.streams, 'new notifications')],
      api: notificationApi,
    },
    (app) => {
      // The gateway's admin API of parked events; never routed from outside.
      app.use('/internal/events/parked', requireInternalToken(config.INTERNAL_API_TOKEN), parkedEventsRouter(deps.parking, deps.bus));
      app.use('/notifications/preferences', signedIn, preferencesRouter(deps));
      app.use('/notifications/deliveries', signedIn, deliveriesRouter(deps));
      app.use('/notifications', signedIn, notificationsRouter(deps));
      app.use('/webhooks', signedIn, webhooksRouter(deps));
    },
  );
}

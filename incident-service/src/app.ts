import { requireInternalToken } from '@desk/auth';
import { eventBusHealthCheck, parkedEventsRouter } from '@desk/messaging';
import { createHttpApp, databaseHealthCheck, liveStreamHealthCheck } from '@desk/platform';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import { attachmentsRouter, incidentAttachmentsRouter } from './attachments/attachments.routes.js';
import { categoriesRouter } from './catalog/categories.routes.js';
import { linksRouter } from './collaboration/links.js';
import { majorNoticesRouter, majorRouter } from './collaboration/major.js';
import { satisfactionLinkRouter, satisfactionRouter } from './satisfaction/satisfaction.routes.js';
import { inboundMailsRouter } from './mail-in/inbound-mails.routes.js';
import { mentionsRouter } from './collaboration/mentions.js';
import { watchersRouter } from './collaboration/watchers.js';
import { commentsRouter } from './comments/comments.routes.js';
import { SERVICE_NAME } from './config.js';
import { incidentsRouter } from './incidents/incidents.routes.js';
import { internalRouter } from './internal/internal.routes.js';
import { incidentApi } from './openapi.js';
import { attachmentStoreHealthCheck, clamdHealthCheck } from './attachments/health.js';
import { slaPoliciesRouter } from './sla/sla-policies.routes.js';
import { calendarsRouter } from './calendars/calendars.routes.js';
import { priorityMatrixRouter } from './priority/priority-matrix.js';
import { availabilityRouter } from './routing/availability.routes.js';
import { escalationRulesRouter } from './escalations/escalation-rules.routes.js';
import { timelineRouter } from './timeline/timeline.routes.js';
import { savedViewsRouter } from './views/saved-views.routes.js';
import type { IncidentDependencies } from './dependencies.js';

export type { IncidentDependencies } from './dependencies.js';

/** POST /incidents/{id}/attachments */
const UPLOAD_PATH = /^\/incidents\/[^/]+\/attachments\/?$/;

export function buildIncidentApp(deps: IncidentDependencies, verificationKeys: { jwksUrl: string } | JWTVerifyGetKey): Express {
  const { config, db, logger } = deps;
  // Tokens of accounts deactivated or moved since they were issued are refused (@desk/replica).
  const signedIn = deps.replica.signedIn({ issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, keys: verificationKeys });
  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      logger,
      bodyLimit: config.BODY_LIMIT,
      // Uploads stream to the attachment store as they arrive.
      streamedBodies: (request) => request.method === 'POST' && UPLOAD_PATH.test(request.path),
      trustProxy: config.TRUST_PROXY,
      healthChecks: [
        databaseHealthCheck(db),
        eventBusHealthCheck(deps.bus),
        liveStreamHealthCheck('incidentStream', deps.streams, 'incident changes'),
        attachmentStoreHealthCheck(deps.store),
        ...(deps.clamd ? [clamdHealthCheck(deps.clamd)] : []),
      ],
      api: incidentApi,
    },
    (app) => {
      // Other services rebuilding their incident replicas; never routed by the gateway.
      app.use('/internal/events/parked', requireInternalToken(config.INTERNAL_API_TOKEN), parkedEventsRouter(deps.parking, deps.bus));
      app.use('/internal', requireInternalToken(config.INTERNAL_API_TOKEN), internalRouter(deps));
      app.use('/categories', signedIn, categoriesRouter(deps));
      app.use('/sla-policies', signedIn, slaPoliciesRouter(deps));
      app.use('/calendars', signedIn, calendarsRouter(deps));
      app.use('/priority-matrix', signedIn, priorityMatrixRouter(deps));
      app.use('/availability', signedIn, availabilityRouter(deps));
      app.use('/escalation-rules', signedIn, escalationRulesRouter(deps));
      // Before /incidents, whose /:id would take `views` for an incident's key (and answer 404).
      app.use('/incidents/views', signedIn, savedViewsRouter(deps));
      app.use(
        '/incidents',
        signedIn,
        incidentsRouter(deps),
        commentsRouter(deps),
        timelineRouter(deps),
        incidentAttachmentsRouter(deps),
        watchersRouter(deps),
        mentionsRouter(deps),
        linksRouter(deps),
        majorRouter(deps),
        satisfactionRouter(deps),
      );
      // The one-click rating links of resolution mails: the token is the credential.
      app.use('/satisfaction', satisfactionLinkRouter(deps));
      app.use('/major-incidents', signedIn, majorNoticesRouter(deps));
      app.use('/attachments', signedIn, attachmentsRouter(deps));
      app.use('/inbound-mails', signedIn, inboundMailsRouter(deps));
    },
  );
}

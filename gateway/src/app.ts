import { authenticate, createAccessTokenVerifier } from '@desk/auth';
import { createHttpApp, parseByteSize } from '@desk/platform';

import cors from 'cors';
import type { Express, RequestHandler } from 'express';

import swaggerUi from 'swagger-ui-express';
import { eventsAdmin } from './admin-events.js';
import { bodyLimit } from './body-limit.js';
import { browserTraces } from './browser-traces.js';

import { SERVICE_NAME, type GatewayConfig } from './config.js';

import { upstreamHealthChecks } from './health.js';

import { ApiReference } from './openapi.js';

import { createProxy } from './proxy.js';

import { EVENT_STREAM_PATHS } from './event-streams.js';
import { credentialLimit, perAddressLimit, perCallerLimit, streamOpenLimit, traceUploadLimit } from './rate-limits.js';

import { CREDENTIAL_PATHS, isPublic, isUpload, type UpstreamName } from './routes.js';

import type { GatewayDependencies } from './dependencies.js';


export type { GatewayDependencies } from './dependencies.js';

export function upstreamsOf(config: GatewayConfig): Partial<Record<UpstreamName, string>> {
  return { identity: config.IDENTITY_URL, incident: config.INCIDENT_URL, notification: config.NOTIFICATION_URL, analytics: config.ANALYTICS_URL };
}

/**
 * The gateway: the only public entry. In order: request id and logs, security headers, CORS,
 * body size limit, the per-address rate limit, the credential rate limit, token verification (except on public routes),
 * the per-caller rate limit, then the proxy to the owning service. /health (states only), /openapi.json, /docs
 * the admin API of parked events (/admin/events/parked, from every consuming service) and the
 * portal's span uploads (/telemetry/traces) are its own.
 */
export function buildGatewayApp({ config, logger, accountCheck, verificationKeys, metrics, streams }: GatewayDependencies): Express {
  const upstreams = upstreamsOf(config);
  const verify = createAccessTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    keys: verificationKeys ?? { jwksUrl: new URL('/.well-known/jwks.json', config.IDENTITY_URL).toString() },
  });
  const signedIn = authenticate({ verify, check: accountCheck });
  const unlessPublic: RequestHandler = (request, response, next) => (isPublic(request.method, request.path) ? next() : signedIn(request, response, next));
  const reference = new ApiReference(upstreams, logger);
  const admin = eventsAdmin({ upstreams, internalToken: config.INTERNAL_API_TOKEN, timeoutMs: config.UPSTREAM_TIMEOUT, logger });

  return createHttpApp(
    {
      serviceName: SERVICE_NAME,
      logger,
      trustProxy: config.TRUST_PROXY,
      parseBodies: false,
      healthChecks: upstreamHealthChecks(upstreams),
      strictHealth: true,
      // The public port: /metrics and the detailed health are on INTERNAL_PORT (service.ts).
      internals: 'elsewhere',
      ...(metrics ? { metrics } : {}),
    },
    (app) => {
      app.get('/openapi.json', async (_request, response) => {
        response.json(await reference.document());
      });
      app.use('/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: '/openapi.json' }, customSiteTitle: 'Incident platform API' }));

      app.use(
        cors({
          origin: config.CORS_ORIGINS,
          credentials: true,
          // Request headers are those the preflight asks for (the package's default), which
          // covers the portal's W3C trace context (traceparent, tracestate); a test holds to it.
          exposedHeaders: ['ETag', 'Location', 'Retry-After', 'RateLimit', 'RateLimit-Policy', 'X-Request-Id', 'Idempotent-Replayed'],
          maxAge: 600,
        }),
      );
      const bodies = bodyLimit(parseByteSize(config.BODY_LIMIT));
      const uploads = bodyLimit(parseByteSize(config.UPLOAD_BODY_LIMIT));
      app.use((request, response, next) => (isUpload(request.method, request.path) ? uploads : bodies)(request, response, next));
      // Before identity: requests whose tokens will fail verification are counted too.
      app.use(perAddressLimit(config.ADDRESS_RATE_LIMIT_PER_MINUTE));
      app.use(admin.guard);
      const credentials = credentialLimit(config.AUTH_RATE_LIMIT_PER_MINUTE);
      app.use(CREDENTIAL_PATHS, credentials);
      app.use(unlessPublic);
      app.use(perCallerLimit(config.RATE_LIMIT_PER_MINUTE));
      app.use([...EVENT_STREAM_PATHS], streamOpenLimit(config.STREAM_OPENS_PER_MINUTE));
      // The gateway's own API: the parked events of every consuming service.
      app.use(admin.routes);
      // The portal's own spans, so traces start at the click (docs/ARCHITECTURE.md, "Tracing").
      app.use(browserTraces(traceUploadLimit(config.TRACE_UPLOADS_PER_MINUTE)));
      app.use(createProxy({ upstreams, timeoutMs: config.UPSTREAM_TIMEOUT, logger, streams }));
    },
  );
}

import { allChecks, RevocationFeed } from '@desk/auth';
import { createHttpMetrics, createInternalApp } from '@desk/platform';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { AccountChanges } from './account-changes.js';
import { buildGatewayApp, upstreamsOf } from './app.js';
import { SERVICE_NAME, type GatewayConfig } from './config.js';
import { EventStreamSupervisor } from './event-streams.js';
import { upstreamHealthChecks } from './health.js';

export interface Gateway {
  /** The public port. */
  app: Express;
  /** INTERNAL_PORT: /metrics and the detailed /health, for the cluster only. */
  internalApp: Express;
  accountChanges: AccountChanges;
  revocations: RevocationFeed;
  streams: EventStreamSupervisor;
  start(): void;
  stop(): Promise<void>;
}

export function createGateway({ config, logger, verificationKeys }: { config: GatewayConfig; logger: Logger; verificationKeys?: JWTVerifyGetKey }): Gateway {
  const accountChanges = new AccountChanges({
    identityUrl: config.IDENTITY_URL,
    internalToken: config.INTERNAL_API_TOKEN,
    logger,
    pollIntervalMs: config.ACCOUNT_CHANGES_POLL_INTERVAL,
    windowMs: config.ACCESS_TOKEN_TTL,
  });
  const revocations = new RevocationFeed({
    identityUrl: config.IDENTITY_URL,
    internalToken: config.INTERNAL_API_TOKEN,
    logger,
    pollIntervalMs: config.REVOCATIONS_POLL_INTERVAL,
  });
  // Revoked sign-ins and service accounts, then accounts changed since the token was issued.
  const accountCheck = allChecks(revocations.check, accountChanges.check);
  const metrics = createHttpMetrics(SERVICE_NAME);
  const streams = new EventStreamSupervisor({ check: accountCheck, checkIntervalMs: config.STREAM_CHECK_INTERVAL, maxPerCaller: config.STREAMS_PER_CALLER, logger });
  const app = buildGatewayApp({ config, logger, accountCheck, metrics, streams, ...(verificationKeys ? { verificationKeys } : {}) });
  const internalApp = createInternalApp({ serviceName: SERVICE_NAME, logger, healthChecks: upstreamHealthChecks(upstreamsOf(config)), strictHealth: true, metrics });
  return {
    app,
    internalApp,
    accountChanges,
    revocations,
    streams,
    start: () => {
      accountChanges.start();
      revocations.start();
      streams.start();
    },
    stop: async () => {
      streams.stop();
      await Promise.all([accountChanges.stop(), revocations.stop()]);
    },
  };
}

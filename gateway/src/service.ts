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
  const metrics = createHttpMetrics(SERVICE_NAME);
  const streams = new EventStreamSupervisor({ check: accountChanges.check, checkIntervalMs: config.STREAM_CHECK_INTERVAL, maxPerCaller: config.STREAMS_PER_CALLER, logger });
  const app = buildGatewayApp({ config, logger, accountCheck: accountChanges.check, metrics, streams, ...(verificationKeys ? { verificationKeys } : {}) });
  const internalApp = createInternalApp({ serviceName: SERVICE_NAME, logger, healthChecks: upstreamHealthChecks(upstreamsOf(config)), strictHealth: true, metrics });
  return {
    app,
    internalApp,
    accountChanges,
    streams,
    start: () => {
      accountChanges.start();
      streams.start();
    },
    stop: () => {
      streams.stop();
      return accountChanges.stop();
    },
  };
}

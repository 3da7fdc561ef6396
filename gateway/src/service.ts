import { allChecks, RevocationFeed } from '@desk/auth';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { AccountChanges } from './account-changes.js';
import { buildGatewayApp } from './app.js';
import type { GatewayConfig } from './config.js';

export interface Gateway {
  app: Express;
  accountChanges: AccountChanges;
  revocations: RevocationFeed;
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
  const accountCheck = allChecks(revocations.check, accountChanges.check);
  const app = buildGatewayApp({ config, logger, accountCheck, ...(verificationKeys ? { verificationKeys } : {}) });
  return {
    app,
    accountChanges,
    revocations,
    start: () => {
      accountChanges.start();
      revocations.start();
    },
    stop: async () => {
      await Promise.all([accountChanges.stop(), revocations.stop()]);
    },
  };
}

import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import { AccountChanges } from './account-changes.js';
import { buildGatewayApp } from './app.js';
import type { GatewayConfig } from './config.js';

export interface Gateway {
  app: Express;
  accountChanges: AccountChanges;
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
  const app = buildGatewayApp({ config, logger, accountCheck: accountChanges.check, ...(verificationKeys ? { verificationKeys } : {}) });
  return {
    app,
    accountChanges,
    start: () => accountChanges.start(),
    stop: () => accountChanges.stop(),
  };
}

import { createWriteStream, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createGateway, gatewayConfigSchema } from '@desk/gateway';
import { closeServer, createLogger, listen, loadConfig } from '@desk/platform';
import { createLocalJWKSet, type JWK } from 'jose';

export interface GatewayStartOptions {
  incidentUrl: string;
  /** The bench's public key: the tokens it signs are the ones the gateway must accept. */
  publicJwk: JWK;
  logFile: string;
}

export interface RunningGateway {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * The gateway as main.ts builds it, in front of the bench's incident-service. identity-service is
 * not running: keys are the bench's own, IDENTITY_URL points at a port nobody listens on, and the
 * account-changes poll runs once an hour (its first poll fails, logged as a warning). The per-caller
 * rate limit is set to its maximum so the benchmark measures the proxy, not the limiter's 429s.
 */
export async function startGateway(options: GatewayStartOptions): Promise<RunningGateway> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const destination = createWriteStream(options.logFile, { flags: 'a' });
  const logger = createLogger({ service: 'gateway', level: 'warn', destination });
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    INCIDENT_URL: options.incidentUrl,
    IDENTITY_URL: 'http://127.0.0.1:9',
    // the schema's maximum (1,000,000); more is refused at start-up
    RATE_LIMIT_PER_MINUTE: '1000000',
    ADDRESS_RATE_LIMIT_PER_MINUTE: '1000000',
    ACCOUNT_CHANGES_POLL_INTERVAL: '1h',
  });
  const gateway = createGateway({ config, logger, verificationKeys: createLocalJWKSet({ keys: [options.publicJwk] }) });
  gateway.start();
  const server = await listen(gateway.app, { port: 0, host: '127.0.0.1', logger });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      await closeServer(server, { deadlineMs: 5_000, logger });
      await gateway.stop();
      await new Promise<void>((resolve) => destination.end(resolve));
    },
  };
}

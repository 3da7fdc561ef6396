import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signAccessToken, type SigningKey } from '@desk/auth';
import { createLogger, listen, loadConfig } from '@desk/platform';
import { LogCapture } from '@desk/testing';
import { createLocalJWKSet, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { gatewayConfigSchema, type GatewayConfig } from '../config.js';
import { createGateway, type Gateway } from '../service.js';
import { FakeUpstream } from './fake-upstream.js';

export interface GatewayHarness {
  gateway: Gateway;
  config: GatewayConfig;
  url: string;
  /** INTERNAL_PORT: /metrics and the detailed /health. */
  internalUrl: string;
  identity: FakeUpstream;
  incident: FakeUpstream;
  notification: FakeUpstream;
  key: SigningKey & { publicKey: CryptoKey; jwk: JWK };
  logs: LogCapture;
  tokenFor(subject: { id?: string; role?: 'reporter' | 'staff' | 'manager' | 'admin'; departmentId?: string | null; ttlSeconds?: number }): Promise<string>;
  close(): Promise<void>;
}

/** The gateway on a real port in front of two fake upstreams, verifying tokens with a test key. */
export async function startGateway(env: Record<string, string> = {}): Promise<GatewayHarness> {
  const identity = await new FakeUpstream().start();
  const incident = await new FakeUpstream().start();
  const notification = await new FakeUpstream().start();
  const config = loadConfig(gatewayConfigSchema, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'info',
    PORT: '0',
    IDENTITY_URL: identity.url,
    INCIDENT_URL: incident.url,
    NOTIFICATION_URL: notification.url,
    // Nothing listens on port 9 (discard): the analytics routes meet a refused connection.
    ANALYTICS_URL: 'http://127.0.0.1:9',
    UPSTREAM_TIMEOUT: '400',
    ACCOUNT_CHANGES_POLL_INTERVAL: '1h',
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL, destination: logs });
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'gateway-test', alg: 'EdDSA' };
  const gateway = createGateway({ config, logger, verificationKeys: createLocalJWKSet({ keys: [jwk] }) });
  const server: Server = await listen(gateway.app, { port: 0, host: '127.0.0.1', logger });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const internalServer: Server = await listen(gateway.internalApp, { port: 0, host: '127.0.0.1', logger });
  const internalUrl = `http://127.0.0.1:${(internalServer.address() as AddressInfo).port}`;
  const key = { kid: 'gateway-test', privateKey, publicKey, jwk };
  return {
    gateway,
    config,
    url,
    internalUrl,
    identity,
    incident,
    notification,
    key,
    logs,
    async tokenFor({ id = crypto.randomUUID(), role = 'reporter', departmentId = null, ttlSeconds = 300 }) {
      return (await signAccessToken({ id, role, departmentId }, key, { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds })).token;
    },
    async close() {
      await gateway.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => internalServer.close(() => resolve()));
      await identity.stop();
      await incident.stop();
      await notification.stop();
    },
  };
}

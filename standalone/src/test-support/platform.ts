import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyticsConfigSchema, createAnalyticsService, type AnalyticsService } from '@desk/analytics-service';
import { createGateway, gatewayConfigSchema, type Gateway } from '@desk/gateway';
import { createIdentityService, identityConfigSchema, type IdentityService } from '@desk/identity-service';
import { createIncidentService, incidentConfigSchema, type IncidentService } from '@desk/incident-service';
import { RabbitMqEventBus, type DeliveryPolicy } from '@desk/messaging';
import { createNotificationService, notificationConfigSchema, type NotificationService } from '@desk/notification-service';
import { createLogger, listen, loadConfig } from '@desk/platform';
import { LogCapture, SmtpSink, createTestDatabase, freePort, testAmqpUrl, uniqueBrokerNamespace, type TestDatabase } from '@desk/testing';

export const ADMIN = { email: 'admin@example.com', password: 'admin-password' };

export interface RunningPlatform {
  gatewayUrl: string;
  identityUrl: string;
  incidentUrl: string;
  notificationUrl: string;
  analyticsUrl: string;
  /** The Postgres every service's schema is in, and the token of their /internal listings: for more replicas. */
  databaseUrl: string;
  internalToken: string;
  /** Signs the one-click rating links (incident- and notification-service share it). */
  satisfactionLinkSecret: string;
  identity: IdentityService;
  incidents: IncidentService;
  notifications: NotificationService;
  analytics: AnalyticsService;
  /** The SMTP server notification-service sends to. */
  smtp: SmtpSink;
  gateway: Gateway;
  buses: RabbitMqEventBus[];
  namespace: string;
  /** Every service's log lines (at TEST_LOG_LEVEL, warn by default). */
  logs: LogCapture;
  close(): Promise<void>;
}

/**
 * Every service as production runs it — its own RabbitMQ connection, its own schema in a real
 * Postgres, real HTTP between them — with the gateway in front. The broker names carry a
 * namespace of this test's own, deleted afterwards.
 */
export interface PlatformOptions {
  gateway?: Record<string, string>;
  /** identity-service's configuration beyond the defaults (ADMIN_MFA, say). */
  identity?: Record<string, string>;
  /** incident-service's configuration beyond the defaults (SLA_CHECK_INTERVAL, say). */
  incident?: Record<string, string>;
  /** notification-service's configuration beyond the defaults (WEBHOOK_ALLOWED_NETWORKS, say). */
  notification?: Record<string, string>;
  /** Retries of every consumer (the default takes hours to park). */
  delivery?: DeliveryPolicy;
  /** Where the services reach RabbitMQ: a TcpProxy's URL, for tests that cut or freeze the link. */
  amqpUrl?: string;
}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  const database: TestDatabase = await createTestDatabase('journeys');
  const namespace = uniqueBrokerNamespace('journeys');
  const logs = new LogCapture();
  const logger = (service: string) => createLogger({ service, level: (process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'warn', destination: logs });
  const busFor = async (name: string) => {
    const bus = await RabbitMqEventBus.connect({ url: options.amqpUrl ?? testAmqpUrl(), logger: logger(name), connectionName: `journeys ${name}`, namespace, ...(options.delivery ? { policy: options.delivery } : {}) });
    await bus.waitUntilConnected();
    return bus;
  };
  const internalToken = randomBytes(24).toString('hex');
  const satisfactionLinkSecret = randomBytes(32).toString('base64url');
  const servers: Server[] = [];
  // The gateway's port is chosen first: its URL is the issuer every token names (RFC 8414 discovery).
  const gatewayPort = await freePort();
  const issuer = `http://127.0.0.1:${gatewayPort}`;
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const identityBus = await busFor('identity-service');
  const identity = await createIdentityService({
    config: loadConfig(identityConfigSchema, {
      DATABASE_URL: database.url,
      SIGNING_KEY_SECRET: randomBytes(32).toString('base64url'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      INTERNAL_API_TOKEN: internalToken,
      JWT_ISSUER: issuer,
      ...options.identity,
    }),
    logger: logger('identity-service'),
    bus: identityBus,
  });
  const identityServer = await listen(identity.app, { port: 0, host: '127.0.0.1', logger: logger('identity-service') });
  servers.push(identityServer);

  const incidentBus = await busFor('incident-service');
  const incidents = await createIncidentService({
    config: loadConfig(incidentConfigSchema, {
      DATABASE_URL: database.url,
      IDENTITY_URL: urlOf(identityServer),
      INTERNAL_API_TOKEN: internalToken,
      SATISFACTION_LINK_SECRET: satisfactionLinkSecret,
      JWT_ISSUER: issuer,
      ...options.incident,
    }),
    logger: logger('incident-service'),
    bus: incidentBus,
  });
  const incidentServer = await listen(incidents.app, { port: 0, host: '127.0.0.1', logger: logger('incident-service') });
  servers.push(incidentServer);

  const smtp = await new SmtpSink().start();
  const notificationBus = await busFor('notification-service');
  const notifications = await createNotificationService({
    config: loadConfig(notificationConfigSchema, {
      DATABASE_URL: database.url,
      IDENTITY_URL: urlOf(identityServer),
      INCIDENT_URL: urlOf(incidentServer),
      INTERNAL_API_TOKEN: internalToken,
      SMTP_URL: smtp.url,
      SATISFACTION_LINK_SECRET: satisfactionLinkSecret,
      PUBLIC_APP_URL: 'https://desk.example.com',
      JWT_ISSUER: issuer,
      ...options.notification,
    }),
    logger: logger('notification-service'),
    bus: notificationBus,
  });
  const notificationServer = await listen(notifications.app, { port: 0, host: '127.0.0.1', logger: logger('notification-service') });
  servers.push(notificationServer);

  const analyticsBus = await busFor('analytics-service');
  const analytics = await createAnalyticsService({
    config: loadConfig(analyticsConfigSchema, {
      DATABASE_URL: database.url,
      IDENTITY_URL: urlOf(identityServer),
      INCIDENT_URL: urlOf(incidentServer),
      INTERNAL_API_TOKEN: internalToken,
      JWT_ISSUER: issuer,
    }),
    logger: logger('analytics-service'),
    bus: analyticsBus,
  });
  const analyticsServer = await listen(analytics.app, { port: 0, host: '127.0.0.1', logger: logger('analytics-service') });
  servers.push(analyticsServer);

  const gateway = createGateway({
    config: loadConfig(gatewayConfigSchema, {
      IDENTITY_URL: urlOf(identityServer),
      INCIDENT_URL: urlOf(incidentServer),
      NOTIFICATION_URL: urlOf(notificationServer),
      ANALYTICS_URL: urlOf(analyticsServer),
      INTERNAL_API_TOKEN: internalToken,
      ACCOUNT_CHANGES_POLL_INTERVAL: '500ms',
      // Every client of a test shares the loopback address: the per-address budget (tested in
      // gateway.test.ts) would count all of them as one office.
      ADDRESS_RATE_LIMIT_PER_MINUTE: '100000',
      JWT_ISSUER: issuer,
      ...options.gateway,
    }),
    logger: logger('gateway'),
  });
  const gatewayServer = await listen(gateway.app, { port: gatewayPort, host: '127.0.0.1', logger: logger('gateway') });
  servers.push(gatewayServer);
  identity.start();
  await incidents.start();
  await notifications.start();
  await analytics.start();
  gateway.start();

  return {
    gatewayUrl: urlOf(gatewayServer),
    identityUrl: urlOf(identityServer),
    incidentUrl: urlOf(incidentServer),
    notificationUrl: urlOf(notificationServer),
    analyticsUrl: urlOf(analyticsServer),
    databaseUrl: database.url,
    internalToken,
    satisfactionLinkSecret,
    identity,
    incidents,
    notifications,
    analytics,
    smtp,
    gateway,
    buses: [identityBus, incidentBus, notificationBus, analyticsBus],
    namespace,
    logs,
    async close() {
      await notifications.streams.stop();
      for (const server of servers.reverse()) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
      await gateway.stop();
      await analytics.stop();
      await notifications.stop();
      await incidents.stop();
      await identity.stop();
      // Each bus deletes the queues it consumed from, and the namespace's exchanges.
      for (const bus of [identityBus, incidentBus, notificationBus, analyticsBus]) await bus.deleteTopology().catch(() => undefined);
      for (const bus of [identityBus, incidentBus, notificationBus, analyticsBus]) await bus.close();
      await smtp.stop();
      await database.drop();
    },
  };
}

/** A small HTTP client for the gateway, as a user of the API would write one. */
export class ApiClient {
  token = '';

  constructor(private readonly baseUrl: string) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
  }

  async signIn(email: string, password: string): Promise<{ id: string }> {
    const { status, body } = await this.call<{ accessToken: string; user: { id: string } }>('POST', '/auth/login', { email, password });
    if (status !== 200) throw new Error(`sign-in of ${email} answered ${status}`);
    this.token = body.accessToken;
    return body.user;
  }
}

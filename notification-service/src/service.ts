import { createEventBus, eventMetrics, ParkingLot, pruneInbox, type EventBus } from '@desk/messaging';
import { closeDatabase, connectDatabase, createHttpMetrics } from '@desk/platform';
import { ReplicaKeeper } from '@desk/replica';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Knex } from 'knex';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import { buildNotificationApp, type NotificationDependencies } from './app.js';
import { SERVICE_NAME, type NotificationConfig } from './config.js';
import { NotificationStreams } from './inbox/notification-stream.js';
import { DeliveryWorker } from './mail/delivery-worker.js';
import { mailMetrics } from './mail/mail-metrics.js';
import { notificationMigrations } from './migrations.js';
import { CONSUMER_NAME, notificationHandlers } from './recipients/notification-handlers.js';
import { syncIncidents, type IncidentSyncOptions } from './incident-replica/incident-sync.js';
import { replica } from './replica.js';
import { AddressGuard } from './webhooks/address-guard.js';
import { WebhookSubscriptions } from './webhooks/fan-out.js';
import { pruneWebhookDeliveries, WebhookWorker } from './webhooks/webhook-worker.js';

export interface NotificationService {
  app: Express;
  db: Knex;
  bus: EventBus;
  deliveries: DeliveryWorker;
  /** Sends webhook deliveries. */
  webhooks: WebhookWorker;
  streams: NotificationStreams;
  deps: NotificationDependencies;
  /** The user and department replica: catch-ups from identity-service, the account check. */
  replica: ReplicaKeeper<object>;
  /** Starts background work: sending mail, the live stream's listener, replica catch-up. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface NotificationServiceOptions {
  config: NotificationConfig;
  logger: Logger;
  bus?: EventBus;
  /** Where token keys come from; identity's JWKS (IDENTITY_URL) by default. Tests pass their own. */
  verificationKeys?: JWTVerifyGetKey;
  /** Catch up with identity- and incident-service's listings at start and periodically (default true). */
  syncReplicas?: boolean;
}

/**
 * Events handled at once (the consumer's prefetch): each holds a pooled connection for its
 * inbox transaction, so the pool has room for them plus the mail senders' claims and marks.
 */
const EVENT_CONCURRENCY = 16;
const POOL_SIZE = EVENT_CONCURRENCY + 8;

export async function createNotificationService(options: NotificationServiceOptions): Promise<NotificationService> {
  const { config, logger } = options;
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'notification', migrations: notificationMigrations, logger, pool: { max: POOL_SIZE } });
  let transport: Transporter | undefined;
  try {
    const bus = options.bus ?? (await createEventBus({ amqpUrl: config.AMQP_URL, namespace: config.AMQP_NAMESPACE, logger, connectionName: SERVICE_NAME }));
    transport = createTransport({ url: config.SMTP_URL, pool: true, maxConnections: config.MAIL_CONCURRENCY, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 });
    const deliveries = new DeliveryWorker({
      db,
      logger,
      transport,
      from: config.MAIL_FROM,
      replyTo: config.MAIL_REPLY_TO,
      maxAttempts: config.MAIL_MAX_ATTEMPTS,
      retryDelayMs: config.MAIL_RETRY_DELAY,
      retryMaxDelayMs: config.MAIL_RETRY_MAX_DELAY,
      concurrency: config.MAIL_CONCURRENCY,
      pollIntervalMs: config.MAIL_POLL_INTERVAL,
    });
    const guard = new AddressGuard(config.WEBHOOK_ALLOWED_NETWORKS);
    const subscriptions = new WebhookSubscriptions(db);
    const webhooks = new WebhookWorker({
      db,
      logger,
      guard,
      timeoutMs: config.WEBHOOK_TIMEOUT,
      concurrency: config.WEBHOOK_CONCURRENCY,
      perEndpoint: config.WEBHOOK_CONCURRENCY_PER_ENDPOINT,
      retryDelayMs: config.WEBHOOK_RETRY_DELAY,
      retryMaxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY,
      disableAfterMs: config.WEBHOOK_DISABLE_AFTER,
      disableFailures: config.WEBHOOK_DISABLE_FAILURES,
      pollIntervalMs: config.WEBHOOK_POLL_INTERVAL,
      publicAppUrl: config.PUBLIC_APP_URL,
      mailFrom: config.MAIL_FROM,
      onMailRecorded: () => deliveries.poke(),
    });
    const syncOptions: IncidentSyncOptions = { db, logger, incidentUrl: config.INCIDENT_URL, internalToken: config.INTERNAL_API_TOKEN };
    const keeper = new ReplicaKeeper({ replica, db, logger, identityUrl: config.IDENTITY_URL, internalToken: config.INTERNAL_API_TOKEN, intervalMs: config.REPLICA_SYNC_INTERVAL });
    // One check for requests and open streams alike: what refuses a token refuses its streams.
    const accountCheck = keeper.accountCheck();
    const streams = new NotificationStreams({
      databaseUrl: config.DATABASE_URL,
      db,
      logger,
      heartbeatMs: config.SSE_HEARTBEAT_INTERVAL,
      publicAppUrl: config.PUBLIC_APP_URL,
      check: accountCheck,
      checkIntervalMs: config.STREAM_CHECK_INTERVAL,
      maxPerUser: config.STREAMS_PER_USER,
    });

    const parking = new ParkingLot(db, CONSUMER_NAME, { bus, logger });
    const metrics = createHttpMetrics(SERVICE_NAME);
    const { onOutcome } = eventMetrics({ registry: metrics.registry, bus, parking });
    mailMetrics(metrics.registry, db);
    await bus.subscribe(
      CONSUMER_NAME,
      notificationHandlers({
        db,
        config,
        logger,
        onMailRecorded: () => deliveries.poke(),
        webhookRetryWindowMs: config.WEBHOOK_RETRY_WINDOW,
        webhookSubscriptions: subscriptions,
        onWebhooksRecorded: () => webhooks.poke(),
        // A recipient missing from the replica (an account newer than the last catch-up) makes
        // the event wait for a catch-up (one at a time, however many events ask).
        onReplicaBehind: async () => {
          if (options.syncReplicas !== false) await keeper.catchUp();
        },
      }),
      { prefetch: EVENT_CONCURRENCY, park: parking.park, onOutcome },
    );
    const deps: NotificationDependencies = { config, db, bus, parking, logger, streams, replica: keeper, accountCheck, metrics, webhooks: { guard, poke: () => webhooks.poke(), changed: () => subscriptions.changed() } };
    const app = buildNotificationApp(deps, options.verificationKeys ?? { jwksUrl: new URL('/.well-known/jwks.json', config.IDENTITY_URL).toString() });

    let replicaTimer: NodeJS.Timeout | undefined;
    let housekeeping: NodeJS.Timeout | undefined;
    const catchUpIncidents = () =>
      syncIncidents(syncOptions).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not catch the incident replica up with incident-service; events keep it current, will retry'),
      );
    const mailTransport = transport;
    return {
      app,
      db,
      bus,
      deliveries,
      webhooks,
      streams,
      deps,
      replica: keeper,
      async start() {
        await streams.start();
        deliveries.start();
        webhooks.start();
        parking.start();
        housekeeping = setInterval(() => {
          pruneInbox(db).catch((error: unknown) => logger.warn({ err: error }, 'pruning the event inbox failed'));
          pruneWebhookDeliveries(db).catch((error: unknown) => logger.warn({ err: error }, 'pruning old webhook deliveries failed'));
        }, 3_600_000);
        housekeeping.unref();
        if (options.syncReplicas !== false) {
          keeper.start();
          void catchUpIncidents();
          replicaTimer = setInterval(() => void catchUpIncidents(), config.REPLICA_SYNC_INTERVAL);
          replicaTimer.unref();
        }
      },
      async stop() {
        keeper.stop();
        clearInterval(replicaTimer);
        await parking.stop();
        clearInterval(housekeeping);
        await streams.stop();
        if (!options.bus) await bus.close();
        await webhooks.stop();
        await deliveries.stop();
        mailTransport.close();
        await closeDatabase(db);
      },
    };
  } catch (error) {
    transport?.close();
    await closeDatabase(db);
    throw error;
  }
}

import { createEventBus, eventMetrics, Outbox, ParkingLot, pruneInbox, withInbox, type EventBus } from '@desk/messaging';
import { closeDatabase, connectDatabase, createHttpMetrics } from '@desk/platform';
import { ReplicaKeeper } from '@desk/replica';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { buildIncidentApp, type IncidentDependencies } from './app.js';
import { systemClock } from './clock.js';
import { SERVICE_NAME, type IncidentConfig } from './config.js';
import { incidentMigrations } from './migrations.js';
import { replica } from './replica.js';
import { SlaJobs } from './sla/sla-jobs.js';
import { AttachmentJobs } from './attachments/attachment-jobs.js';
import { RecentSearch } from './incidents/recent-search.js';
import { Clamd } from './attachments/clamd.js';
import { createAttachmentStore } from './attachments/storage.js';
import { IncidentStreams } from './incidents/incident-stream.js';
import { MailIn } from './mail-in/mail-in.js';
import { listenForMail, type SmtpListener } from './mail-in/smtp-listener.js';
import { parseByteSize } from '@desk/platform';
import { readFileSync } from 'node:fs';

/**
 * Postgres's default random_page_cost (4) prices a random read as a disk seek. The incidents a
 * desk works on are in memory, and at that price the planner walks the whole table's updated_at
 * index for a department's search rather than the department's own (12,196 rows read instead of
 * 3,616 for "vpn timeout" at a million incidents). 1.1 is the usual figure for SSDs and cached data.
 */
export const INCIDENT_SESSION_SETTINGS: Record<string, string> = {
  random_page_cost: '1.1',
  // A transaction left idle ends: a change is committed moments after it is stamped, which the
  // other services' catch-ups count on (@desk/platform CATCH_UP_OVERLAP_MS).
  idle_in_transaction_session_timeout: '15s',
};

/** The service's own schema. */
export const INCIDENT_SCHEMA = 'incident';

export interface IncidentService {
  app: Express;
  db: Knex;
  bus: EventBus;
  outbox: Outbox;
  slaJobs: SlaJobs;
  attachmentJobs: AttachmentJobs;
  /** The full-text index of recent incidents: searches ask it first; one replica at a time keeps it. */
  recentSearch: RecentSearch;
  /** Mail in: turns mail to the desk into incidents and replies into comments. */
  mailIn: MailIn;
  /** The SMTP listener's port once started, when INBOUND_SMTP_PORT is set. */
  readonly inboundSmtpPort: number | undefined;
  deps: IncidentDependencies;
  /** Starts background work: outbox relay, SLA jobs, replica catch-up, the live streams' listener, the SMTP listener. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface IncidentServiceOptions {
  config: IncidentConfig;
  logger: Logger;
  bus?: EventBus;
  /** Where token keys come from; identity's JWKS (IDENTITY_URL) by default. Tests pass their own. */
  verificationKeys?: JWTVerifyGetKey;
  /** Catch up with identity-service's listings at start and periodically (default true). */
  syncReplicas?: boolean;
}

export async function createIncidentService(options: IncidentServiceOptions): Promise<IncidentService> {
  const { config, logger } = options;
  const db = await connectDatabase({
    url: config.DATABASE_URL,
    schema: INCIDENT_SCHEMA,
    migrations: incidentMigrations,
    logger,
    sessionSettings: INCIDENT_SESSION_SETTINGS,
  });
  try {
    const bus = options.bus ?? (await createEventBus({ amqpUrl: config.AMQP_URL, namespace: config.AMQP_NAMESPACE, logger, connectionName: SERVICE_NAME }));
    const outbox = new Outbox({ db, bus, logger, source: `/${SERVICE_NAME}` });
    // identity's events keep the user and department replica current, each applied once.
    const parking = new ParkingLot(db, SERVICE_NAME, { bus, logger });
    const metrics = createHttpMetrics(SERVICE_NAME);
    const { onOutcome } = eventMetrics({ registry: metrics.registry, bus, outboxDb: db, parking });
    await bus.subscribe(SERVICE_NAME, withInbox(db, SERVICE_NAME, replica.handlers), { park: parking.park, onOutcome });
    const keeper = new ReplicaKeeper({ replica, db, logger, identityUrl: config.IDENTITY_URL, internalToken: config.INTERNAL_API_TOKEN, intervalMs: config.REPLICA_SYNC_INTERVAL });
    // One check for requests and open streams alike: what refuses a token refuses its streams.
    const streams = new IncidentStreams({
      databaseUrl: config.DATABASE_URL,
      db,
      schema: INCIDENT_SCHEMA,
      logger,
      heartbeatMs: config.SSE_HEARTBEAT_INTERVAL,
      check: keeper.accountCheck(),
      checkIntervalMs: config.STREAM_CHECK_INTERVAL,
      maxPerUser: config.STREAMS_PER_USER,
    });
    const store = createAttachmentStore(config, logger);
    const clamd = config.CLAMD_URL ? new Clamd(new URL(config.CLAMD_URL), config.CLAMD_TIMEOUT) : undefined;
    const attachmentJobs = new AttachmentJobs({ db, store, outbox, clock: systemClock, logger, intervalMs: config.ATTACHMENT_JOB_INTERVAL, ...(clamd ? { clamd } : {}) });
    const recentSearch = new RecentSearch({ db, clock: systemClock, logger });
    const deps: IncidentDependencies = { config, db, bus, parking, outbox, logger, clock: systemClock, replica: keeper, metrics, streams, store, attachmentJobs, recentSearch, ...(clamd ? { clamd } : {}) };
    const app = buildIncidentApp(deps, options.verificationKeys ?? { jwksUrl: new URL('/.well-known/jwks.json', config.IDENTITY_URL).toString() });
    const slaJobs = new SlaJobs({ db, outbox, logger, autoCloseDays: config.AUTO_CLOSE_DAYS, waitingDays: config.WAITING_AUTO_RESOLVE_DAYS, intervalMs: config.SLA_CHECK_INTERVAL });

    const mailIn = new MailIn(deps);
    let smtp: SmtpListener | undefined;

    let housekeeping: NodeJS.Timeout | undefined;
    // Idempotency keys only need to outlive a client's retries; inbox rows, any redelivery.
    const tidyUp = async () => {
      const idempotencyKeys = await db('idempotency_keys').where('created_at', '<', db.raw("now() - interval '1 day'")).delete();
      const inboxRows = await pruneInbox(db);
      // A mail's record outlives any server's retries of it (days), then goes.
      const inboundMails = await db('inbound_mails').whereIn('status', ['filed', 'ignored', 'rejected']).whereNull('raw').where('received_at', '<', db.raw("now() - interval '30 days'")).delete();
      if (idempotencyKeys + inboxRows + inboundMails > 0) logger.info({ idempotencyKeys, inboxRows, inboundMails }, 'pruned expired records');
    };
    return {
      app,
      db,
      bus,
      outbox,
      slaJobs,
      attachmentJobs,
      recentSearch,
      mailIn,
      get inboundSmtpPort() {
        return smtp?.port;
      },
      deps,
      async start() {
        await streams.start();
        outbox.start();
        slaJobs.start();
        attachmentJobs.start();
        recentSearch.start();
        parking.start();
        housekeeping = setInterval(() => {
          tidyUp().catch((error: unknown) => logger.warn({ err: error }, 'pruning expired records failed'));
        }, 3_600_000);
        housekeeping.unref();
        if (options.syncReplicas !== false) keeper.start();
        mailIn.start(config.INBOUND_RETRY_INTERVAL);
        if (config.INBOUND_SMTP_PORT !== undefined) {
          const tls =
            config.INBOUND_TLS_CERT_FILE && config.INBOUND_TLS_KEY_FILE ? { cert: readFileSync(config.INBOUND_TLS_CERT_FILE), key: readFileSync(config.INBOUND_TLS_KEY_FILE) } : undefined;
          smtp = await listenForMail(mailIn, { host: config.INBOUND_SMTP_HOST, port: config.INBOUND_SMTP_PORT, maxBytes: parseByteSize(config.INBOUND_MAX_BYTES), logger, tls });
        }
      },
      async stop() {
        await smtp?.close();
        await mailIn.stop();
        keeper.stop();
        clearInterval(housekeeping);
        await streams.stop();
        await parking.stop();
        await slaJobs.stop();
        await attachmentJobs.stop();
        await recentSearch.stop();
        await outbox.stop();
        if (!options.bus) await bus.close();
        await closeDatabase(db);
      },
    };
  } catch (error) {
    await closeDatabase(db);
    throw error;
  }
}

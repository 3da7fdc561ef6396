import { createEventBus, eventMetrics, ParkingLot, pruneInbox, type EventBus } from '@desk/messaging';
import { closeDatabase, connectDatabase, createHttpMetrics } from '@desk/platform';
import { ReplicaKeeper } from '@desk/replica';
import type { Express } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { buildAnalyticsApp, type AnalyticsDependencies } from './app.js';
import { SERVICE_NAME, type AnalyticsConfig } from './config.js';
import { CONSUMER_NAME, factHandlers } from './facts/fact-handlers.js';
import { FactStore } from './facts/fact-store.js';
import { analyticsMigrations } from './migrations.js';
import { replica } from './replica.js';
import { rebuildFacts } from './facts/rebuild.js';

export interface AnalyticsService {
  app: Express;
  db: Knex;
  bus: EventBus;
  store: FactStore;
  deps: AnalyticsDependencies;
  /** Loads the model, then keeps it current; catches names up with identity-service. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AnalyticsServiceOptions {
  config: AnalyticsConfig;
  logger: Logger;
  bus?: EventBus;
  /** Where token keys come from; identity's JWKS (IDENTITY_URL) by default. Tests pass their own. */
  verificationKeys?: JWTVerifyGetKey;
  /** Catch the user and department replica up with identity-service's listings at start and periodically, and fill an empty model (default true). */
  syncReplicas?: boolean;
}

export async function createAnalyticsService(options: AnalyticsServiceOptions): Promise<AnalyticsService> {
  const { config, logger } = options;
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'analytics', migrations: analyticsMigrations, logger });
  try {
    const bus = options.bus ?? (await createEventBus({ amqpUrl: config.AMQP_URL, namespace: config.AMQP_NAMESPACE, logger, connectionName: SERVICE_NAME }));
    const parking = new ParkingLot(db, CONSUMER_NAME, { bus, logger });
    const metrics = createHttpMetrics(SERVICE_NAME);
    const { onOutcome } = eventMetrics({ registry: metrics.registry, bus, parking });
    await bus.subscribe(CONSUMER_NAME, factHandlers(db), { park: parking.park, onOutcome });
    const store = new FactStore({ db, logger, refreshIntervalMs: config.FACTS_REFRESH_INTERVAL });
    const keeper = new ReplicaKeeper({ replica, db, logger, identityUrl: config.IDENTITY_URL, internalToken: config.INTERNAL_API_TOKEN, intervalMs: config.REPLICA_SYNC_INTERVAL });
    const deps: AnalyticsDependencies = { config, db, bus, parking, logger, store, replica: keeper, metrics };
    const app = buildAnalyticsApp(deps, options.verificationKeys ?? { jwksUrl: new URL('/.well-known/jwks.json', config.IDENTITY_URL).toString() });

    let housekeeping: NodeJS.Timeout | undefined;
    // A model with no facts at all (a new deployment, a lost schema) is filled from incident-service.
    const fillIfEmpty = async () => {
      const any: unknown = await db('facts').select('id').first();
      if (any) return;
      await rebuildFacts({ db, logger, incidentUrl: config.INCIDENT_URL, internalToken: config.INTERNAL_API_TOKEN })
        .then(() => store.sync())
        .catch((error: unknown) => logger.warn({ err: error }, 'could not fill the empty analytics model from incident-service; events fill it from now on, or run the rebuild'));
    };
    return {
      app,
      db,
      bus,
      store,
      deps,
      async start() {
        await store.start();
        parking.start();
        housekeeping = setInterval(() => {
          pruneInbox(db).catch((error: unknown) => logger.warn({ err: error }, 'pruning the event inbox failed'));
        }, 3_600_000);
        housekeeping.unref();
        if (options.syncReplicas !== false) {
          keeper.start();
          void fillIfEmpty();
        }
      },
      async stop() {
        keeper.stop();
        clearInterval(housekeeping);
        await parking.stop();
        store.stop();
        if (!options.bus) await bus.close();
        await closeDatabase(db);
      },
    };
  } catch (error) {
    await closeDatabase(db);
    throw error;
  }
}

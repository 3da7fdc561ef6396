import { createEventBus, eventMetrics, Outbox, ParkingLot, pruneInbox, withInbox, type EventBus } from '@desk/messaging';
import { closeDatabase, connectDatabase, createHttpMetrics } from '@desk/platform';
import type { Express } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { buildIdentityApp } from './app.js';
import { recordAuditFromEvent } from './audit/record-audit.js';
import { LoginThrottle } from './auth/login-throttle.js';
import { pruneExpiredRefreshTokens } from './auth/refresh-tokens.repository.js';
import { pruneRevocations } from './internal/list-revocations.use-case.js';
import { SERVICE_NAME, type IdentityConfig } from './config.js';
import { SigningKeyStore } from './keys/signing-keys.js';
import { identityMigrations } from './migrations.js';
import { ensureBootstrapAdmin } from './users/bootstrap-admin.js';
import { pruneAccountMailLog } from './auth/account-mail-budget.js';
import { pruneMfaChallenges } from './mfa/mfa-challenges.js';
import { pruneExpiredPasswordResetTokens } from './passwords/password-reset-tokens.repository.js';
import { pruneExpiredRegistrations } from './registration/verify-email.use-case.js';

/**
 * No statement or idle transaction outlives 15 s: a change to a user or department is stamped when
 * its statement runs and commits within moments; the replicas' catch-up overlap
 * (@desk/replica CATCH_UP_OVERLAP_MS, 60 s) counts on that bound.
 */
export const IDENTITY_SESSION_SETTINGS: Record<string, string> = { statement_timeout: '15s', idle_in_transaction_session_timeout: '15s' };

export interface IdentityService {
  app: Express;
  db: Knex;
  bus: EventBus;
  outbox: Outbox;
  keys: SigningKeyStore;
  /** Starts background work: the outbox relay. */
  start(): void;
  /** Stops background work and releases what the service opened (not a bus it was given). */
  stop(): Promise<void>;
}

export interface IdentityServiceOptions {
  config: IdentityConfig;
  logger: Logger;
  /** A bus to share (the standalone launcher's in-process bus); one is made from AMQP_URL otherwise. */
  bus?: EventBus;
}

/** Everything identity-service runs on, built from its configuration: what `main.ts`, the launcher and tests share. */
export async function createIdentityService({ config, logger, bus: sharedBus }: IdentityServiceOptions): Promise<IdentityService> {
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'identity', migrations: identityMigrations, logger, sessionSettings: IDENTITY_SESSION_SETTINGS });
  try {
    const bus = sharedBus ?? (await createEventBus({ amqpUrl: config.AMQP_URL, namespace: config.AMQP_NAMESPACE, logger, connectionName: SERVICE_NAME }));
    const outbox = new Outbox({ db, bus, logger, source: `/${SERVICE_NAME}` });
    const keys = new SigningKeyStore({
      db,
      logger,
      secret: config.SIGNING_KEY_SECRET,
      rotationIntervalMs: config.SIGNING_KEY_ROTATION,
      accessTokenTtlMs: config.ACCESS_TOKEN_TTL,
    });
    // Fails here, at start, when SIGNING_KEY_SECRET cannot open the stored key.
    await keys.signingKey();
    await ensureBootstrapAdmin(
      db,
      outbox,
      logger,
      config.ADMIN_EMAIL && config.ADMIN_PASSWORD
        ? { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD, fullName: config.ADMIN_FULL_NAME }
        : undefined,
    );
    const throttle = new LoginThrottle(db);
    const metrics = createHttpMetrics(SERVICE_NAME);
    // Other services' administrative changes join the audit trail, each once.
    const parking = new ParkingLot(db, SERVICE_NAME, { bus, logger });
    const { onOutcome } = eventMetrics({ registry: metrics.registry, bus, outboxDb: db, parking });
    await bus.subscribe(SERVICE_NAME, withInbox(db, SERVICE_NAME, { 'audit.recorded': (event, trx) => recordAuditFromEvent(trx, event) }), { park: parking.park, onOutcome });
    const app = buildIdentityApp({ config, db, bus, outbox, parking, logger, keys, throttle, metrics });
    let housekeeping: NodeJS.Timeout | undefined;
    const tidyUp = async () => {
      const [refreshTokens, throttleCounters, revocations, inboxRows, registrations, resetTokens, mailLog, mfaChallenges] = await Promise.all([
        pruneExpiredRefreshTokens(db),
        throttle.prune(),
        pruneRevocations(db, config.ACCESS_TOKEN_TTL),
        pruneInbox(db),
        pruneExpiredRegistrations(db),
        pruneExpiredPasswordResetTokens(db),
        pruneAccountMailLog(db),
        pruneMfaChallenges(db),
      ]);
      const pruned = { refreshTokens, throttleCounters, revocations, inboxRows, registrations, resetTokens, mailLog, mfaChallenges };
      if (Object.values(pruned).some((count) => count > 0)) logger.info(pruned, 'pruned expired records');
    };
    return {
      app,
      db,
      bus,
      outbox,
      keys,
      start() {
        outbox.start();
        parking.start();
        // Expired refresh tokens and old throttle counters only take space; clear them hourly.
        housekeeping = setInterval(() => {
          tidyUp().catch((error: unknown) => logger.warn({ err: error }, 'pruning sign-in records failed'));
        }, 3_600_000);
        housekeeping.unref();
      },
      async stop() {
        clearInterval(housekeeping);
        await parking.stop();
        await outbox.stop();
        if (!sharedBus) await bus.close();
        await closeDatabase(db);
      },
    };
  } catch (error) {
    await closeDatabase(db);
    throw error;
  }
}

import type { HttpMetrics } from '@desk/platform';
import type { EventBus, Outbox, ParkingLot } from '@desk/messaging';
import type { IdentityConfig } from './config.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { SigningKeyStore } from './keys/signing-keys.js';

// What the service's routes and use cases are built from. Its own module, so that they import
// it without importing app.ts, which imports them.
export interface IdentityDependencies {
  config: IdentityConfig;
  db: Knex;
  bus: EventBus;
  outbox: Outbox;
  /** Events this service could not record (`audit.recorded`), kept for an admin to replay. */
  parking: ParkingLot;
  logger: Logger;
  keys: SigningKeyStore;
  throttle: LoginThrottle;
  /** The service's metrics registry (`/metrics`), with the event spine's metrics on it. */
  metrics?: HttpMetrics;
}

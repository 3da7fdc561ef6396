import type { CallerCheck } from '@desk/auth';
import type { HttpMetrics } from '@desk/platform';
import type { EventBus, ParkingLot } from '@desk/messaging';
import type { ReplicaKeeper } from '@desk/replica';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { NotificationConfig } from './config.js';
import type { NotificationStreams } from './inbox/notification-stream.js';
import type { AddressGuard } from './webhooks/address-guard.js';

// What the service's routes and use cases are built from. Its own module, so that they import
// it without importing app.ts, which imports them.
export interface NotificationDependencies {
  /** The service's parked events, which the gateway's admin API reaches through /internal/events/parked. */
  parking: ParkingLot;
  config: NotificationConfig;
  db: Knex;
  bus: EventBus;
  logger: Logger;
  streams: NotificationStreams;
  /** The user and department replica: catch-ups, and the check of the accounts behind tokens. */
  replica: ReplicaKeeper<object>;
  /** The check of the account behind each token: run by `signedIn` per request, and again for open streams. */
  accountCheck: CallerCheck;
  /** Outgoing webhooks: the address check new endpoints go through, waking the sender, and telling the fan-out an endpoint changed. */
  webhooks: { guard: AddressGuard; poke(): void; changed(): void };
  /** The service's metrics registry (`/metrics`), with the event spine's metrics on it. */
  metrics?: HttpMetrics;
}

import type { EventBus } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { NotificationConfig } from './config.js';
import type { NotificationStreams } from './inbox/notification-stream.js';

// What the service's routes and use cases are built from. Its own module, so that they import
// it without importing app.ts, which imports them.
export interface NotificationDependencies {
  config: NotificationConfig;
  db: Knex;
  bus: EventBus;
  logger: Logger;
  streams: NotificationStreams;
}

// `npm run events -w @desk/notification-service -- parked|replay|discard`: the events this service could
// not handle, from a shell (DATABASE_URL); a running service replays what is requested.
import { eventsCommandMain, ParkingLot } from '@desk/messaging';
import { closeDatabase, connectDatabase, createLogger, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, notificationConfigSchema } from './config.js';
import { notificationMigrations } from './migrations.js';

// Only the database: the command needs nothing else of the service's configuration.
const config = loadConfigOrExit(notificationConfigSchema.pick({ DATABASE_URL: true }));
const logger = createLogger({ service: `${SERVICE_NAME} events`, level: 'warn' });

void eventsCommandMain(async () => {
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'notification', migrations: notificationMigrations, logger });
  return { lot: new ParkingLot(db, SERVICE_NAME), close: () => closeDatabase(db) };
});

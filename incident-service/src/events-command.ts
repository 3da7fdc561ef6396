// `npm run events -w @desk/incident-service -- parked|replay|discard`: the events this service could
// not handle, from a shell (DATABASE_URL); a running service replays what is requested.
import { eventsCommandMain, ParkingLot } from '@desk/messaging';
import { closeDatabase, connectDatabase, createLogger, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, incidentConfigSchema } from './config.js';
import { incidentMigrations } from './migrations.js';

// Only the database: the command needs nothing else of the service's configuration.
const config = loadConfigOrExit(incidentConfigSchema.pick({ DATABASE_URL: true }));
const logger = createLogger({ service: `${SERVICE_NAME} events`, level: 'warn' });

void eventsCommandMain(async () => {
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'incident', migrations: incidentMigrations, logger });
  return { lot: new ParkingLot(db, SERVICE_NAME), close: () => closeDatabase(db) };
});

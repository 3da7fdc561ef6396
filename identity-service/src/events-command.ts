// `npm run events -w @desk/identity-service -- parked|replay|discard`: the `audit.recorded` events
// this service could not record, from a shell (DATABASE_URL); a running service replays what is requested.
import { eventsCommandMain, ParkingLot } from '@desk/messaging';
import { closeDatabase, configFields, connectDatabase, createLogger, loadConfigOrExit } from '@desk/platform';
import { z } from 'zod';
import { SERVICE_NAME } from './config.js';
import { identityMigrations } from './migrations.js';

// Only the database: the command needs nothing else of the service's configuration (whose
// cross-field checks would also stop `.pick`).
const config = loadConfigOrExit(z.object({ DATABASE_URL: configFields.postgresUrl() }));
const logger = createLogger({ service: `${SERVICE_NAME} events`, level: 'warn' });

void eventsCommandMain(async () => {
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'identity', migrations: identityMigrations, logger });
  return { lot: new ParkingLot(db, SERVICE_NAME), close: () => closeDatabase(db) };
});

// `npm run rebuild -w @desk/analytics-service [-- --force]`: replays every incident from
// incident-service (INCIDENT_URL, INTERNAL_API_TOKEN) into a fresh analytics model and swaps it
// in, as POST /analytics/rebuild does. Running services pick the new model up by themselves.
import { closeDatabase, connectDatabase, createLogger, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, analyticsConfigSchema } from './config.js';
import { rebuildFacts } from './facts/rebuild.js';
import { analyticsMigrations } from './migrations.js';

const config = loadConfigOrExit(analyticsConfigSchema);
const logger = createLogger({ service: `${SERVICE_NAME} rebuild`, level: config.LOG_LEVEL });

async function main(): Promise<void> {
  const db = await connectDatabase({ url: config.DATABASE_URL, schema: 'analytics', migrations: analyticsMigrations, logger });
  try {
    let lastReport = 0;
    const result = await rebuildFacts({
      db,
      logger,
      incidentUrl: config.INCIDENT_URL,
      internalToken: config.INTERNAL_API_TOKEN,
      force: process.argv.includes('--force'),
      onProgress: (incidents) => {
        if (Date.now() - lastReport < 2_000) return;
        lastReport = Date.now();
        process.stderr.write(`replayed ${incidents.toLocaleString('en')} incidents…\n`);
      },
    });
    process.stdout.write(`Rebuilt the analytics model: ${result.incidents.toLocaleString('en')} incidents in ${(result.durationMs / 1000).toFixed(1)} s.\n`);
  } finally {
    await closeDatabase(db);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`The rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write('The current model is unchanged. Check that incident-service answers at INCIDENT_URL and that INTERNAL_API_TOKEN matches, then run it again.\n');
  process.exitCode = 1;
});

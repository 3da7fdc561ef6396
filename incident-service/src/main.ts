import { telemetry } from './telemetry.js';
import { createLogger, createShutdown, listen, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, incidentConfigSchema } from './config.js';
import { createIncidentService } from './service.js';

const config = loadConfigOrExit(incidentConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, drainMs: config.SHUTDOWN_DRAIN_MS });

async function main(): Promise<void> {
  shutdown.add('telemetry', () => telemetry.shutdown());
  const service = await createIncidentService({ config, logger });
  shutdown.add('incident-service', () => service.stop());
  await service.start();
  const server = await listen(service.app, { port: config.PORT, logger });
  shutdown.add('http', () => shutdown.closeServer(server));
  shutdown.installSignalHandlers();
}

main().catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'incident-service could not start');
  await shutdown.run('startup failed');
  process.exitCode = 1;
});

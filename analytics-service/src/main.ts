import { telemetry } from './telemetry.js';
import { createLogger, createShutdown, listen, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, analyticsConfigSchema } from './config.js';
import { createAnalyticsService } from './service.js';

const config = loadConfigOrExit(analyticsConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, drainMs: config.SHUTDOWN_DRAIN_MS });

async function main(): Promise<void> {
  shutdown.add('telemetry', () => telemetry.shutdown());
  const service = await createAnalyticsService({ config, logger });
  shutdown.add('analytics-service', () => service.stop());
  await service.start();
  const server = await listen(service.app, { port: config.PORT, logger });
  shutdown.add('http', () => shutdown.closeServer(server));
  shutdown.installSignalHandlers();
}

main().catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'analytics-service could not start');
  await shutdown.run('startup failed');
  process.exitCode = 1;
});

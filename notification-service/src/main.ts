import { telemetry } from './telemetry.js';
import { createLogger, createShutdown, listen, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, notificationConfigSchema } from './config.js';
import { createNotificationService } from './service.js';

const config = loadConfigOrExit(notificationConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, drainMs: config.SHUTDOWN_DRAIN_MS });

async function main(): Promise<void> {
  shutdown.add('telemetry', () => telemetry.shutdown());
  const service = await createNotificationService({ config, logger });
  shutdown.add('notification-service', () => service.stop());
  await service.start();
  const server = await listen(service.app, { port: config.PORT, logger });
  shutdown.add('http', () => shutdown.closeServer(server));
  // First of all: end the live streams, or closing the server would wait for them.
  shutdown.add('live streams', () => service.streams.stop());
  shutdown.installSignalHandlers();
}

main().catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'notification-service could not start');
  await shutdown.run('startup failed');
  process.exitCode = 1;
});

import { telemetry } from './telemetry.js';
import { createLogger, createShutdown, listen, loadConfigOrExit } from '@desk/platform';
import { SERVICE_NAME, gatewayConfigSchema } from './config.js';
import { createGateway } from './service.js';

const config = loadConfigOrExit(gatewayConfigSchema);
const logger = createLogger({ service: SERVICE_NAME, level: config.LOG_LEVEL });
const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS, drainMs: config.SHUTDOWN_DRAIN_MS });

async function main(): Promise<void> {
  shutdown.add('telemetry', () => telemetry.shutdown());
  const gateway = createGateway({ config, logger });
  shutdown.add('gateway', () => gateway.stop());
  gateway.start();
  const server = await listen(gateway.app, { port: config.PORT, logger });
  shutdown.add('http', () => shutdown.closeServer(server));
  const internal = await listen(gateway.internalApp, { port: config.INTERNAL_PORT, host: config.INTERNAL_HOST, logger });
  shutdown.add('internal http', () => shutdown.closeServer(internal));
  shutdown.installSignalHandlers();
}

main().catch(async (error: unknown) => {
  logger.fatal({ err: error }, 'gateway could not start');
  await shutdown.run('startup failed');
  process.exitCode = 1;
});

// Run as a child process by shutdown.test.ts: a process with a listening server and a slow
// shutdown step, waiting for signals. Its log lines on stdout tell the test what happened.
import { createLogger } from '../logger.js';
import { createShutdown, listen } from '../shutdown.js';

async function main(): Promise<void> {
  const logger = createLogger({ service: 'signal-fixture' });
  const server = await listen((_request, response) => response.end('ok'), { port: 0, host: '127.0.0.1', logger });
  const shutdown = createShutdown({ logger, timeoutMs: 2000 });
  shutdown.add('server', () => shutdown.closeServer(server));
  shutdown.add('slow step', () => new Promise<void>((resolve) => setTimeout(resolve, 300)));
  shutdown.installSignalHandlers();
  logger.info('ready');
}

void main();

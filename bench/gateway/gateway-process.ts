/**
 * The gateway for http.ts, in a Node process of its own (as incident-service runs in
 * ../incidents/service-process.ts), so neither it nor the load generator shares an event loop.
 * Driven over IPC: `{ start: GatewayStartOptions }` → `{ baseUrl, pid }`; `'stop'` → `'stopped'`, then exit.
 */
// First, as in the gateway's main.ts: its tracing (spans for HTTP and pg, trace ids in the
// logs) runs in production whether or not spans are exported, so its cost is measured too.
import '../../gateway/src/telemetry.js';
import { startGateway, type GatewayStartOptions, type RunningGateway } from './gateway.js';

let running: RunningGateway | undefined;

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', (message: { start?: GatewayStartOptions } | 'stop') => {
  if (message === 'stop') {
    void (running?.close() ?? Promise.resolve()).then(() => {
      send('stopped');
      process.exit(0);
    });
    return;
  }
  if (message.start) {
    startGateway(message.start).then(
      (gateway) => {
        running = gateway;
        send({ baseUrl: gateway.baseUrl, pid: process.pid });
      },
      (error: unknown) => {
        send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        process.exitCode = 1;
        process.disconnect?.();
      },
    );
  }
});

/**
 * incident-service for http.ts, in a Node process of its own as it runs in production, so the
 * load generator neither shares its event loop nor steals its thread. Driven over IPC:
 * `{ start: StartOptions }` → `{ baseUrl }`; `'stop'` → `'stopped'`, then exit.
 */
// First, as in incident-service's main.ts: its tracing (spans for HTTP and pg, trace ids in the
// logs) runs in production whether or not spans are exported, so its cost is measured too.
import '../../incident-service/src/telemetry.js';
import { startService, type RunningService, type StartOptions } from './service.js';

let running: RunningService | undefined;

function send(message: unknown): void {
  process.send?.(message);
}

process.on('message', (message: { start?: StartOptions } | 'stop') => {
  if (message === 'stop') {
    void (running?.close() ?? Promise.resolve()).then(() => {
      send('stopped');
      // exit, not wait for the loop to drain: a --cpu-prof profile is written on exit
      process.exit(0);
    });
    return;
  }
  if (message.start) {
    startService(message.start).then(
      (service) => {
        running = service;
        send({ baseUrl: service.baseUrl, pid: process.pid });
      },
      (error: unknown) => {
        send({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        process.exitCode = 1;
        process.disconnect?.();
      },
    );
  }
});

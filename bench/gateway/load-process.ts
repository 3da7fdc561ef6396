/**
 * The load generator for http.ts, in a Node process of its own: the process that measures
 * latency does nothing else (no knex, no result bookkeeping), and starts with a heap large enough
 * that V8 does not run a full mark-compact every second under load — pauses that would otherwise
 * land on every request in flight, direct and through the gateway alike.
 * Driven over IPC: `{ run: LoadSpec }` → `{ result: LoadResult }` or `{ error }`.
 */
import { paced, saturate, type LoadSpec } from './load.js';

process.on('message', (message: { run: LoadSpec }) => {
  const spec = message.run;
  (spec.kind === 'paced' ? paced(spec) : saturate(spec)).then(
    (result) => process.send?.({ result }),
    (error: unknown) => process.send?.({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));

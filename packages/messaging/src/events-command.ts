import { parseArgs } from 'node:util';
import type { ParkedEvent, ParkedStatus, ParkingLot } from './parking.js';

const USAGE = `Usage:
  npm run events -w <service> -- parked [--status parked|replay_requested|replayed|discarded] [--type <event type>] [--subject <id>] [--limit <n>]
  npm run events -w <service> -- replay <parked id> [--by <name>]
  npm run events -w <service> -- replay --all [--type <event type>] [--subject <id>] [--by <name>]
  npm run events -w <service> -- discard <parked id> --reason "<why>" [--by <name>]
The service's DATABASE_URL says which parking lot; a running service replays what is requested within a second.`;

export class EventsCommandError extends Error {}

function line(event: ParkedEvent): string {
  const what = `${event.eventType ?? '(no type)'} ${event.subject ?? ''}`.trim();
  return `${event.id}  ${event.parkedAt}  ${what}  attempts ${event.attempts}, first failed ${event.firstFailedAt}\n    ${event.reason}${event.status === 'discarded' ? `\n    discarded by ${event.resolvedBy ?? '?'}: ${event.discardReason ?? ''}` : ''}`;
}

/**
 * `npm run events -w <service> -- parked|replay|discard`: what an operator does with a service's
 * parked events from a shell, through its database. Returns what to print; throws
 * `EventsCommandError` with the usage for a wrong invocation.
 */
export async function runEventsCommand(lot: ParkingLot, argv: readonly string[], by = process.env.USER ?? 'operator'): Promise<string> {
  const { values, positionals } = (() => {
    try {
      return parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          status: { type: 'string' },
          type: { type: 'string' },
          subject: { type: 'string' },
          limit: { type: 'string' },
          all: { type: 'boolean' },
          by: { type: 'string' },
          reason: { type: 'string' },
        },
      });
    } catch (error) {
      throw new EventsCommandError(`${(error as Error).message}\n${USAGE}`);
    }
  })();
  const [command, id] = positionals;
  const actor = values.by ?? by;
  const filter = { ...(values.type ? { eventType: values.type } : {}), ...(values.subject ? { subject: values.subject } : {}) };
  switch (command) {
    case 'parked': {
      const status = (values.status ?? 'parked') as ParkedStatus;
      if (!['parked', 'replay_requested', 'replayed', 'discarded'].includes(status)) throw new EventsCommandError(`Unknown --status "${status}".\n${USAGE}`);
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new EventsCommandError(`--limit must be a positive whole number.\n${USAGE}`);
      const events = await lot.list({ status, ...filter, limit });
      const heading = `${events.length} ${status.replace('_', ' ')} event(s) of ${lot.consumer}${events.length === limit ? ` (the newest ${limit}; --limit for more)` : ''}`;
      return [heading, ...events.map(line)].join('\n');
    }
    case 'replay': {
      if (values.all) {
        const count = await lot.requestReplay(filter, actor);
        return `${count} replay(s) requested for ${lot.consumer}; the running service hands them over within a second.`;
      }
      if (!id) throw new EventsCommandError(`replay needs a parked event's id, or --all.\n${USAGE}`);
      const count = await lot.requestReplay({ id }, actor);
      if (count === 0) throw new EventsCommandError(`${lot.consumer} has no parked event ${id} (list them with "parked").`);
      return `Replay of ${id} requested; the running ${lot.consumer} hands it over within a second.`;
    }
    case 'discard': {
      if (!id || !values.reason?.trim()) throw new EventsCommandError(`discard needs a parked event's id and --reason.\n${USAGE}`);
      const discarded = await lot.discard(id, actor, values.reason.trim());
      if (!discarded) throw new EventsCommandError(`${lot.consumer} has no parked event ${id} (list them with "parked").`);
      return `Discarded ${id}: ${discarded.discardReason ?? ''}`;
    }
    default:
      throw new EventsCommandError(USAGE);
  }
}

/**
 * The whole command for a service's `src/events-command.ts`: connects to its database (the
 * migrations bring the parking lot), runs the subcommand, prints, sets the exit code.
 */
export async function eventsCommandMain(
  connect: () => Promise<{ lot: ParkingLot; close: () => Promise<void> }>,
  argv: readonly string[] = process.argv.slice(2),
): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  try {
    const opened = await connect();
    close = opened.close;
    process.stdout.write(`${await runEventsCommand(opened.lot, argv)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    if (!(error instanceof EventsCommandError)) process.stderr.write('Check that DATABASE_URL points at the service\'s database, then run it again.\n');
    process.exitCode = 1;
  } finally {
    await close?.();
  }
}

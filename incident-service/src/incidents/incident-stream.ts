import type { Caller, CallerCheck } from '@desk/auth';
import type { IncidentChangeEvent, IncidentFacts } from '@desk/contracts';
import { LiveStreamHub, SentIds, type LiveStream } from '@desk/platform';
import type { Response } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { actorOf } from './actor.js';
import { changeSeenBy, type IncidentChange } from './change-audience.js';

/**
 * Postgres NOTIFY channel: `{ schema, seq }` of each incident event written to the outbox, sent
 * when its transaction commits (the trigger of migration incident_0009_incident_change_notify).
 */
export const INCIDENT_CHANNEL = 'desk_incident_changed';

/** Changes a reconnecting stream is sent at most; further behind, it is told to reload instead. */
const CATCH_UP_LIMIT = 200;

interface ViewerState {
  sent: SentIds;
  /** The highest outbox id sent or passed over (or the newest at connection): where a catch-up after a gap starts. */
  lastSeq: bigint;
}

type Stream = LiveStream<Caller, ViewerState>;

/** An incident event as the outbox keeps it, with its place (`seq`, the outbox id). */
interface RecordedChange extends IncidentChange {
  seq: bigint;
  at: string;
}

interface OutboxRow {
  id: string;
  type: string;
  created_at: Date;
  payload: { data?: { incident?: Partial<IncidentFacts> & { id?: string; key?: string; version?: number }; actorId?: string | null; isInternal?: boolean; previousDepartmentId?: string; watcherId?: string } };
}

function recordedChange(row: OutboxRow): RecordedChange | undefined {
  const data = row.payload.data ?? {};
  const incident = data.incident;
  if (!incident?.id || !incident.key || !incident.reporterId || !incident.departmentId || !incident.status || typeof incident.version !== 'number') return undefined;
  return {
    seq: BigInt(row.id),
    at: row.created_at.toISOString(),
    type: row.type,
    incident: { id: incident.id, key: incident.key, version: incident.version, reporterId: incident.reporterId, departmentId: incident.departmentId, status: incident.status, watcherIds: incident.watcherIds },
    actorId: data.actorId ?? null,
    isInternal: data.isInternal === true,
    previousDepartmentId: data.previousDepartmentId,
    removedWatcherId: row.type === 'incident.watcher_removed' ? data.watcherId : undefined,
  };
}

export interface IncidentStreamsOptions {
  databaseUrl: string;
  db: Knex;
  /** The service's schema: announcements from another schema sharing the database are not ours. */
  schema: string;
  logger: Logger;
  heartbeatMs: number;
  /** The check `authenticate` runs on every request, run again for open streams (deactivation, role change). */
  check: CallerCheck;
  checkIntervalMs: number;
  /** Streams one user may hold open; one more closes the oldest. */
  maxPerUser: number;
}

/**
 * The live stream behind `GET /incidents/stream`: an `event: incident` for every committed change
 * to an incident the caller may see — created, edited, status, priority, assignment, comments
 * (internal notes only to those who may read them), SLA breaches — carrying only which incident
 * and what kind of change (`IncidentChangeEvent`), so clients refresh what they show through the
 * API, under its rules. Who is told what is `changeSeenBy`, decided per viewer for each change.
 *
 * The changes are the outbox's incident events, announced on commit (NOTIFY by trigger): a
 * change that rolls back never reaches a stream. Each event's `id` is its outbox id, and a client
 * reconnecting with `Last-Event-ID` gets the changes after it that it may see (up to
 * CATCH_UP_LIMIT, else `event: reset`). Outbox ids are taken at insert, so a change committed
 * late may carry a lower id than one already sent; live streams send it anyway (ids already sent
 * are remembered), only a resume can pass over it — clients refresh everything on `reset` and
 * after a reconnection, which covers that.
 */
export class IncidentStreams {
  private readonly hub: LiveStreamHub<Caller, ViewerState>;

  constructor(private readonly options: IncidentStreamsOptions) {
    this.hub = new LiveStreamHub<Caller, ViewerState>({
      name: 'incident-service stream',
      databaseUrl: options.databaseUrl,
      channel: INCIDENT_CHANNEL,
      logger: options.logger,
      heartbeatMs: options.heartbeatMs,
      check: options.check,
      checkIntervalMs: options.checkIntervalMs,
      maxPerCaller: options.maxPerUser,
      onAnnounced: (payload) => this.announced(payload),
      onListenerRestored: () => {
        for (const stream of this.hub.all()) this.hub.enqueue(stream, () => this.catchUp(stream, stream.state.lastSeq));
      },
    });
  }

  start(): Promise<void> {
    return this.hub.start();
  }

  /** Whether committed changes reach the streams now (for /health). */
  get isListening(): boolean {
    return this.hub.isListening;
  }

  get openStreams(): number {
    return this.hub.openStreams;
  }

  /** Open streams of one user (for tests and metrics). */
  openStreamsOf(userId: string): number {
    return this.hub.openStreamsOf(userId);
  }

  private announced(payload: string): void {
    let parsed: { schema?: unknown; seq?: unknown };
    try {
      parsed = JSON.parse(payload) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.schema !== this.options.schema || typeof parsed.seq !== 'string' || !/^\d{1,19}$/.test(parsed.seq)) return;
    if (this.hub.openStreams === 0) return;
    // Read once for every stream; each stream's queue keeps its own order.
    const change = this.load(parsed.seq);
    for (const stream of this.hub.all()) {
      this.hub.enqueue(stream, async () => {
        const loaded = await change;
        if (loaded) this.deliver(stream, loaded);
      });
    }
  }

  private async load(seq: string): Promise<RecordedChange | undefined> {
    const row = await this.options.db('outbox').select('id', 'type', 'payload', 'created_at').where({ id: seq }).first<OutboxRow | undefined>();
    return row ? recordedChange(row) : undefined;
  }

  /**
   * Serves one stream until the client goes away or the stream is closed. `lastEventId` (the
   * `Last-Event-ID` of a reconnecting client) resumes after that change.
   */
  open(caller: Caller, response: Response, lastEventId: string | undefined): void {
    const stream = this.hub.open(caller, response, { sent: new SentIds(), lastSeq: 0n });
    // First in the stream's queue, so live announcements queue up behind where it starts.
    this.hub.enqueue(stream, () => this.begin(stream, lastEventId));
  }

  private async begin(stream: Stream, lastEventId: string | undefined): Promise<void> {
    if (lastEventId === undefined || lastEventId === '') {
      stream.state.lastSeq = await this.newestSeq();
      return;
    }
    const known = /^\d{1,19}$/.test(lastEventId)
      ? await this.options.db('outbox').select('id').where({ id: lastEventId }).whereLike('type', 'incident.%').first<{ id: string } | undefined>()
      : undefined;
    if (!known) {
      stream.state.lastSeq = await this.newestSeq();
      this.hub.reset(stream, 'unknown-last-event-id', 'Last-Event-ID is not a change this stream knows; reload what you show. New changes follow on this stream.');
      return;
    }
    await this.catchUp(stream, BigInt(known.id));
  }

  private async newestSeq(): Promise<bigint> {
    const row = await this.options.db('outbox').max<{ seq: string | null }>('id as seq').first();
    return BigInt(row?.seq ?? 0);
  }

  /** Every change after `afterSeq` the viewer may see, in order; too many, and the client is told to reload instead. */
  private async catchUp(stream: Stream, afterSeq: bigint): Promise<void> {
    const rows = (await this.options.db('outbox')
      .select('id', 'type', 'payload', 'created_at')
      .where('id', '>', afterSeq.toString())
      .whereLike('type', 'incident.%')
      .orderBy('id', 'asc')
      .limit(CATCH_UP_LIMIT + 1)) as OutboxRow[];
    if (rows.length > CATCH_UP_LIMIT) {
      stream.state.lastSeq = await this.newestSeq();
      this.hub.reset(stream, 'too-far-behind', `More than ${CATCH_UP_LIMIT} changes happened since Last-Event-ID; reload what you show. New changes follow on this stream.`);
      return;
    }
    if (afterSeq > stream.state.lastSeq) stream.state.lastSeq = afterSeq;
    for (const row of rows) {
      const change = recordedChange(row);
      if (change) this.deliver(stream, change);
    }
  }

  /** Sends one change to one stream, if its viewer is to hear of it, once. */
  private deliver(stream: Stream, change: RecordedChange): void {
    const id = change.seq.toString();
    if (stream.state.sent.has(id)) return;
    stream.state.sent.add(id);
    if (change.seq > stream.state.lastSeq) stream.state.lastSeq = change.seq;
    const kind = changeSeenBy(actorOf(stream.caller), stream.caller.scopes, change);
    if (!kind) return;
    const { incident } = change;
    const event: IncidentChangeEvent = {
      id: incident.id,
      key: incident.key,
      version: incident.version,
      // Where it went stays unknown to those who may no longer see it.
      ...(kind === 'hidden' ? {} : { departmentId: incident.departmentId }),
      change: kind,
      byYou: change.actorId === stream.caller.id,
      at: change.at,
    };
    this.hub.send(stream, 'incident', event, id);
  }

  /** Ends every stream (clients reconnect to another replica) and the listener. */
  stop(): Promise<void> {
    return this.hub.stop();
  }
}

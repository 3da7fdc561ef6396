import { createAccessTokenVerifier, type Caller } from '@desk/auth';
import type { CreateIncidentBody, Incident, UpdateIncidentBody, Comment } from '@desk/contracts';
import { AppError } from '@desk/platform';
import type { Knex } from 'knex';
import { clockAt } from '../clock.js';
import { addComment, type AddCommentBody } from '../comments/add-comment.use-case.js';
import { assignIncident } from '../incidents/assign-incident.use-case.js';
import { createIncident } from '../incidents/create-incident.use-case.js';
import { updateIncident } from '../incidents/update-incident.use-case.js';
import type { IncidentDependencies } from '../dependencies.js';
import type { IncidentService } from '../service.js';

/** The service's use cases as of one past instant. */
export interface ChangesAt {
  createIncident(caller: Caller, body: CreateIncidentBody): Promise<Incident>;
  assignIncident(caller: Caller, idOrKey: string, assigneeId: string | null): Promise<Incident>;
  updateIncident(caller: Caller, idOrKey: string, body: UpdateIncidentBody): Promise<Incident>;
  addComment(caller: Caller, idOrKey: string, body: AddCommentBody): Promise<Comment>;
  /** A round of the SLA jobs (breaches, auto-close) as it would have run then. */
  runSlaJobs(): Promise<{ breaches: number; autoClosed: number }>;
}

export interface HistoryReplay {
  /** The caller a signed-in person's access token stands for, checked as the API checks it. */
  callerOf(accessToken: string): Promise<Caller>;
  /**
   * Runs `work` in one transaction: each change in it is a savepoint, as a use case nested in a
   * transaction is, and all commit together. A long history commits in chunks instead of paying
   * a commit (and a flush to disk) per change.
   */
  transaction<T>(work: (changesAt: (instant: Date) => ChangesAt) => Promise<T>): Promise<T>;
}

/**
 * Replays history through the service's own use cases, each change as of the instant it
 * happened (clock.ts): the rules, row locks, timeline, SLA maths and outbox events are those of
 * the API, only the time is chosen. The standalone launcher seeds its demo organisation with it.
 * It is deliberately not reachable over HTTP: no client chooses when its change happened.
 *
 * The periodic SLA jobs pause meanwhile (the replay runs its own rounds at past instants): on
 * the real clock they would mark an incident breached that the replay has not yet brought to
 * its response, and close incidents the replay still has plans for. Instants must not run
 * backwards between changes of the same incident.
 */
export async function replayHistory<T>(service: IncidentService, replay: (history: HistoryReplay) => Promise<T>): Promise<T> {
  const { deps, slaJobs } = service;
  const { config } = deps;
  const verify = createAccessTokenVerifier({
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    keys: { jwksUrl: new URL('/.well-known/jwks.json', config.IDENTITY_URL).toString() },
  });
  const check = deps.replica.accountCheck();
  const changesAt = (db: Knex.Transaction, instant: Date): ChangesAt => {
    const then: IncidentDependencies = { ...deps, db, clock: clockAt(instant) };
    return {
      createIncident: async (caller, body) => (await createIncident(then, caller, body)).incident,
      assignIncident: (caller, idOrKey, assigneeId) => assignIncident(then, caller, idOrKey, assigneeId, undefined),
      updateIncident: (caller, idOrKey, body) => updateIncident(then, caller, idOrKey, body, undefined),
      addComment: (caller, idOrKey, body) => addComment(then, caller, idOrKey, body),
      runSlaJobs: () => slaJobs.runOnce(then.clock, db),
    };
  };
  const history: HistoryReplay = {
    async callerOf(accessToken) {
      const caller = await verify(accessToken);
      const refused = await check(caller);
      if (refused) throw AppError.unauthorized('AUTH.TOKEN_REVOKED', refused);
      return caller;
    },
    async transaction(work) {
      const result = await deps.db.transaction(async (trx) => {
        // What the replay writes is written again from the start if it fails: waiting for each
        // chunk's flush to disk buys nothing (https://www.postgresql.org/docs/current/wal-async-commit.html).
        await trx.raw('set local synchronous_commit = off');
        return work((instant) => changesAt(trx, instant));
      });
      // The chunk's events were written in savepoints, which woke the relay before they were
      // committed: now they are.
      deps.outbox.wake();
      return result;
    },
  };
  const wasRunning = slaJobs.started;
  await slaJobs.stop();
  try {
    return await replay(history);
  } finally {
    if (wasRunning) slaJobs.start();
  }
}

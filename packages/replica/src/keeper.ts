import { allChecks, authenticate, createAccessTokenVerifier, replicaAccountCheck, RevocationFeed, type CallerCheck, type VerifierOptions } from '@desk/auth';
import { departmentSchema, userSchema } from '@desk/contracts';
import { catchUpFrom, internalListing } from '@desk/platform';
import type { RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { ReplicaDefinition } from './replica.js';

export interface ReplicaKeeperOptions<Extra extends object> {
  replica: ReplicaDefinition<Extra>;
  db: Knex;
  logger: Logger;
  /** identity-service's base URL, where `/internal/users` and `/internal/departments` are. */
  identityUrl: string;
  internalToken?: string | undefined;
  /** How often `start()` catches up (REPLICA_SYNC_INTERVAL). */
  intervalMs: number;
  /** How far before the newest change held a catch-up starts (@desk/platform CATCH_UP_OVERLAP_MS by default). */
  overlapMs?: number;
}


export interface CatchUpCounts {
  departments: number;
  users: number;
}

/**
 * Keeps a service's replica in step with identity-service between events: catch-ups from its
 * internal listings at start and every `intervalMs` (one at a time; a caller asking during one
 * waits for it), and the check that refuses tokens of accounts changed since they were issued.
 */
export class ReplicaKeeper<Extra extends object> {
  private running: Promise<CatchUpCounts> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Revoked sign-ins and service accounts, polled from identity-service (see RevocationFeed). */
  readonly revocations: RevocationFeed;

  constructor(private readonly options: ReplicaKeeperOptions<Extra>) {
    this.revocations = new RevocationFeed({ identityUrl: options.identityUrl, internalToken: options.internalToken, logger: options.logger });
  }

  /**
   * Everything when the replica is empty (a new deployment, a lost schema), otherwise what changed
   * since the newest change held, less an overlap for changes that committed late (CATCH_UP_OVERLAP_MS). This repairs what events cannot, such as accounts that existed
   * before the service did, or an event parked while the service was down.
   */
  catchUp(): Promise<CatchUpCounts> {
    this.running ??= this.fetchChanges().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Catches up now and every `intervalMs`; failures are logged, events keep the replica current meanwhile. */
  start(): void {
    const run = () =>
      void this.catchUp().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not catch the user and department replica up with identity-service; events keep it current, will retry'),
      );
    run();
    this.timer = setInterval(run, this.options.intervalMs);
    this.timer.unref();
    this.revocations.start();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    void this.revocations.stop();
  }

  /**
   * Tokens outlive changes to accounts by up to their lifetime; this closes the gap: a deactivated
   * user, or one whose role or department changed since the token was issued, is refused within
   * about a second of the replica hearing of it. Accounts stay cached until the replica's change
   * feed (`replicated_at`) shows them changed, so most requests cost no lookup. Tokens of a
   * revoked sign-in or service account are refused first, from the deny list (RevocationFeed).
   */
  accountCheck(options: { pollMs?: number; ttlMs?: number } = {}): CallerCheck {
    const { replica, db, logger } = this.options;
    return allChecks(this.revocations.check, this.replicaCheck(replica, db, logger, options));
  }

  private replicaCheck(replica: ReplicaDefinition<Extra>, db: Knex, logger: Logger, options: { pollMs?: number; ttlMs?: number }): CallerCheck {
    return replicaAccountCheck({
      ...options,
      find: async (id) => {
        const user = await replica.findUser(db, id);
        return user && { isActive: user.is_active, role: user.role, departmentId: user.department_id };
      },
      changedSince: (since) => replica.usersChangedSince(db, since),
      onPollError: (error) => logger.warn({ err: error }, 'could not read changes of the user replica; account lookups are cached for 2 s until it works again'),
    });
  }

  /**
   * The guard of a service's routes: a valid access token, of an account the replica shows
   * unchanged since. Pass the service's own `check` when something else (its live streams) must
   * run the very same one.
   */
  signedIn(tokens: VerifierOptions, check: CallerCheck = this.accountCheck()): RequestHandler {
    return authenticate({ verify: createAccessTokenVerifier(tokens), check });
  }

  private async fetchChanges(): Promise<CatchUpCounts> {
    const { replica, db, logger, identityUrl, internalToken } = this.options;
    let departments = 0;
    for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/departments', item: departmentSchema, token: internalToken })) {
      await replica.upsertDepartments(db, page);
      departments += page.length;
    }
    const since = catchUpFrom(await replica.users.latestChange(db), this.options.overlapMs);
    let users = 0;
    for await (const page of internalListing({ baseUrl: identityUrl, path: '/internal/users', item: userSchema, token: internalToken, updatedSince: since })) {
      await replica.upsertUsers(db, page);
      users += page.length;
    }
    if (departments + users > 0) logger.info({ departments, users, since }, 'user and department replica caught up with identity-service');
    return { departments, users };
  }
}

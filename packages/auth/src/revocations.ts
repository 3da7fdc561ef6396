import { revocationSchema, type Revocation } from '@desk/contracts';
import { internalListing } from '@desk/platform';
import type { Caller } from './caller.js';
import type { CallerCheck } from './middleware.js';

export interface RevocationFeedOptions {
  /** identity-service's base URL, where `/internal/revocations` is. */
  identityUrl: string;
  internalToken?: string | undefined;
  logger: { warn: (details: object, message: string) => void };
  /** How often to ask identity-service for new entries; default 1 s. */
  pollIntervalMs?: number;
}

/** Entries are asked for again this long after they were made: a revocation committed late is still seen. */
const OVERLAP_MS = 60_000;
/** Entries older than this concern only expired tokens (access tokens live minutes, not a day). */
const KEEP_MS = 24 * 3_600_000;

/**
 * The deny list of access tokens, kept in memory by the gateway and by every service: sign-ins
 * (`sid`) ended by sign-out, a password change or reset, a refresh-token reuse or an account
 * change, and revoked service accounts. It polls identity-service's `/internal/revocations` every
 * `pollIntervalMs` from a timer (not from requests, so the first request after a quiet hour is
 * judged on a fresh list), so a revocation stops its tokens everywhere within about two polls.
 *
 * A poll, not an event consumer: the gateway has no broker connection, and a desk used while other
 * systems fail must stop a stolen token also while the broker is down. When identity-service does
 * not answer, tokens are judged on the list as last fetched, and `staleness()` says so for /health.
 */
export class RevocationFeed {
  private readonly sessions = new Map<string, number>();
  private readonly serviceAccounts = new Map<string, number>();
  private since: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private lastSuccess = 0;
  private lastWarning = 0;

  constructor(private readonly options: RevocationFeedOptions) {}

  /** Polls now and every `pollIntervalMs`; safe to call again. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollSoon(), this.options.pollIntervalMs ?? 1_000);
    this.timer.unref();
    void this.pollSoon();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
  }

  private pollSoon(): Promise<void> {
    this.polling ??= this.poll()
      .catch((error: unknown) => {
        // Once a minute while it lasts, not once a poll.
        if (Date.now() - this.lastWarning < 60_000) return;
        this.lastWarning = Date.now();
        this.options.logger.warn({ err: error }, 'could not fetch revoked sign-ins from identity-service; tokens are judged on the list as last fetched; will retry');
      })
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  /** Fetches the entries made since the last poll (less an overlap). Exposed for tests. */
  async poll(): Promise<void> {
    let newest = this.since;
    for await (const page of internalListing({
      baseUrl: this.options.identityUrl,
      path: '/internal/revocations',
      item: revocationSchema,
      token: this.options.internalToken,
      updatedSince: this.since,
      timeoutMs: 5_000,
    })) {
      for (const entry of page) {
        this.add(entry);
        if (newest === null || entry.revokedAt > newest) newest = entry.revokedAt;
      }
    }
    if (newest !== null) this.since = new Date(Date.parse(newest) - OVERLAP_MS).toISOString();
    this.lastSuccess = Date.now();
    this.lastWarning = 0;
    this.forgetOld();
  }

  private add(entry: Revocation): void {
    (entry.kind === 'session' ? this.sessions : this.serviceAccounts).set(entry.id, Date.parse(entry.revokedAt));
  }

  private forgetOld(): void {
    const horizon = Date.now() - KEEP_MS;
    for (const map of [this.sessions, this.serviceAccounts]) for (const [id, at] of map) if (at < horizon) map.delete(id);
  }

  /** Why a token is revoked, or undefined: its sign-in ended, or its service account was revoked. */
  reasonFor(caller: Caller): string | undefined {
    if (caller.sessionId !== null && this.sessions.has(caller.sessionId)) return 'this sign-in has ended (signed out or revoked); sign in again';
    if (caller.kind === 'service' && this.serviceAccounts.has(caller.id)) return 'the service account has been revoked';
    return undefined;
  }

  /** The feed as a CallerCheck; starts polling on first use if `start()` was not called. */
  readonly check: CallerCheck = (caller) => {
    if (!this.timer) this.start();
    return Promise.resolve(this.reasonFor(caller));
  };

  /** Seconds since identity-service last answered, or undefined before it ever did. */
  staleness(): number | undefined {
    return this.lastSuccess ? Math.round((Date.now() - this.lastSuccess) / 1000) : undefined;
  }
}

/** Refuses a caller when any of the checks does, with the first reason given. */
export function allChecks(...checks: CallerCheck[]): CallerCheck {
  return async (caller) => {
    for (const check of checks) {
      const reason = await check(caller);
      if (reason) return reason;
    }
    return undefined;
  };
}

import { accountChangeReason, type Caller, type CallerCheck } from '@desk/auth';
import { pageSchema, userSchema, type User } from '@desk/contracts';
import type { Logger } from 'pino';

export interface AccountChangesOptions {
  identityUrl: string;
  internalToken?: string | undefined;
  logger: Logger;
  pollIntervalMs: number;
  /** Only changes this recent matter: older ones concern tokens that have expired anyway. */
  windowMs: number;
}

const usersPage = pageSchema(userSchema);
const MARGIN_MS = 60_000;

/**
 * What the gateway knows about accounts changed recently, so that a token issued before a user
 * was deactivated, or before their role or department changed, stops working within seconds
 * rather than at its expiry. It polls identity-service's `/internal/users?updatedSince=` (an
 * index range scan there) every couple of seconds; each gateway replica keeps its own copy, so
 * replicas need no shared state.
 */
export class AccountChanges {
  private readonly changed = new Map<string, User>();
  private since: string;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private lastSuccess = 0;

  constructor(private readonly options: AccountChangesOptions) {
    this.since = new Date(Date.now() - options.windowMs - MARGIN_MS).toISOString();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollSoon(), this.options.pollIntervalMs);
    this.timer.unref();
    void this.pollSoon();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  private pollSoon(): Promise<void> {
    this.polling ??= this.poll()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'could not fetch account changes from identity-service; will retry'))
      .finally(() => {
        this.polling = null;
      });
    return this.polling;
  }

  /** Fetches every change since the last one seen. Exposed for tests. */
  async poll(): Promise<void> {
    const headers: Record<string, string> = this.options.internalToken ? { Authorization: `Bearer ${this.options.internalToken}` } : {};
    let cursor: string | null = null;
    let newest = this.since;
    do {
      const url = new URL('/internal/users', this.options.identityUrl);
      url.searchParams.set('updatedSince', this.since);
      url.searchParams.set('limit', '1000');
      if (cursor) url.searchParams.set('cursor', cursor);
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(5_000) });
      if (!response.ok) throw new Error(`identity-service answered ${response.status} to GET /internal/users`);
      const page = usersPage.parse(await response.json());
      for (const user of page.items) {
        this.changed.set(user.id, user);
        if (user.updatedAt > newest) newest = user.updatedAt;
      }
      cursor = page.nextCursor;
    } while (cursor);
    this.since = newest;
    this.lastSuccess = Date.now();
    this.forgetOld();
  }

  private forgetOld(): void {
    const horizon = Date.now() - this.options.windowMs - MARGIN_MS;
    for (const [id, user] of this.changed) if (Date.parse(user.updatedAt) < horizon) this.changed.delete(id);
  }

  /** Refuses a token whose user changed since it was issued, in a way the token does not show. */
  readonly check: CallerCheck = (caller: Caller) => {
    if (caller.kind !== 'user') return Promise.resolve(undefined);
    const user = this.changed.get(caller.id);
    if (!user || Date.parse(user.updatedAt) < caller.issuedAt.getTime() - 1000) return Promise.resolve(undefined);
    return Promise.resolve(accountChangeReason(caller, user));
  };

  /** Seconds since identity-service last answered, for /health. */
  staleness(): number | undefined {
    return this.lastSuccess ? Math.round((Date.now() - this.lastSuccess) / 1000) : undefined;
  }
}

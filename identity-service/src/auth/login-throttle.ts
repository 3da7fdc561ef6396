import type { Knex } from 'knex';

/**
 * How failed sign-ins are slowed. Three counters, each over a rolling 15-minute window:
 * - one account from one address: the guessing attacker; locks early and grows to 15 minutes;
 * - one account from anywhere: a distributed guess; locks later and for at most a minute, so an
 *   attacker can never lock the real user out for long;
 * - one address for any account: password spraying; generous, since offices share addresses.
 * A lock lasts 2^(failures - threshold) seconds, capped.
 */
interface CounterPolicy {
  prefix: 'account-address' | 'account' | 'address';
  threshold: number;
  maxLockSeconds: number;
}

const POLICIES: CounterPolicy[] = [
  { prefix: 'account-address', threshold: 5, maxLockSeconds: 15 * 60 },
  { prefix: 'account', threshold: 10, maxLockSeconds: 60 },
  { prefix: 'address', threshold: 30, maxLockSeconds: 15 * 60 },
];

const WINDOW_SECONDS = 15 * 60;

function keysFor(email: string, address: string): { key: string; policy: CounterPolicy }[] {
  const account = email.trim().toLowerCase();
  return POLICIES.map((policy) => {
    const subject = policy.prefix === 'account' ? account : policy.prefix === 'address' ? address : `${account}|${address}`;
    return { key: `${policy.prefix}:${subject}`, policy };
  });
}

export class LoginThrottle {
  constructor(private readonly db: Knex) {}

  /** Seconds until a sign-in for this account from this address may be tried, or 0. */
  async retryAfterSeconds(email: string, address: string): Promise<number> {
    const rows = await this.db('login_throttle')
      .select<{ seconds: number }[]>(this.db.raw('ceil(extract(epoch from (locked_until - now())))::int as seconds'))
      .whereIn('key', keysFor(email, address).map(({ key }) => key))
      .where('locked_until', '>', this.db.fn.now());
    return rows.reduce((longest, row) => Math.max(longest, row.seconds), 0);
  }

  async recordFailure(email: string, address: string): Promise<void> {
    for (const { key, policy } of keysFor(email, address)) {
      // A window older than WINDOW_SECONDS starts over at one failure.
      const result = await this.db.raw<{ rows: { failures: number }[] }>(
        `insert into login_throttle (key, failures, window_started_at)
         values (?, 1, now())
         on conflict (key) do update set
           failures = case when login_throttle.window_started_at < now() - make_interval(secs => ?)
                           then 1 else login_throttle.failures + 1 end,
           window_started_at = case when login_throttle.window_started_at < now() - make_interval(secs => ?)
                                    then now() else login_throttle.window_started_at end
         returning failures`,
        [key, WINDOW_SECONDS, WINDOW_SECONDS],
      );
      const failures = result.rows[0]!.failures;
      if (failures >= policy.threshold) {
        const lockSeconds = Math.min(policy.maxLockSeconds, 2 ** (failures - policy.threshold));
        await this.db('login_throttle')
          .where({ key })
          .update({ locked_until: this.db.raw('now() + make_interval(secs => ?)', [lockSeconds]) });
      }
    }
  }

  /** A successful sign-in clears this account's counters for this address. */
  async recordSuccess(email: string, address: string): Promise<void> {
    const [pair] = keysFor(email, address);
    await this.db('login_throttle').where('key', pair!.key).delete();
  }

  /** Drops counters whose window ended long ago. */
  async prune(): Promise<number> {
    return this.db('login_throttle')
      .where('window_started_at', '<', this.db.raw('now() - interval \'1 day\''))
      .andWhere((query) => query.whereNull('locked_until').orWhere('locked_until', '<', this.db.fn.now()))
      .delete();
  }
}

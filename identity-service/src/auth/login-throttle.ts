import type { Knex } from 'knex';

/**
 * How sign-in attempts are slowed. Three budgets, each a leaky bucket:
 * - one account from one address: the guessing attacker; 5 attempts, one more every 3 minutes;
 * - one account from anywhere: a distributed guess; 10 attempts, one more every minute, so an
 *   attacker can never keep the real user out for longer than a minute after they stop;
 * - one address for any account: password spraying; 30 attempts, one more every 30 s, since
 *   offices share addresses.
 *
 * Every attempt takes one unit from each of its buckets before the password is looked at, in one
 * transaction whose row locks serialise parallel attempts on the same bucket: forty guesses sent
 * at once meet the same count one after another, and at most `capacity` of them go on to be
 * verified. A failure keeps its unit; a success gives it back (and empties the account-and-address
 * bucket). Units drain one per `refillSeconds` — they never all come back at once at the end of a
 * window, so a patient attacker gets one guess per interval, not a fresh burst every quarter hour.
 */
interface BucketPolicy {
  prefix: 'account-address' | 'account' | 'address';
  capacity: number;
  refillSeconds: number;
}

const POLICIES: BucketPolicy[] = [
  { prefix: 'account-address', capacity: 5, refillSeconds: 180 },
  { prefix: 'account', capacity: 10, refillSeconds: 60 },
  { prefix: 'address', capacity: 30, refillSeconds: 30 },
];

function bucketsFor(email: string, address: string): { key: string; policy: BucketPolicy }[] {
  const account = email.trim().toLowerCase();
  return POLICIES.map((policy) => {
    const subject = policy.prefix === 'account' ? account : policy.prefix === 'address' ? address : `${account}|${address}`;
    return { key: `${policy.prefix}:${subject}`, policy };
  });
}

// The bucket's level now: `failures` as counted at `window_started_at`, less one per refill
// interval since. (The columns keep the names of the first, fixed-window design.)
const LEVEL = `greatest(0, login_throttle.failures - floor(extract(epoch from (now() - login_throttle.window_started_at)) / ?)::int)`;
// Where the next refill is counted from: the partial interval already elapsed is kept.
const ANCHOR = `case when ${LEVEL} = 0 then now()
  else login_throttle.window_started_at + make_interval(secs => floor(extract(epoch from (now() - login_throttle.window_started_at)) / ?) * ?) end`;

/** The outcome of asking for an attempt: go ahead, or wait this long. */
export type AttemptReservation = { granted: true } | { granted: false; retryAfterSeconds: number };

export class AttemptRefusedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`sign-in attempts exhausted; retry in ${retryAfterSeconds} s`);
  }
}

export class LoginThrottle {
  constructor(private readonly db: Knex) {}

  /**
   * Takes one attempt from each of this sign-in's buckets, all or none, in one transaction. The
   * decision and the count are the same statement per bucket (an upsert whose update applies only
   * while the bucket has room), so no two parallel attempts can both see the last free unit.
   */
  async reserveAttempt(email: string, address: string): Promise<AttemptReservation> {
    // A fixed order of keys, so two attempts sharing buckets never wait on each other in a cycle.
    const buckets = bucketsFor(email, address).sort((a, b) => a.key.localeCompare(b.key));
    try {
      await this.db.transaction(async (trx) => {
        for (const { key, policy } of buckets) {
          const result = await trx.raw<{ rows: { failures: number }[] }>(
            `insert into login_throttle (key, failures, window_started_at)
             values (?, 1, now())
             on conflict (key) do update set
               failures = ${LEVEL} + 1,
               window_started_at = ${ANCHOR},
               locked_until = null
             where ${LEVEL} < ?
             returning failures`,
            [key, policy.refillSeconds, policy.refillSeconds, policy.refillSeconds, policy.refillSeconds, policy.refillSeconds, policy.capacity],
          );
          if (result.rows.length === 0) throw new AttemptRefusedError(await this.secondsUntilRoom(trx, key, policy));
        }
      });
      return { granted: true };
    } catch (error) {
      if (error instanceof AttemptRefusedError) return { granted: false, retryAfterSeconds: error.retryAfterSeconds };
      throw error;
    }
  }

  /** Seconds until the full bucket `key` has room for one more attempt. */
  private async secondsUntilRoom(trx: Knex.Transaction, key: string, policy: BucketPolicy): Promise<number> {
    const row = await trx('login_throttle')
      .select<{ seconds: number }>(
        trx.raw(
          `ceil(extract(epoch from (
             window_started_at + make_interval(secs => (failures - ? + 1) * ?) - now()
           )))::int as seconds`,
          [policy.capacity, policy.refillSeconds],
        ),
      )
      .where({ key })
      .first();
    return Math.max(1, row?.seconds ?? 1);
  }

  /**
   * A sign-in succeeded: the account-and-address bucket empties (the person is who they say),
   * and the attempt's unit goes back to the other two.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    const [pair, ...shared] = bucketsFor(email, address);
    await this.db.transaction(async (trx) => {
      await trx('login_throttle').where('key', pair!.key).delete();
      for (const { key } of shared) {
        await trx('login_throttle').where({ key }).where('failures', '>', 0).decrement('failures', 1);
      }
    });
  }

  /** Drops buckets that have long drained. */
  async prune(): Promise<number> {
    return this.db('login_throttle').where('window_started_at', '<', this.db.raw("now() - interval '1 day'")).delete();
  }
}

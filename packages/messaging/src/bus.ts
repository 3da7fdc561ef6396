import type { AnyEvent, EventEnvelope, EventType } from '@desk/contracts';

/** What a handler learns about the delivery besides the event itself. */
export interface DeliveryInfo {
  /** The consuming service that received it. */
  consumer: string;
  /** 1 on the first delivery, 2 on the first retry, and so on. */
  attempt: number;
}

export type EventHandler<T extends EventType = EventType> = (
  event: EventEnvelope<T>,
  delivery: DeliveryInfo,
) => Promise<void>;

/** One handler per event type a consumer wants; the bus binds the consumer to exactly these types. */
export type EventHandlers = { [T in EventType]?: EventHandler<T> };

export interface SubscribeOptions {
  /** How many events of this consumer may be in its handlers at once. */
  prefetch?: number;
  /**
   * Where an event that cannot be handled is set aside: the consumer's parking lot (its own
   * database, `ParkingLot.park`), where an admin sees it and replays it. When it fails, or is not
   * given, the event goes to the bus's dead-letter queue instead.
   */
  park?: (letter: DeadLetter) => Promise<void>;
  /** Told what became of each delivery, for the consumer's metrics (`eventMetrics`). */
  onOutcome?: (outcome: DeliveryOutcomeKind, type: string | null) => void;
}

/** What became of one delivery: handled, retried (an attempt failed), waited (`NotYetError`) or parked. */
export type DeliveryOutcomeKind = 'handled' | 'retried' | 'waited' | 'parked';

/** An event that could not be handled and was set aside with the reason. */
export interface DeadLetter {
  consumer: string;
  eventId: string | null;
  type: string | null;
  reason: string;
  attempts: number;
  /** When its first attempt failed (the dead-lettering time when it failed once only). */
  firstFailedAt: string;
  deadLetteredAt: string;
  /** The message body as it arrived. */
  body: string;
}

export interface BusHealth {
  status: 'up' | 'down';
  detail?: string;
}

/**
 * The platform's event bus. Delivery is at least once: a handler may see an event more than once
 * (make it idempotent, see `withInbox`), a handler that throws is retried with backoff and after
 * `maxAttempts` the event is dead-lettered, and an event that does not match its schema is
 * dead-lettered at once. A message is acknowledged only after its handler's promise resolved,
 * that is after the handler's transaction committed.
 */
export interface EventBus {
  /**
   * Resolves once the bus has taken responsibility for the event (RabbitMQ: publisher confirm).
   * Rejects with `PublishError` when it did not: no queue is bound for the type, the broker
   * refused it or did not confirm in time, or the bus is not connected.
   */
  publish(event: AnyEvent | EventEnvelope): Promise<void>;
  /** Declares the consumer's durable queue bound to the handlers' types and starts consuming. */
  subscribe(consumer: string, handlers: EventHandlers, options?: SubscribeOptions): Promise<void>;
  /** Reads up to `limit` dead letters of a consumer without removing them. */
  deadLetters(consumer: string, limit?: number): Promise<DeadLetter[]>;
  /**
   * Delivers a message body to one consumer only, as a first attempt (a replay of a parked
   * event): RabbitMQ, straight to its queue; the consumer's inbox drops it if it was handled.
   */
  redeliver(consumer: string, body: string): Promise<void>;
  health(): BusHealth;
  /**
   * Whether a publish can go out now: connected for publishing, and not blocked by the broker. The
   * outbox relay waits while it is false, without spending attempts.
   */
  canPublish(): boolean;
  /** Stops consuming, waits for handlers in flight (bounded), and releases connections. */
  close(): Promise<void>;
}

export type PublishFailure = 'unroutable' | 'nacked' | 'not-connected' | 'timeout' | 'closed';

export class PublishError extends Error {
  constructor(
    readonly failure: PublishFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PublishError';
  }
}

/**
 * Thrown by a handler that cannot handle the event *yet* through no fault of the event (a replica
 * that has not caught up with a person it names, say): it is retried later without spending one
 * of its attempts, up to `MAX_WAITS` times, after which waiting counts as failing.
 */
export class NotYetError extends Error {
  readonly notYet = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotYetError';
  }
}

/** How many times an event may wait (`NotYetError`) before its waits count as failed attempts. */
export const MAX_WAITS = 20;

export function isNotYet(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { notYet?: unknown }).notYet === true;
}

export interface DeliveryPolicy {
  /** Deliveries of one event before it is dead-lettered (1 means no retry). At most 15. */
  maxAttempts: number;
  /** Delay before redelivering after the given failed attempt (1-based). */
  retryDelayMs(attempt: number): number;
}

/**
 * Exponential backoff with ±20 % jitter: 200 ms, 400 ms, 800 ms … capped at `maxDelayMs`, so a
 * failing handler (a database restarting, say) is not hammered and replicas do not retry in step.
 */
export function exponentialBackoff(baseDelayMs = 200, maxDelayMs = 30_000): (attempt: number) => number {
  return (attempt) => {
    const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  };
}

/** Fixed delays, one per retry (the last repeats): the same message waits the same, on any bus. */
export function retryTiers(delaysMs: readonly number[]): (attempt: number) => number {
  return (attempt) => delaysMs[Math.min(delaysMs.length, Math.max(1, attempt)) - 1]!;
}

/**
 * Retries that outlast real outages: three quick ones (200 ms, 1 s, 5 s), then 10 s, 1 min,
 * 5 min, 30 min and 2 h, about 2 h 37 min in all, before an event is set aside. On RabbitMQ a
 * retry waits in a delay queue, not in a consumer's prefetch.
 */
export const DEFAULT_RETRY_DELAYS_MS = [200, 1_000, 5_000, 10_000, 60_000, 300_000, 1_800_000, 7_200_000] as const;

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: DEFAULT_RETRY_DELAYS_MS.length + 1,
  retryDelayMs: retryTiers(DEFAULT_RETRY_DELAYS_MS),
};

/** Hard ceiling on `maxAttempts`: RabbitMQ's own delivery limit on the queues sits above it. */
export const MAX_ATTEMPTS_CEILING = 15;

export function validatePolicy(policy: DeliveryPolicy): DeliveryPolicy {
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1 || policy.maxAttempts > MAX_ATTEMPTS_CEILING) {
    throw new Error(`maxAttempts must be an integer from 1 to ${MAX_ATTEMPTS_CEILING}, got ${policy.maxAttempts}`);
  }
  return policy;
}

import { contextOf, exchangeFor, type AnyEvent, type EventEnvelope, type EventType } from '@desk/contracts';
import type { Logger } from 'pino';
import {
  DEFAULT_DELIVERY_POLICY,
  PublishError,
  validatePolicy,
  type BusHealth,
  type DeadLetter,
  type DeliveryPolicy,
  type EventBus,
  type EventHandlers,
  type SubscribeOptions,
} from './bus.js';
import { handleDelivery, outcomeKind, typeOfBody } from './dispatch.js';
import { publishSpan, traceHeaders } from './trace-context.js';

/** `messaging.system` of the in-process bus's spans (no broker: a custom value, as the conventions allow). */
const IN_PROCESS_SYSTEM = 'in_process';

interface QueuedMessage {
  body: string;
  headers: Record<string, string>;
  attempt: number;
  waits: number;
  firstFailedAt?: string;
  /** The exchange it would have gone through on RabbitMQ (`incident.events`), for its spans. */
  exchange?: string;
}

const DEFAULT_PREFETCH = 16;

/** One consumer's queue: a FIFO of serialized messages drained by up to `prefetch` handlers. */
class InProcessQueue {
  private readonly pending: QueuedMessage[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  readonly deadLetters: DeadLetter[] = [];
  private stopped = false;

  constructor(
    readonly consumer: string,
    readonly types: ReadonlySet<string>,
    private readonly handlers: EventHandlers,
    private readonly prefetch: number,
    private readonly policy: DeliveryPolicy,
    private readonly logger: Logger,
    private readonly park?: (letter: DeadLetter) => Promise<void>,
    private readonly onOutcome?: SubscribeOptions['onOutcome'],
  ) {}

  enqueue(message: QueuedMessage): void {
    this.pending.push(message);
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.prefetch && this.pending.length > 0) {
      const message = this.pending.shift()!;
      const work = this.deliver(message).finally(() => {
        this.inFlight.delete(work);
        this.pump();
      });
      this.inFlight.add(work);
    }
  }

  private async deliver(message: QueuedMessage): Promise<void> {
    const outcome = await handleDelivery(
      { consumer: this.consumer, body: message.body, attempt: message.attempt, waits: message.waits, headers: message.headers, system: IN_PROCESS_SYSTEM, ...(message.exchange ? { exchange: message.exchange } : {}) },
      this.handlers,
      this.policy,
      this.logger,
    ).catch((error: unknown) => ({
      kind: 'retry' as const,
      delayMs: this.policy.retryDelayMs(message.attempt),
      reason: error instanceof Error ? error.message : String(error),
      counted: true,
    }));
    this.onOutcome?.(outcomeKind(outcome), typeOfBody(message.body));
    if (outcome.kind === 'retry') {
      // Like a nack with requeue: the message goes to the back of the queue after the delay,
      // and other messages keep flowing meanwhile.
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        const firstFailedAt = message.firstFailedAt ?? new Date().toISOString();
        this.enqueue(outcome.counted ? { ...message, attempt: message.attempt + 1, firstFailedAt } : { ...message, waits: message.waits + 1, firstFailedAt });
      }, outcome.delayMs);
      this.retryTimers.add(timer);
    } else if (outcome.kind === 'dead-letter') {
      const now = new Date().toISOString();
      const letter: DeadLetter = {
        consumer: this.consumer,
        eventId: outcome.eventId,
        type: outcome.type,
        reason: outcome.reason,
        attempts: message.attempt,
        firstFailedAt: message.firstFailedAt ?? now,
        deadLetteredAt: now,
        body: message.body,
      };
      try {
        if (!this.park) throw new Error('no parking lot');
        await this.park(letter);
      } catch (error) {
        if (this.park) this.logger.error({ err: error, consumer: this.consumer, eventId: outcome.eventId }, 'could not park an event; keeping it as a dead letter');
        this.deadLetters.push(letter);
      }
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timeout = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timeout);
  }
}

export interface InProcessEventBusOptions {
  logger: Logger;
  policy?: DeliveryPolicy;
  /** How long `close()` waits for handlers in flight. */
  closeTimeoutMs?: number;
}

/**
 * The event bus inside one process, for the standalone mode and fast tests. It keeps the
 * RabbitMQ bus's semantics — every message is serialized, consumers are bound to types, a publish
 * nobody is bound to is refused, handlers are retried with backoff and then dead-lettered — but
 * it holds messages in memory: what was accepted and not yet handled is gone if the process dies.
 */
export class InProcessEventBus implements EventBus {
  private readonly queues = new Map<string, InProcessQueue>();
  private readonly policy: DeliveryPolicy;
  private closed = false;

  constructor(private readonly options: InProcessEventBusOptions) {
    this.policy = validatePolicy(options.policy ?? DEFAULT_DELIVERY_POLICY);
  }

  publish(event: AnyEvent | EventEnvelope): Promise<void> {
    if (this.closed) return Promise.reject(new PublishError('closed', 'the event bus is closed'));
    const targets = [...this.queues.values()].filter((queue) => queue.types.has(event.type));
    if (targets.length === 0) {
      return Promise.reject(
        new PublishError('unroutable', `no consumer is bound to "${event.type}"; is the consuming service running?`),
      );
    }
    const body = JSON.stringify(event);
    const exchange = exchangeFor(contextOf(event.type));
    return publishSpan({ system: IN_PROCESS_SYSTEM, exchange, routingKey: event.type, event, bodySize: Buffer.byteLength(body) }, () => {
      const headers = { ...(event.traceparent ? { traceparent: event.traceparent } : {}), ...traceHeaders() };
      for (const queue of targets) queue.enqueue({ body, headers, attempt: 1, waits: 0, exchange });
      return Promise.resolve();
    });
  }

  subscribe(consumer: string, handlers: EventHandlers, options: SubscribeOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the event bus is closed'));
    if (this.queues.has(consumer)) return Promise.reject(new Error(`"${consumer}" is already subscribed`));
    const types = new Set(Object.keys(handlers) as EventType[]);
    if (types.size === 0) return Promise.reject(new Error(`"${consumer}" subscribed with no handlers`));
    this.queues.set(
      consumer,
      new InProcessQueue(consumer, types, handlers, options.prefetch ?? DEFAULT_PREFETCH, this.policy, this.options.logger, options.park, options.onOutcome),
    );
    return Promise.resolve();
  }

  redeliver(consumer: string, body: string): Promise<void> {
    const queue = this.queues.get(consumer);
    if (!queue) return Promise.reject(new PublishError('unroutable', `"${consumer}" is not subscribed to this bus`));
    queue.enqueue({ body, headers: {}, attempt: 1, waits: 0 });
    return Promise.resolve();
  }

  /** The event types a consumer is bound to (its handlers' types); undefined when it is not subscribed. */
  boundTypes(consumer: string): EventType[] | undefined {
    const queue = this.queues.get(consumer);
    return queue ? ([...queue.types] as EventType[]).sort() : undefined;
  }

  deadLetters(consumer: string, limit = 100): Promise<DeadLetter[]> {
    return Promise.resolve((this.queues.get(consumer)?.deadLetters ?? []).slice(0, limit));
  }

  health(): BusHealth {
    return this.closed ? { status: 'down', detail: 'event bus closed' } : { status: 'up' };
  }

  canPublish(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    await Promise.all([...this.queues.values()].map((queue) => queue.stop(timeoutMs)));
  }
}

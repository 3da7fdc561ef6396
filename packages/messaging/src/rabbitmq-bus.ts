import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import {
  PUBLISHING_CONTEXTS,
  contextOf,
  exchangeFor,
  isEventType,
  type AnyEvent,
  type EventEnvelope,
  type EventType,
} from '@desk/contracts';
import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  type Message,
  type RecoveringChannelModel,
} from 'amqplib';
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
import { errorMessage, handleDelivery, outcomeKind, typeOfBody, type DeliveryOutcome } from './dispatch.js';
import { publishSpan, traceHeaders } from './trace-context.js';

/**
 * RabbitMQ's own ceiling on deliveries of one message, above the bus's `maxAttempts`: it catches
 * a message that crashes the consumer process before the bus can count the failure.
 *
 * WARNING: queue arguments are fixed when a queue is declared. Changing this (or any argument in
 * `declareConsumerTopology`) makes the next declaration fail with PRECONDITION_FAILED until the
 * queue is migrated (a new queue name, or a policy instead of arguments).
 */
const QUEUE_DELIVERY_LIMIT = 20;
const DEFAULT_PREFETCH = 16;
const CONTENT_TYPE = 'application/cloudevents+json';
const PUBLISH_ID_HEADER = 'x-publish-id';
/**
 * The attempt at an event a message is, and how often it waited (`NotYetError`), counted by the
 * bus itself: RabbitMQ's `delivery-count` is not (from 4.3 a `basic.nack` no longer counts), so
 * a retry is a new message carrying its count, published to a delay queue before the delivery
 * it replaces is acknowledged.
 */
const ATTEMPT_HEADER = 'x-desk-attempt';
const WAITS_HEADER = 'x-desk-waits';
/** When the event's first attempt failed, carried from retry to retry. */
const FIRST_FAILED_HEADER = 'x-desk-first-failed-at';
/** Headers the broker adds as a message passes through a delay queue; not carried into a retry. */
const BROKER_HEADERS = /^x-(death|first-death-|last-death-|delivery-count$|publish-id$)/;

/**
 * A delay queue's TTL, to two significant digits (1,234 ms → 1,200 ms): one queue per delay,
 * and jittered delays do not make a queue each.
 */
export function delayQueueTtl(delayMs: number): number {
  if (delayMs < 100) return Math.max(1, Math.round(delayMs));
  const unit = 10 ** (Math.floor(Math.log10(delayMs)) - 1);
  return Math.round(delayMs / unit) * unit;
}

/**
 * Heartbeats every 4 s. amqplib checks for incoming traffic once per interval and gives up after
 * two silent checks, so a link that went half-open (no FIN, no RST) is noticed within three
 * intervals, 12 s at most, instead of the broker's default 60 s (about 3 min).
 */
const DEFAULT_HEARTBEAT_SECONDS = 4;

/** The AMQP URL with `heartbeat` set, unless it sets one itself. */
export function withHeartbeat(url: string, seconds: number): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('heartbeat')) parsed.searchParams.set('heartbeat', String(seconds));
  return parsed.toString();
}

/** The broker user a connection signs in as: the URL's, else amqplib's default. */
export function brokerUserOf(url: string): string {
  return decodeURIComponent(new URL(url).username) || 'guest';
}

function countHeader(value: unknown, fallback: number): number {
  const count = Number(value);
  return Number.isInteger(count) && count >= 0 ? count : fallback;
}

export interface RabbitMqEventBusOptions {
  url: string;
  logger: Logger;
  /** Names this process in the broker's connection list. */
  connectionName: string;
  policy?: DeliveryPolicy;
  /** Prefix for every exchange and queue name: isolates environments sharing one broker. */
  namespace?: string;
  /** AMQP heartbeat; default 4 s. A `heartbeat` in the URL takes precedence. */
  heartbeatSeconds?: number;
  /** How long a publish waits for the broker's confirm. */
  confirmTimeoutMs?: number;
  /** How long `close()` waits for handlers in flight. */
  closeTimeoutMs?: number;
  /** Reconnect backoff bounds. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
}

interface Subscription {
  consumer: string;
  handlers: EventHandlers;
  park: ((letter: DeadLetter) => Promise<void>) | undefined;
  onOutcome: SubscribeOptions['onOutcome'];
  types: EventType[];
  prefetch: number;
  channel: Channel | null;
  consumerTag: string | null;
}

interface PendingPublish {
  returned: boolean;
}

/**
 * One of the bus's two connections, and what is known of it. Publishing and consuming do not
 * share a connection: RabbitMQ blocks a publishing connection under a memory or disk alarm, and
 * a consumer on it could then not even acknowledge; a consumer's trouble never reaches publishing.
 */
interface Link {
  role: 'publish' | 'consume';
  connection: RecoveringChannelModel;
  model: ChannelModel | null;
  connected: boolean;
  /** Why RabbitMQ is blocking this connection's publishes (a resource alarm), while it does. */
  blocked: string | null;
  lastError: string | undefined;
}

/**
 * The event bus on RabbitMQ (amqplib with its connection recovery).
 *
 * Topology: each publishing context has a durable topic exchange (`incident.events`) and the
 * routing key is the event type. Each consuming service has one durable quorum queue bound to
 * the types it handles, with its own dead-letter exchange and queue (`<consumer>.dlx`,
 * `<consumer>.dead-letter`).
 *
 * Publishing uses a confirm channel and `mandatory`: a message counts as sent only when the
 * broker confirmed it and did not return it as unroutable (the return always precedes the ack,
 * https://www.rabbitmq.com/docs/confirms#when-publishes-are-confirmed).
 *
 * Consuming acks only after the handler resolved. A failed handler's message is republished, with
 * its attempt counted in a header of the bus's own (`x-desk-attempt`), to the consumer's delay
 * queue for the policy's delay (`<consumer>.retry.<ms>ms`, whose TTL dead-letters it back to the
 * consumer's queue), then acked: the same on RabbitMQ 3 and 4, and no prefetch slot is held while
 * it waits. After `maxAttempts` it is republished to the dead-letter exchange with the reason,
 * then acked.
 * A message whose channel died while its handler ran is not acked (its tag is meaningless on the
 * next channel); the broker redelivers it and the consumer's inbox drops the repeat.
 */
export class RabbitMqEventBus implements EventBus {
  private readonly policy: DeliveryPolicy;
  /**
   * The broker user this bus signs in as. Every message it publishes carries it as `user-id`,
   * which RabbitMQ checks against the connection's own user (a publisher cannot claim another).
   */
  private readonly brokerUser: string;
  private readonly namespace: string;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pendingPublishes = new Map<string, PendingPublish>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  /** Delay queues declared on the current connection. */
  private readonly delayQueues = new Set<string>();
  private publishChannel: ConfirmChannel | null = null;
  private closing = false;
  private readonly publishing: Link;
  private readonly consuming: Link;

  private constructor(
    private readonly options: RabbitMqEventBusOptions,
    connections: { publish: RecoveringChannelModel; consume: RecoveringChannelModel },
  ) {
    this.policy = validatePolicy(options.policy ?? DEFAULT_DELIVERY_POLICY);
    this.namespace = options.namespace ?? '';
    this.brokerUser = brokerUserOf(options.url);
    const link = (role: Link['role'], connection: RecoveringChannelModel): Link => ({ role, connection, model: null, connected: false, blocked: null, lastError: undefined });
    this.publishing = link('publish', connections.publish);
    this.consuming = link('consume', connections.consume);
  }

  /**
   * Opens a connection that keeps reconnecting with backoff. Returns at once: publishes fail
   * with `not-connected` until the first connection, and subscriptions start when it comes.
   * Use `waitUntilConnected` where start-up should wait for the broker.
   */
  static async connect(options: RabbitMqEventBusOptions): Promise<RabbitMqEventBus> {
    // The recovery set-up needs the bus, and the bus needs the connections.
    const holder: { bus?: RabbitMqEventBus } = {};
    const open = (role: Link['role'], setup: (bus: RabbitMqEventBus, model: ChannelModel) => Promise<void>) =>
      amqp.connect(withHeartbeat(options.url, options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS), {
        clientProperties: { connection_name: `${options.connectionName} (${role})` },
        recovery: {
          waitForConnect: false,
          initialDelay: options.reconnect?.initialDelayMs ?? 200,
          // At most 5 s between attempts: after an outage the backlog starts draining within seconds.
          maxDelay: options.reconnect?.maxDelayMs ?? 5_000,
          maxRetries: Infinity,
          // Runs after every (re)connect, before the connection is handed out: rebuild the
          // publish channel, or every consumer, on the new connection.
          setup: (model: ChannelModel) => setup(holder.bus!, model),
        },
      });
    const publish = await open('publish', (bus, model) => bus.onPublishConnected(model));
    const consume = await open('consume', (bus, model) => bus.onConsumeConnected(model));
    const bus = new RabbitMqEventBus(options, { publish, consume });
    holder.bus = bus;
    bus.watch(bus.publishing);
    bus.watch(bus.consuming);
    return bus;
  }

  private name(base: string): string {
    return `${this.namespace}${base}`;
  }

  private queueNames(consumer: string) {
    return {
      queue: this.name(consumer),
      deadLetterExchange: this.name(`${consumer}.dlx`),
      deadLetterQueue: this.name(`${consumer}.dead-letter`),
    };
  }

  private watch(link: Link): void {
    const logger = this.options.logger.child({ connection: link.role });
    const { connection } = link;
    connection.on('connect', () => {
      link.connected = true;
      link.lastError = undefined;
      logger.info(`connected to RabbitMQ (${link.role})`);
    });
    connection.on('disconnect', (error: Error) => {
      link.connected = false;
      link.model = null;
      link.blocked = null;
      if (link.role === 'publish') this.publishChannel = null;
      link.lastError = error.message;
      if (!this.closing) logger.warn({ err: error }, `lost the RabbitMQ ${link.role} connection; reconnecting`);
    });
    connection.on('connect-failed', (error: Error) => {
      link.lastError = error.message;
    });
    connection.on('reconnect-scheduled', ({ attempt, delay, error }: { attempt: number; delay: number; error: Error }) => {
      if (!this.closing) logger.warn({ attempt, delayMs: delay, reason: error.message }, 'RabbitMQ unreachable; retrying');
    });
    // A resource alarm (memory, disk): RabbitMQ holds this connection's publishes until it clears.
    // The relay waits meanwhile (health is down), instead of stacking up confirms that time out.
    connection.on('blocked', (reason: string) => {
      link.blocked = reason || 'a resource alarm';
      logger.warn({ reason }, 'RabbitMQ is blocking publishes; waiting until it unblocks');
    });
    connection.on('unblocked', () => {
      link.blocked = null;
      logger.info('RabbitMQ unblocked publishes');
    });
    // 'disconnect' reports the loss; the error itself is detail.
    connection.on('error', (error: Error) => logger.debug({ err: error }, 'RabbitMQ connection error'));
    connection.on('handler-error', (error: Error) => logger.error({ err: error }, 'error in a RabbitMQ event listener'));
  }

  async waitUntilConnected(timeoutMs = 30_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all([this.publishing, this.consuming].map((link) => (link.connected ? Promise.resolve() : once(link.connection, 'connect')))),
        new Promise((_, reject) => {
          timer = setTimeout(() => {
            const lastError = this.publishing.lastError ?? this.consuming.lastError;
            reject(new Error(`RabbitMQ not reachable within ${timeoutMs} ms${lastError ? `: ${lastError}` : ''}`));
          }, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async onPublishConnected(model: ChannelModel): Promise<void> {
    this.delayQueues.clear();
    await this.openPublishChannel(model);
    this.publishing.model = model;
  }

  private async onConsumeConnected(model: ChannelModel): Promise<void> {
    this.consuming.model = model;
    // One consumer that cannot start (its queue declared with other arguments, say) is retried on
    // its own; the connection and every other consumer go on.
    for (const subscription of this.subscriptions.values()) await this.startOrRetry(subscription, model);
  }

  private async startOrRetry(subscription: Subscription, model: ChannelModel): Promise<void> {
    try {
      await this.startConsumer(subscription, model);
    } catch (error) {
      this.options.logger.error({ err: error, consumer: subscription.consumer, retryInMs: 1_000 }, 'could not start consumer; will try again');
      this.restartConsumer(subscription, model, 1_000);
    }
  }

  private async openPublishChannel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('return', (message: Message) => {
      const publishId = message.properties.headers?.[PUBLISH_ID_HEADER] as string | undefined;
      const pending = publishId ? this.pendingPublishes.get(publishId) : undefined;
      if (pending) pending.returned = true;
    });
    channel.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'RabbitMQ publish channel error'));
    channel.on('close', () => {
      if (this.publishChannel === channel) this.publishChannel = null;
    });
    for (const context of PUBLISHING_CONTEXTS) {
      await channel.assertExchange(this.name(exchangeFor(context)), 'topic', { durable: true });
    }
    this.publishChannel = channel;
    return channel;
  }

  private reopeningPublishChannel: Promise<ConfirmChannel> | null = null;

  private async getPublishChannel(): Promise<ConfirmChannel> {
    if (this.publishing.blocked) throw new PublishError('not-connected', `RabbitMQ is blocking publishes (${this.publishing.blocked})`);
    if (this.publishChannel) return this.publishChannel;
    const model = this.publishing.model;
    if (!model) throw new PublishError('not-connected', `not connected to RabbitMQ${this.publishing.lastError ? ` (${this.publishing.lastError})` : ''}`);
    // The channel closed under a live connection (a channel-level error): open another one.
    this.reopeningPublishChannel ??= this.openPublishChannel(model).finally(() => {
      this.reopeningPublishChannel = null;
    });
    return this.reopeningPublishChannel;
  }

  async publish(event: AnyEvent | EventEnvelope): Promise<void> {
    if (this.closing) throw new PublishError('closed', 'the event bus is closed');
    if (!isEventType(event.type)) throw new PublishError('unroutable', `unknown event type "${String(event.type)}"`);
    const exchange = this.name(exchangeFor(contextOf(event.type)));
    const content = Buffer.from(JSON.stringify(event));
    await publishSpan({ system: 'rabbitmq', exchange, routingKey: event.type, event, bodySize: content.length }, () =>
      this.publishTo(exchange, event.type, content, {
        messageId: event.id,
        type: event.type,
        appId: event.source,
        timestamp: Math.floor(Date.parse(event.time) / 1000),
        // The producer span's context: the consumer's `process` span becomes its child.
        headers: { ...(event.traceparent ? { traceparent: event.traceparent } : {}), ...traceHeaders() },
      }),
    );
  }

  private async publishTo(
    exchange: string,
    routingKey: string,
    content: Buffer,
    properties: amqp.Options.Publish,
  ): Promise<void> {
    const channel = await this.getPublishChannel();
    const publishId = randomUUID();
    const pending: PendingPublish = { returned: false };
    this.pendingPublishes.set(publishId, pending);
    const timeoutMs = this.options.confirmTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new PublishError('timeout', `RabbitMQ did not confirm within ${timeoutMs} ms`)),
          timeoutMs,
        );
        channel.publish(
          exchange,
          routingKey,
          content,
          {
            ...properties,
            // Checked by the broker: the consumer knows its own retries and replays by it.
            userId: this.brokerUser,
            persistent: true,
            mandatory: true,
            contentType: CONTENT_TYPE,
            headers: { ...(properties.headers as Record<string, unknown>), [PUBLISH_ID_HEADER]: publishId },
          },
          (error: unknown) => {
            if (error) {
              const closed = error instanceof Error && /closed/i.test(error.message);
              reject(
                new PublishError(
                  closed ? 'not-connected' : 'nacked',
                  closed ? 'the RabbitMQ channel closed before confirming' : 'RabbitMQ refused the message',
                  { cause: error },
                ),
              );
            } else if (pending.returned) {
              reject(new PublishError('unroutable', `no queue is bound to "${routingKey}" on ${exchange}; is the consuming service deployed?`));
            } else {
              resolve();
            }
          },
        );
      });
    } finally {
      clearTimeout(timer);
      this.pendingPublishes.delete(publishId);
    }
  }

  async subscribe(consumer: string, handlers: EventHandlers, options: SubscribeOptions = {}): Promise<void> {
    if (this.closing) throw new Error('the event bus is closed');
    if (this.subscriptions.has(consumer)) throw new Error(`"${consumer}" is already subscribed`);
    const types = Object.keys(handlers) as EventType[];
    if (types.length === 0) throw new Error(`"${consumer}" subscribed with no handlers`);
    const subscription: Subscription = {
      consumer,
      handlers,
      park: options.park,
      onOutcome: options.onOutcome,
      types,
      prefetch: options.prefetch ?? DEFAULT_PREFETCH,
      channel: null,
      consumerTag: null,
    };
    this.subscriptions.set(consumer, subscription);
    // When not connected yet, `onConsumeConnected` starts it with the first connection.
    if (this.consuming.model) await this.startOrRetry(subscription, this.consuming.model);
  }

  private async declareConsumerTopology(channel: Channel, subscription: Subscription): Promise<void> {
    const { queue, deadLetterExchange, deadLetterQueue } = this.queueNames(subscription.consumer);
    await channel.assertExchange(deadLetterExchange, 'fanout', { durable: true });
    await channel.assertQueue(deadLetterQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await channel.bindQueue(deadLetterQueue, deadLetterExchange, '');
    await channel.assertQueue(queue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': deadLetterExchange,
        'x-delivery-limit': QUEUE_DELIVERY_LIMIT,
      },
    });
    for (const type of subscription.types) {
      const exchange = this.name(exchangeFor(contextOf(type)));
      await channel.assertExchange(exchange, 'topic', { durable: true });
      await channel.bindQueue(queue, exchange, type);
    }
  }

  private async startConsumer(subscription: Subscription, model: ChannelModel): Promise<void> {
    const channel = await model.createChannel();
    channel.on('error', (error: Error) =>
      this.options.logger.warn({ err: error, consumer: subscription.consumer }, 'RabbitMQ consumer channel error'),
    );
    channel.on('close', () => {
      if (subscription.channel !== channel) return;
      subscription.channel = null;
      subscription.consumerTag = null;
      // A channel can close while its connection lives on (a channel-level error): start over
      // on the same connection. A lost connection is handled by `onConsumeConnected` instead.
      if (!this.closing && this.consuming.model === model) this.restartConsumer(subscription, model, 500);
    });
    await channel.prefetch(subscription.prefetch);
    await this.declareConsumerTopology(channel, subscription);
    subscription.channel = channel;
    const { queue } = this.queueNames(subscription.consumer);
    const reply = await channel.consume(queue, (message) => {
      if (!message) {
        // The broker cancelled the consumer (its queue was deleted, say): closing the channel
        // starts it over, declaring the queue and its bindings again.
        this.options.logger.warn({ consumer: subscription.consumer }, 'RabbitMQ cancelled the consumer; declaring its queue again and consuming');
        void channel.close().catch(() => undefined);
        return;
      }
      const work = this.onMessage(subscription, channel, message).finally(() => this.inFlight.delete(work));
      this.inFlight.add(work);
    });
    subscription.consumerTag = reply.consumerTag;
  }

  /**
   * Starts a consumer again after `delayMs` on the same connection, and keeps trying with growing
   * delays (up to 30 s) while it fails (a declaration refused, say): one consumer's trouble never
   * stops the others or publishing, and it comes back by itself once the cause is gone.
   */
  private restartConsumer(subscription: Subscription, model: ChannelModel, delayMs: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.closing || this.consuming.model !== model || subscription.channel) return;
      this.startConsumer(subscription, model).catch((error: unknown) => {
        this.options.logger.error({ err: error, consumer: subscription.consumer, retryInMs: Math.min(30_000, delayMs * 2) }, 'could not restart consumer; will try again');
        this.restartConsumer(subscription, model, Math.min(30_000, delayMs * 2));
      });
    }, delayMs);
    this.retryTimers.add(timer);
  }

  /**
   * Events reach a consumer's queue two ways: from the producer's exchange, which only the
   * producer's broker user may write to (deploy/rabbitmq/permissions.json), or straight through
   * the default exchange as this consumer's own retry or replay, which carries this consumer's
   * broker user. Anything else put straight into the queue by another user is set aside.
   */
  private provenanceProblem(message: ConsumeMessage): { refused?: string } {
    if (message.fields.exchange !== '') return {};
    const userId = message.properties.userId as string | undefined;
    if (userId === this.brokerUser) return {};
    return {
      refused: `it was put straight into the queue ${userId ? `by broker user "${userId}"` : 'without a broker user'}, not by this service's own retry or replay (broker user "${this.brokerUser}")`,
    };
  }

  /** The exchange a delivered message was published to, also when it came back through a delay queue. */
  private destinationOf(message: ConsumeMessage): { exchange?: string } {
    if (message.fields.exchange) return { exchange: message.fields.exchange };
    const type = (message.properties.type as string | undefined) ?? typeOfBody(message.content.toString('utf8'));
    return type && isEventType(type) ? { exchange: this.name(exchangeFor(contextOf(type))) } : {};
  }

  private isOpen(subscription: Subscription, channel: Channel): boolean {
    return subscription.channel === channel;
  }

  /**
   * Publishes the retry of a delivery to the consumer's delay queue for `delayMs`: a classic queue
   * whose TTL dead-letters the message back to the consumer's queue when it is due, so a retry
   * waiting for its delay holds no prefetch slot and survives this process.
   */
  private async scheduleRetry(subscription: Subscription, message: ConsumeMessage, counts: { attempt: number; waits: number }, delayMs: number): Promise<void> {
    const { queue } = this.queueNames(subscription.consumer);
    const ttl = delayQueueTtl(delayMs);
    const delayQueue = this.name(`${subscription.consumer}.retry.${ttl}ms`);
    const channel = await this.getPublishChannel();
    if (!this.delayQueues.has(delayQueue)) {
      await channel.assertQueue(delayQueue, {
        durable: true,
        arguments: { 'x-queue-type': 'classic', 'x-message-ttl': ttl, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': queue },
      });
      this.delayQueues.add(delayQueue);
    }
    const headers = Object.fromEntries(Object.entries(message.properties.headers ?? {}).filter(([name]) => !BROKER_HEADERS.test(name)));
    await this.publishTo('', delayQueue, message.content, {
      messageId: message.properties.messageId as string | undefined,
      type: message.properties.type as string | undefined,
      appId: message.properties.appId as string | undefined,
      timestamp: message.properties.timestamp as number | undefined,
      headers: {
        ...headers,
        [ATTEMPT_HEADER]: counts.attempt,
        [WAITS_HEADER]: counts.waits,
        [FIRST_FAILED_HEADER]: typeof headers[FIRST_FAILED_HEADER] === 'string' ? headers[FIRST_FAILED_HEADER] : new Date().toISOString(),
      },
    });
  }

  private async onMessage(subscription: Subscription, channel: Channel, message: ConsumeMessage): Promise<void> {
    const headers = message.properties.headers ?? {};
    const attempt = Math.max(1, countHeader(headers[ATTEMPT_HEADER], 1));
    const waits = countHeader(headers[WAITS_HEADER], 0);
    let outcome: DeliveryOutcome;
    try {
      outcome = await handleDelivery(
        {
          consumer: subscription.consumer,
          body: message.content.toString('utf8'),
          attempt,
          waits,
          headers,
          system: 'rabbitmq',
          // A retry or replay arrives through the default exchange; its destination is still the event's own.
          ...this.destinationOf(message),
          queue: this.queueNames(subscription.consumer).queue,
          ...this.provenanceProblem(message),
        },
        subscription.handlers,
        this.policy,
        this.options.logger,
      );
    } catch (error) {
      outcome = { kind: 'retry', delayMs: this.policy.retryDelayMs(attempt), reason: errorMessage(error), counted: true };
    }
    subscription.onOutcome?.(outcomeKind(outcome), (message.properties.type as string | undefined) ?? typeOfBody(message.content.toString('utf8')));
    if (!this.isOpen(subscription, channel)) return;

    if (outcome.kind === 'ack') {
      channel.ack(message);
    } else if (outcome.kind === 'retry') {
      const counts = outcome.counted ? { attempt: attempt + 1, waits } : { attempt, waits: waits + 1 };
      try {
        await this.scheduleRetry(subscription, message, counts, outcome.delayMs);
        if (this.isOpen(subscription, channel)) channel.ack(message);
      } catch (error) {
        // The retry could not be scheduled (the broker is in trouble): hand the delivery back after
        // a pause. A reject counts towards the queue's delivery limit, RabbitMQ's own backstop.
        this.options.logger.warn({ err: error, consumer: subscription.consumer }, 'could not schedule a retry; returning the message to its queue');
        const timer = setTimeout(() => {
          this.retryTimers.delete(timer);
          if (this.isOpen(subscription, channel)) channel.reject(message, true);
        }, Math.min(outcome.delayMs, 5_000));
        this.retryTimers.add(timer);
      }
    } else {
      const now = new Date().toISOString();
      const firstFailedAt = typeof headers[FIRST_FAILED_HEADER] === 'string' ? headers[FIRST_FAILED_HEADER] : now;
      if (subscription.park) {
        try {
          await subscription.park({
            consumer: subscription.consumer,
            eventId: outcome.eventId,
            type: outcome.type,
            reason: outcome.reason,
            attempts: attempt,
            firstFailedAt,
            deadLetteredAt: now,
            body: message.content.toString('utf8'),
          });
          if (this.isOpen(subscription, channel)) channel.ack(message);
          return;
        } catch (error) {
          this.options.logger.error({ err: error, consumer: subscription.consumer, eventId: outcome.eventId }, 'could not park an event; sending it to the dead-letter queue');
        }
      }
      try {
        await this.publishTo(this.queueNames(subscription.consumer).deadLetterExchange, message.fields.routingKey, message.content, {
          messageId: message.properties.messageId as string | undefined,
          type: message.properties.type as string | undefined,
          headers: {
            ...headers,
            'x-dead-letter-reason': outcome.reason.slice(0, 1000),
            'x-attempts': attempt,
            'x-dead-lettered-at': now,
            [FIRST_FAILED_HEADER]: firstFailedAt,
            'x-original-exchange': message.fields.exchange,
          },
        });
        if (this.isOpen(subscription, channel)) channel.ack(message);
      } catch (error) {
        this.options.logger.error({ err: error, consumer: subscription.consumer }, 'could not dead-letter; returning the message to its queue');
        if (this.isOpen(subscription, channel)) channel.reject(message, true);
      }
    }
  }

  async redeliver(consumer: string, body: string): Promise<void> {
    if (this.closing) throw new PublishError('closed', 'the event bus is closed');
    if (!this.subscriptions.has(consumer)) throw new PublishError('unroutable', `"${consumer}" is not subscribed on this bus`);
    let event: { id?: unknown; type?: unknown; source?: unknown; traceparent?: unknown } = {};
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      // the consumer sets it aside again, as not JSON
    }
    // Straight to the consumer's queue (the default exchange routes by queue name): only it gets it.
    await this.publishTo('', this.queueNames(consumer).queue, Buffer.from(body, 'utf8'), {
      ...(typeof event.id === 'string' ? { messageId: event.id } : {}),
      ...(typeof event.type === 'string' ? { type: event.type } : {}),
      headers: { ...(typeof event.traceparent === 'string' ? { traceparent: event.traceparent } : {}), ...traceHeaders() },
    });
  }

  async deadLetters(consumer: string, limit = 100): Promise<DeadLetter[]> {
    const channel = await this.consuming.connection.createChannel();
    const letters: DeadLetter[] = [];
    try {
      const { deadLetterQueue } = this.queueNames(consumer);
      await channel.checkQueue(deadLetterQueue);
      while (letters.length < limit) {
        const message = await channel.get(deadLetterQueue, { noAck: false });
        if (!message) break;
        const headers = message.properties.headers ?? {};
        const body = message.content.toString('utf8');
        letters.push({
          consumer,
          eventId: (message.properties.messageId as string | undefined) ?? null,
          type: (message.properties.type as string | undefined) ?? (message.fields.routingKey || null),
          reason: String(headers['x-dead-letter-reason'] ?? deathReason(headers) ?? 'unknown'),
          attempts: Number(headers['x-attempts'] ?? headers['x-delivery-count'] ?? 0),
          firstFailedAt: String(headers[FIRST_FAILED_HEADER] ?? headers['x-dead-lettered-at'] ?? new Date(0).toISOString()),
          deadLetteredAt: String(headers['x-dead-lettered-at'] ?? new Date(0).toISOString()),
          body,
        });
      }
    } catch (error) {
      // A consumer that never subscribed has no dead-letter queue, hence no dead letters.
      if ((error as { code?: number }).code === 404) return [];
      throw error;
    } finally {
      // Closing the channel returns every message it got, unacknowledged, to the queue.
      await channel.close().catch(() => undefined);
    }
    return letters;
  }

  canPublish(): boolean {
    return !this.closing && this.publishing.connected && this.publishing.blocked === null;
  }

  /** Up while both connections are, and publishing is not blocked. */
  health(): BusHealth {
    if (this.closing) return { status: 'down', detail: 'event bus closed' };
    const problems: string[] = [];
    for (const link of [this.publishing, this.consuming]) {
      if (!link.connected) problems.push(`not connected to RabbitMQ (${link.role})${link.lastError ? `: ${link.lastError}` : ''}`);
      else if (link.blocked && link.role === 'publish') problems.push(`RabbitMQ is blocking publishes: ${link.blocked}`);
    }
    return problems.length === 0 ? { status: 'up' } : { status: 'down', detail: problems.join('; ') };
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const subscription of this.subscriptions.values()) {
      const { channel, consumerTag } = subscription;
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
    }
    const timeoutMs = this.options.closeTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
    for (const retry of this.retryTimers) clearTimeout(retry);
    this.retryTimers.clear();
    // Unacknowledged messages (retries waiting, handlers cut off) return to their queues.
    await this.consuming.connection.close().catch(() => undefined);
    await this.publishing.connection.close().catch(() => undefined);
  }

  /** Deletes every exchange and queue this bus declared: for tests that use a namespace. */
  async deleteTopology(): Promise<void> {
    if (!this.namespace) throw new Error('deleteTopology only works on a namespaced bus');
    const channel = await this.consuming.connection.createChannel();
    try {
      for (const consumer of this.subscriptions.keys()) {
        const names = this.queueNames(consumer);
        await channel.deleteQueue(names.queue);
        await channel.deleteQueue(names.deadLetterQueue);
        for (const delayQueue of this.delayQueues) if (delayQueue.startsWith(`${names.queue}.retry.`)) await channel.deleteQueue(delayQueue);
        await channel.deleteExchange(names.deadLetterExchange);
      }
      for (const context of PUBLISHING_CONTEXTS) await channel.deleteExchange(this.name(exchangeFor(context)));
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}

function deathReason(headers: Record<string, unknown>): string | undefined {
  const deaths = headers['x-death'] as { reason?: string }[] | undefined;
  return deaths?.[0]?.reason ? `RabbitMQ dead-lettered it: ${deaths[0].reason}` : undefined;
}

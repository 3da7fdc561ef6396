import { InvalidEventError, parseEvent, producerOf, type EventType } from '@desk/contracts';
import { runInContext } from '@desk/platform';
import type { Logger } from 'pino';
import { isNotYet, MAX_WAITS, type DeliveryOutcomeKind, type DeliveryPolicy, type EventHandler, type EventHandlers } from './bus.js';
import { SERVICE_ATTRIBUTE, SpanKind, contextFromHeaders, inSpan, trace, traceIdOf } from './trace-context.js';

export type DeliveryOutcome =
  | { kind: 'ack' }
  /** `counted: false`: the handler said "not yet" (`NotYetError`); the attempt is not spent. */
  | { kind: 'retry'; delayMs: number; reason: string; counted: boolean }
  | { kind: 'dead-letter'; reason: string; eventId: string | null; type: string | null };

export interface Delivery {
  consumer: string;
  body: string;
  /** 1-based count of the attempts at this event, this one included (waits not counted). */
  attempt: number;
  /** How many times it waited already (`NotYetError`). */
  waits?: number;
  headers?: Record<string, unknown>;
  /** `messaging.system` of the bus it came through (`rabbitmq`). */
  system?: string;
  /** The exchange it was published to: the destination its `process` span names. */
  exchange?: string;
  /** The queue it was consumed from. */
  queue?: string;
  /** Why the bus does not trust how the message arrived (set aside, never handled), if it does not. */
  refused?: string;
}

/**
 * Why a handler failed, as an admin reads it beside a parked event. Knex puts the whole statement
 * in front of a database error's message (`<SQL> - <message>`): the statement says nothing the
 * logs do not, so the reason keeps Postgres's own message and its SQLSTATE.
 */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  if (typeof severity === 'string' && typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    const separator = error.message.lastIndexOf(' - ');
    return `database error ${code}: ${separator >= 0 ? error.message.slice(separator + 3) : error.message}`;
  }
  return error.message;
}

/**
 * What both bus implementations do with one delivered message, so they behave the same: parse it
 * against the contracts, run the consumer's handler for its type inside the event's trace and log
 * context, and decide between ack, retry with backoff, and dead-letter.
 */
export async function handleDelivery(
  delivery: Delivery,
  handlers: EventHandlers,
  policy: DeliveryPolicy,
  logger: Logger,
): Promise<DeliveryOutcome> {
  let raw: unknown;
  try {
    raw = JSON.parse(delivery.body);
  } catch {
    logger.error({ consumer: delivery.consumer }, 'dead-lettering a message that is not JSON');
    return { kind: 'dead-letter', reason: 'message body is not JSON', eventId: null, type: null };
  }

  const rawFields = (typeof raw === 'object' && raw !== null ? raw : {}) as { id?: unknown; type?: unknown };
  const rawId = typeof rawFields.id === 'string' ? rawFields.id : null;
  const rawType = typeof rawFields.type === 'string' ? rawFields.type : null;

  let event;
  try {
    event = parseEvent(raw);
  } catch (error) {
    if (!(error instanceof InvalidEventError)) throw error;
    logger.error(
      { consumer: delivery.consumer, eventId: rawId, eventType: rawType, reason: error.message },
      'dead-lettering an event that does not match its contract',
    );
    return { kind: 'dead-letter', reason: error.message, eventId: rawId, type: rawType };
  }

  // Only the producer the catalogue names may say this happened.
  const producer = producerOf(event.type);
  if (event.source !== producer) {
    const reason = `"${event.type}" comes from ${producer} only; this one says it comes from ${JSON.stringify(event.source)}`;
    logger.error({ consumer: delivery.consumer, eventId: event.id, eventType: event.type, source: event.source }, `refusing an event: ${reason}`);
    return { kind: 'dead-letter', reason, eventId: event.id, type: event.type };
  }
  if (delivery.refused) {
    logger.error({ consumer: delivery.consumer, eventId: event.id, eventType: event.type }, `refusing an event: ${delivery.refused}`);
    return { kind: 'dead-letter', reason: delivery.refused, eventId: event.id, type: event.type };
  }

  const handler = handlers[event.type] as EventHandler<EventType> | undefined;
  if (!handler) {
    const reason = `${delivery.consumer} has no handler for "${event.type}"`;
    logger.error({ consumer: delivery.consumer, eventId: event.id, eventType: event.type }, reason);
    return { kind: 'dead-letter', reason, eventId: event.id, type: event.type };
  }

  // Continue the trace the message carries: the producer's span from the headers, else the
  // envelope's own traceparent (the request that wrote the event).
  const parent = contextFromHeaders({ traceparent: event.traceparent, ...delivery.headers });
  const traceId =
    trace.getSpan(parent)?.spanContext().traceId ?? traceIdOf(event.traceparent);

  return runInContext({ eventId: event.id, ...(traceId ? { traceId } : {}) }, async () => {
    const started = performance.now();
    try {
      // The OpenTelemetry messaging conventions: `process <destination>`, the exchange as destination.
      const exchange = delivery.exchange ?? event.type;
      await inSpan(
        `process ${exchange}`,
        SpanKind.CONSUMER,
        parent,
        {
          'messaging.system': delivery.system ?? 'in_process',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'process',
          'messaging.destination.name': exchange,
          'messaging.destination.subscription.name': delivery.queue ?? delivery.consumer,
          'messaging.rabbitmq.destination.routing_key': event.type,
          'messaging.message.id': event.id,
          'messaging.consumer.group.name': delivery.consumer,
          'cloudevents.event_id': event.id,
          'cloudevents.event_type': event.type,
          'desk.delivery.attempt': delivery.attempt,
          [SERVICE_ATTRIBUTE]: delivery.consumer,
        },
        () => handler(event, { consumer: delivery.consumer, attempt: delivery.attempt }),
      );
      logger.debug(
        { consumer: delivery.consumer, eventType: event.type, attempt: delivery.attempt, durationMs: Math.round(performance.now() - started) },
        'event handled',
      );
      return { kind: 'ack' } as const;
    } catch (error) {
      const reason = errorMessage(error);
      const waits = delivery.waits ?? 0;
      if (isNotYet(error) && waits < MAX_WAITS) {
        const delayMs = Math.min(30_000, policy.retryDelayMs(waits + 1));
        logger.info(
          { consumer: delivery.consumer, eventType: event.type, attempt: delivery.attempt, waits: waits + 1, retryInMs: delayMs, reason },
          'event cannot be handled yet; will retry without counting an attempt',
        );
        return { kind: 'retry', delayMs, reason, counted: false } as const;
      }
      if (delivery.attempt >= policy.maxAttempts) {
        logger.error(
          { consumer: delivery.consumer, eventType: event.type, attempt: delivery.attempt, err: error },
          `dead-lettering after ${delivery.attempt} failed attempts`,
        );
        return { kind: 'dead-letter', reason, eventId: event.id, type: event.type } as const;
      }
      const delayMs = policy.retryDelayMs(delivery.attempt);
      logger.warn(
        { consumer: delivery.consumer, eventType: event.type, attempt: delivery.attempt, retryInMs: delayMs, err: error },
        'event handler failed; will retry',
      );
      return { kind: 'retry', delayMs, reason, counted: true } as const;
    }
  });
}

/** The outcome as the consumer's metrics name it, and the event type when it is known. */
export function outcomeKind(outcome: DeliveryOutcome): DeliveryOutcomeKind {
  if (outcome.kind === 'ack') return 'handled';
  if (outcome.kind === 'retry') return outcome.counted ? 'retried' : 'waited';
  return 'parked';
}

/** The event type of a message body, for metrics; null when it has none. */
export function typeOfBody(body: string): string | null {
  try {
    const type = (JSON.parse(body) as { type?: unknown }).type;
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}


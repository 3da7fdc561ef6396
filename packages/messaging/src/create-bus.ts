import type { HealthCheck } from '@desk/platform';
import type { Logger } from 'pino';
import type { DeliveryPolicy, EventBus } from './bus.js';
import { InProcessEventBus } from './in-process-bus.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';

export interface EventBusOptions {
  /** RabbitMQ URL; without it the bus lives inside this process (standalone mode). */
  amqpUrl?: string | undefined;
  logger: Logger;
  /** Shown in RabbitMQ's connection list, e.g. `incident-service`. */
  connectionName: string;
  /** Prefix of every exchange and queue name (AMQP_NAMESPACE). */
  namespace?: string | undefined;
  policy?: DeliveryPolicy;
}

/** The bus a service runs on: RabbitMQ when `AMQP_URL` is configured, in-process otherwise. */
export async function createEventBus({ amqpUrl, logger, connectionName, namespace, policy }: EventBusOptions): Promise<EventBus> {
  if (!amqpUrl) {
    logger.info('using the in-process event bus (no AMQP_URL)');
    return new InProcessEventBus({ logger, ...(policy ? { policy } : {}) });
  }
  return RabbitMqEventBus.connect({ url: amqpUrl, logger, connectionName, ...(namespace ? { namespace } : {}), ...(policy ? { policy } : {}) });
}

/** Reports the bus in `/health`: down while RabbitMQ is unreachable. */
export function eventBusHealthCheck(bus: EventBus): HealthCheck {
  return {
    name: 'eventBus',
    // The outbox keeps events while the broker is away: reported, never a reason to go unready.
    role: 'detail',
    check() {
      const health = bus.health();
      if (health.status === 'down') return Promise.reject(new Error(health.detail ?? 'event bus down'));
      return Promise.resolve();
    },
  };
}

import type { Knex } from 'knex';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryOutcomeKind, EventBus, SubscribeOptions } from './bus.js';
import type { ParkingLot } from './parking.js';

export interface EventMetricsOptions {
  /** The service's registry (its `/metrics`). */
  registry: Registry;
  bus: EventBus;
  /** A publishing service's database: its outbox backlog. */
  outboxDb?: Knex;
  /** A consuming service's parking lot: its parked count. */
  parking?: ParkingLot;
}

/**
 * The event spine's state as Prometheus metrics on a service's `/metrics`, the numbers its alert
 * rules watch (deploy/prometheus/alerts.yaml): the broker connection, the outbox backlog and its
 * oldest row, what became of each delivery per type, and the events parked. Gauges are read when
 * Prometheus scrapes. Returns the `onOutcome` a consumer passes to `subscribe`.
 */
export function eventMetrics(options: EventMetricsOptions): { onOutcome: NonNullable<SubscribeOptions['onOutcome']> } {
  const { registry, bus, outboxDb, parking } = options;
  new Gauge({
    name: 'desk_event_bus_connected',
    help: '1 while the service is connected to its event bus (RabbitMQ), else 0; events wait in the outbox meanwhile.',
    registers: [registry],
    collect() {
      this.set(bus.health().status === 'up' ? 1 : 0);
    },
  });
  if (outboxDb) {
    const pending = new Gauge({ name: 'desk_outbox_pending_events', help: 'Events written but not yet published to the bus.', registers: [registry] });
    new Gauge({
      name: 'desk_outbox_oldest_pending_seconds',
      help: 'Age of the oldest event not yet published (0 when none is waiting).',
      registers: [registry],
      async collect() {
        // A database that does not answer leaves the last values: /metrics still reports the rest.
        const rows = await outboxDb
          .raw<{ rows: { pending: string; oldest: number | null }[] }>(
            'select count(*) as pending, extract(epoch from now() - min(created_at))::float8 as oldest from outbox where published_at is null',
          )
          .then((result) => result.rows, () => undefined);
        if (!rows) return;
        pending.set(Number(rows[0]?.pending ?? 0));
        this.set(rows[0]?.oldest ?? 0);
      },
    });
  }
  if (parking) {
    new Gauge({
      name: 'desk_parked_events',
      help: 'Events this service could not handle, parked for an admin to replay or discard.',
      labelNames: ['consumer'],
      registers: [registry],
      async collect() {
        const count = await parking.count().catch(() => undefined);
        if (count !== undefined) this.set({ consumer: parking.consumer }, count);
      },
    });
  }
  const deliveries = new Counter({
    name: 'desk_event_deliveries_total',
    help: 'What became of each event delivered to this service: handled, retried (an attempt failed), waited (not yet) or parked.',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  return {
    onOutcome: (outcome: DeliveryOutcomeKind, type: string | null) => deliveries.inc({ type: type ?? 'unknown', outcome }),
  };
}

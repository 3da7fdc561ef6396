import type { EventEnvelope, EventType } from '@desk/contracts';
import type { Knex } from 'knex';
import type { DeliveryInfo, EventHandlers } from './bus.js';

export type TransactionalHandler<T extends EventType> = (
  event: EventEnvelope<T>,
  trx: Knex.Transaction,
  delivery: DeliveryInfo,
) => Promise<void>;

export type TransactionalHandlers = { [T in EventType]?: TransactionalHandler<T> };

/**
 * Makes a consumer's handlers idempotent: each runs in a transaction that first records
 * (consumer, event id) in the inbox table. If the id is already there the event was handled
 * before, and nothing runs; otherwise the handler's effect and the inbox row commit together,
 * so a redelivered event (at-least-once delivery) never has a second effect.
 */
export function withInbox(db: Knex, consumer: string, handlers: TransactionalHandlers): EventHandlers {
  const wrapped: EventHandlers = {};
  for (const [type, handler] of Object.entries(handlers) as [EventType, TransactionalHandler<EventType>][]) {
    (wrapped as Record<string, EventHandlers[EventType]>)[type] = async (event: EventEnvelope, delivery: DeliveryInfo) => {
      await db.transaction(async (trx) => {
        const inserted = await trx('inbox')
          .insert({ consumer, event_id: event.id, event_type: event.type })
          .onConflict(['consumer', 'event_id'])
          .ignore()
          .returning('event_id');
        if (inserted.length === 0) return;
        await handler(event, trx, delivery);
      });
    };
  }
  return wrapped;
}

/** Deletes inbox rows older than the retention (far longer than any redelivery can take). */
export async function pruneInbox(db: Knex, olderThanDays = 30): Promise<number> {
  return db('inbox').where('processed_at', '<', db.raw(`now() - make_interval(days => ?)`, [olderThanDays])).delete();
}

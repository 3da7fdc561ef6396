import { WEBHOOK_EVENT_TYPES, type EventEnvelope, type WebhookEventType, type WebhookPayload } from '@desk/contracts';
import { currentTraceparent, type TransactionalHandler, type TransactionalHandlers } from '@desk/messaging';
import type { Knex } from 'knex';

const WEBHOOK_TYPES = new Set<string>(WEBHOOK_EVENT_TYPES);

export function isWebhookEventType(type: string): type is WebhookEventType {
  return WEBHOOK_TYPES.has(type);
}

/** The body every endpoint receives for an event: the Standard Webhooks payload shape. */
export function webhookPayload(event: EventEnvelope): string {
  const payload: WebhookPayload = { type: event.type as WebhookEventType, timestamp: event.time, data: event.data };
  return JSON.stringify(payload);
}

/**
 * Which event types any active endpoint subscribes to, read at most once per `ttlMs` (and at
 * once after a change made by this replica), so that an event no endpoint wants costs no
 * statement in its transaction. A change made on another replica is seen within `ttlMs`: an
 * endpoint receives the events handled after its registration reached every replica.
 */
export class WebhookSubscriptions {
  private types: Set<string> | undefined;
  private loadedAt = 0;
  private loading: Promise<Set<string>> | undefined;

  constructor(
    private readonly db: Knex,
    private readonly ttlMs = 1_000,
  ) {}

  async wants(type: string): Promise<boolean> {
    if (!this.types || Date.now() - this.loadedAt >= this.ttlMs) await this.load();
    return this.types!.has(type);
  }

  /** An endpoint was registered, changed or deleted here: read them again before the next event. */
  changed(): void {
    this.types = undefined;
  }

  private load(): Promise<Set<string>> {
    this.loading ??= (async () => {
      try {
        const startedAt = Date.now();
        const { rows } = await this.db.raw<{ rows: { type: string }[] }>("select distinct unnest(events) as type from webhooks where status = 'ACTIVE'");
        this.types = new Set(rows.map((row) => row.type));
        this.loadedAt = startedAt;
        return this.types;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

/**
 * Records one delivery of the event for every active endpoint subscribed to its type, in the
 * transaction that records the event in the inbox: a redelivered event adds none, and a
 * delivery is never lost between the event and its sending. Returns how many were recorded.
 */
export async function recordWebhookDeliveries(event: EventEnvelope, trx: Knex.Transaction, retryWindowMs: number, subscriptions?: WebhookSubscriptions): Promise<number> {
  if (subscriptions && !(await subscriptions.wants(event.type))) return 0;
  const { rowCount } = await trx.raw<{ rowCount: number }>(
    `insert into webhook_deliveries (webhook_id, event_id, event_type, payload, traceparent, retry_until)
     select id, ?, ?, ?, ?, now() + make_interval(secs => ?) from webhooks where status = 'ACTIVE' and ? = any(events)
     on conflict (webhook_id, event_id) do nothing`,
    [event.id, event.type, webhookPayload(event), currentTraceparent() ?? null, retryWindowMs / 1000, event.type],
  );
  return rowCount;
}

/**
 * Adds webhook deliveries to the handlers of every event type endpoints may subscribe to, in
 * the event's inbox transaction; `recorded` learns (after commit, through `afterCommit`) which
 * events recorded any, so the sender is woken only when there is something to send.
 */
export function addWebhookFanOut(
  handlers: TransactionalHandlers,
  retryWindowMs: number,
  subscriptions: WebhookSubscriptions,
): { handlers: TransactionalHandlers; recorded: Set<string> } {
  const recorded = new Set<string>();
  const result: Record<string, TransactionalHandler<WebhookEventType>> = { ...(handlers as Record<string, TransactionalHandler<WebhookEventType>>) };
  for (const type of WEBHOOK_EVENT_TYPES) {
    const inner = result[type];
    result[type] = async (event, trx, delivery) => {
      if (inner) await inner(event, trx, delivery);
      const count = await recordWebhookDeliveries(event, trx, retryWindowMs, subscriptions);
      if (count > 0) recorded.add(event.id);
    };
  }
  return { handlers: result as TransactionalHandlers, recorded };
}

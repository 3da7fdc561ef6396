import { callerOf, requireRole } from '@desk/auth';
import {
  createWebhookBodySchema,
  listWebhookDeliveriesQuerySchema,
  rotateWebhookSecretBodySchema,
  updateWebhookBodySchema,
  type Webhook,
  type WebhookDelivery,
  type WebhookEventType,
} from '@desk/contracts';
import { AppError, decodeCursor, parseInput, postgresTimestampText, toPage } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { NotificationDependencies } from '../dependencies.js';
import type { AddressGuard } from './address-guard.js';
import { newWebhookSecret } from './signing.js';

interface WebhookRow {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string;
  status: 'ACTIVE' | 'DISABLED';
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string;
  event_type: WebhookEventType;
  payload: string;
  status: WebhookDelivery['status'];
  attempts: number;
  created_at: Date;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  cursor_time: string;
  attempt_log: {
    attempt: number;
    at: string;
    request_url: string;
    request_headers: Record<string, string>;
    remote_address: string | null;
    response_status: number | null;
    duration_ms: number;
    response_excerpt: string | null;
    error: string | null;
  }[];
}

const WEBHOOK_COLUMNS = ['id', 'url', 'events', 'description', 'status', 'disabled_reason', 'disabled_at', 'failing_since', 'previous_secret_expires_at', 'created_by', 'created_at', 'updated_at'];
const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toWebhook(row: WebhookRow): Webhook {
  const overlapping = row.previous_secret_expires_at && row.previous_secret_expires_at.getTime() > Date.now();
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    status: row.status,
    disabledReason: row.status === 'DISABLED' ? row.disabled_reason : null,
    disabledAt: row.status === 'DISABLED' ? iso(row.disabled_at) : null,
    failingSince: iso(row.failing_since),
    previousSecretExpiresAt: overlapping ? iso(row.previous_secret_expires_at) : null,
    createdById: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toDelivery(row: DeliveryRow, url: string): WebhookDelivery {
  const newest = row.attempt_log[0];
  return {
    id: row.id,
    webhookId: row.webhook_id,
    messageId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
    deliveredAt: iso(row.delivered_at),
    // The newest attempt's request (each attempt signs anew); before the first, the body alone.
    request: { url: newest?.request_url ?? url, headers: newest?.request_headers ?? {}, body: row.payload },
    attemptLog: row.attempt_log.map((attempt) => ({
      attempt: attempt.attempt,
      at: new Date(attempt.at).toISOString(),
      remoteAddress: attempt.remote_address,
      responseStatus: attempt.response_status,
      durationMs: attempt.duration_ms,
      responseBodyExcerpt: attempt.response_excerpt,
      error: attempt.error,
    })),
  };
}

const idParams = z.object({ id: z.uuid({ error: 'must be a webhook endpoint id (a UUID)' }) });
const deliveryParams = idParams.extend({ deliveryId: z.uuid({ error: 'must be a delivery id (a UUID)' }) });
const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });

const notFound = (id: string) => AppError.notFound('WEBHOOK.NOT_FOUND', `There is no webhook endpoint ${id}.`);

function checkTarget(guard: AddressGuard, url: string): void {
  const refusal = guard.urlRefusal(new URL(url));
  if (refusal) {
    throw new AppError({
      code: 'WEBHOOK.TARGET_NOT_ALLOWED',
      status: 422,
      detail: `Webhooks may not be sent to ${url}: ${refusal}.`,
      errors: [{ location: 'body', path: '/url', message: refusal }],
    });
  }
}

async function findWebhook(db: Knex | Knex.Transaction, id: string, forUpdate = false): Promise<WebhookRow> {
  const query = db('webhooks').select(WEBHOOK_COLUMNS).where({ id }).first();
  if (forUpdate) query.forUpdate();
  const row = (await query) as WebhookRow | undefined;
  if (!row) throw notFound(id);
  return row;
}

async function deliveryRows(db: Knex, webhookId: string, where: (builder: Knex.QueryBuilder) => void, limit: number): Promise<DeliveryRow[]> {
  const builder = db('webhook_deliveries as d')
    .select('d.id', 'd.webhook_id', 'd.event_id', 'd.event_type', 'd.payload', 'd.status', 'd.attempts', 'd.created_at', 'd.next_attempt_at', 'd.delivered_at')
    .select(db.raw('d.created_at::text as cursor_time'))
    .select(
      db.raw(`coalesce((select json_agg(a order by a.attempt desc) from (
                 select attempt, at, request_url, request_headers, remote_address, response_status, duration_ms, response_excerpt, error
                   from webhook_attempts where delivery_id = d.id order by attempt desc limit 20) a), '[]') as attempt_log`),
    )
    .where('d.webhook_id', webhookId)
    .orderBy([{ column: 'd.created_at', order: 'desc' }, { column: 'd.id', order: 'desc' }])
    .limit(limit);
  where(builder);
  return (await builder) as DeliveryRow[];
}

/** `/webhooks`: endpoints other systems receive events on, for admins. */
export function webhooksRouter({ db, config, webhooks }: NotificationDependencies): Router {
  const router = Router();
  router.use(requireRole('admin'));
  const guard = webhooks.guard;

  router.get('/', async (_request, response) => {
    const rows = (await db('webhooks').select(WEBHOOK_COLUMNS).orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }])) as WebhookRow[];
    response.json({ items: rows.map(toWebhook) });
  });

  router.post('/', async (request, response) => {
    const body = parseInput(createWebhookBodySchema, request.body, 'body');
    checkTarget(guard, body.url);
    const secret = newWebhookSecret();
    const [row] = (await db('webhooks')
      .insert({ url: body.url, events: body.events, description: body.description ?? '', secret, created_by: callerOf(request).id })
      .returning<WebhookRow[]>(WEBHOOK_COLUMNS));
    webhooks.changed();
    response.status(201).location(`/webhooks/${row!.id}`).json({ ...toWebhook(row!), secret });
  });

  router.get('/:id', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    response.json(toWebhook(await findWebhook(db, id)));
  });

  router.patch('/:id', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(updateWebhookBodySchema, request.body, 'body');
    if (body.url) checkTarget(guard, body.url);
    const row = await db.transaction(async (trx) => {
      const current = await findWebhook(trx, id, true);
      const changes: Record<string, unknown> = { updated_at: trx.fn.now() };
      if (body.url !== undefined) changes.url = body.url;
      if (body.events !== undefined) changes.events = body.events;
      if (body.description !== undefined) changes.description = body.description;
      if (body.status === 'DISABLED' && current.status === 'ACTIVE') {
        Object.assign(changes, { status: 'DISABLED', disabled_reason: 'Disabled by an admin', disabled_at: trx.fn.now() });
      }
      if (body.status === 'ACTIVE' && current.status === 'DISABLED') {
        // Enabled again: a fresh start. The deliveries that were waiting go out now, each with a
        // new retry window, and the failure streak begins anew.
        Object.assign(changes, { status: 'ACTIVE', disabled_reason: null, disabled_at: null, failing_since: null, consecutive_failures: 0 });
        await trx('webhook_deliveries')
          .where({ webhook_id: id, status: 'PENDING' })
          .update({ next_attempt_at: trx.fn.now(), retry_until: trx.raw('now() + make_interval(secs => ?)', [config.WEBHOOK_RETRY_WINDOW / 1000]) });
      }
      const [updated] = (await trx('webhooks').where({ id }).update(changes).returning<WebhookRow[]>(WEBHOOK_COLUMNS));
      return updated!;
    });
    webhooks.changed();
    if (row.status === 'ACTIVE') webhooks.poke();
    response.json(toWebhook(row));
  });

  router.delete('/:id', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const deleted = await db('webhooks').where({ id }).delete();
    if (deleted === 0) throw notFound(id);
    webhooks.changed();
    response.status(204).end();
  });

  router.post('/:id/rotate-secret', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(rotateWebhookSecretBodySchema, request.body ?? {}, 'body');
    const overlapMs = body.overlapSeconds !== undefined ? body.overlapSeconds * 1000 : config.WEBHOOK_SECRET_OVERLAP;
    const secret = newWebhookSecret();
    const row = await db.transaction(async (trx) => {
      await findWebhook(trx, id, true);
      const [updated] = (await trx('webhooks')
        .where({ id })
        .update({
          // The secret in use until now keeps signing, next to the new one, until the overlap ends.
          previous_secret: overlapMs > 0 ? trx.ref('secret') : null,
          previous_secret_expires_at: overlapMs > 0 ? trx.raw('now() + make_interval(secs => ?)', [overlapMs / 1000]) : null,
          secret,
          updated_at: trx.fn.now(),
        })
        .returning<WebhookRow[]>(WEBHOOK_COLUMNS));
      return updated!;
    });
    response.json({ ...toWebhook(row), secret });
  });

  router.get('/:id/deliveries', async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const query = parseInput(listWebhookDeliveriesQuerySchema, request.query, 'query');
    const webhook = await findWebhook(db, id);
    const position = query.cursor ? decodeCursor(cursorSchema, query.cursor) : undefined;
    const rows = await deliveryRows(
      db,
      id,
      (builder) => {
        if (query.status) builder.whereIn('d.status', query.status);
        if (query.eventType) builder.where('d.event_type', query.eventType);
        if (position) builder.whereRaw('(d.created_at, d.id) < (?::timestamptz, ?::uuid)', [position.t, position.id]);
      },
      query.limit + 1,
    );
    response.json(toPage(rows, query.limit, (row) => toDelivery(row, webhook.url), (row) => ({ t: row.cursor_time, id: row.id })));
  });

  router.post('/:id/deliveries/:deliveryId/redeliver', async (request, response) => {
    const { id, deliveryId } = parseInput(deliveryParams, request.params, 'params');
    const webhook = await db.transaction(async (trx) => {
      const endpoint = await findWebhook(trx, id);
      const delivery = (await trx('webhook_deliveries').select('status').where({ id: deliveryId, webhook_id: id }).forUpdate().first()) as { status: string } | undefined;
      if (!delivery) throw AppError.notFound('WEBHOOK.DELIVERY_NOT_FOUND', `Endpoint ${id} has no delivery ${deliveryId}.`);
      if (endpoint.status === 'DISABLED') throw AppError.conflict('WEBHOOK.DISABLED', 'The endpoint is disabled: enable it again before redelivering.');
      if (delivery.status === 'SENDING') throw AppError.conflict('WEBHOOK.DELIVERY_IN_FLIGHT', 'An attempt at this delivery is under way; look again in a few seconds.');
      // Sent again, with the same webhook-id (receivers drop repeats by it), as soon as a sender is free.
      await trx('webhook_deliveries')
        .where({ id: deliveryId })
        .update({
          status: 'PENDING',
          next_attempt_at: trx.fn.now(),
          delivered_at: null,
          last_error: null,
          retry_until: trx.raw('now() + make_interval(secs => ?)', [config.WEBHOOK_RETRY_WINDOW / 1000]),
        });
      return endpoint;
    });
    webhooks.poke();
    const [row] = await deliveryRows(db, id, (builder) => builder.where('d.id', deliveryId), 1);
    response.status(202).json(toDelivery(row!, webhook.url));
  });

  return router;
}

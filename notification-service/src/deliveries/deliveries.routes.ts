import { requireRole } from '@desk/auth';
import { incidentKey, listDeliveriesQuerySchema, type Delivery, type NotifiableEventType, type DeliveryStatus } from '@desk/contracts';
import { decodeCursor, parseInput, postgresTimestampText, toPage } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { NotificationDependencies } from '../dependencies.js';

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: NotifiableEventType;
  incident_id: string;
  incident_key: string;
  user_id: string;
  to_address: string;
  subject: string;
  message_id: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  next_attempt_at: Date | null;
  sent_at: Date | null;
  cursor_time: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    incidentId: row.incident_id,
    incidentKey: row.incident_key,
    userId: row.user_id,
    to: row.to_address,
    subject: row.subject,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    nextAttemptAt: row.status === 'PENDING' ? iso(row.next_attempt_at) : null,
    sentAt: iso(row.sent_at),
  };
}

const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });

/** `/notifications/deliveries`: every mail and how sending it went, for admins (newest first). */
export function deliveriesRouter({ db }: NotificationDependencies): Router {
  const router = Router();
  router.get('/', requireRole('admin'), async (request, response) => {
    const query = parseInput(listDeliveriesQuerySchema, request.query, 'query');
    const builder = db('deliveries')
      .select('id', 'event_id', 'event_type', 'incident_id', 'incident_key', 'user_id', 'to_address', 'subject', 'message_id', 'status', 'attempts', 'last_error', 'created_at', 'next_attempt_at', 'sent_at')
      .select(db.raw('created_at::text as cursor_time'))
      // Mail about incidents only: account mail carries single-use links that are nobody else's to see.
      .whereNotNull('incident_id')
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(query.limit + 1);
    if (query.status) builder.whereIn('status', query.status);
    if (query.userId) builder.where('user_id', query.userId);
    if (query.incidentId) builder.where('incident_id', query.incidentId);
    if (query.incidentKey) builder.where('incident_key', incidentKey(query.incidentKey.slice(4).replace(/^0+(?=\d)/, '')));
    if (query.eventType) builder.where('event_type', query.eventType);
    if (query.createdFrom) builder.where('created_at', '>=', query.createdFrom);
    if (query.createdTo) builder.where('created_at', '<', query.createdTo);
    if (query.cursor) {
      const position = decodeCursor(cursorSchema, query.cursor);
      builder.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [position.t, position.id]);
    }
    const rows = (await builder) as DeliveryRow[];
    response.json(toPage(rows, query.limit, toDelivery, (row) => ({ t: row.cursor_time, id: row.id })));
  });
  return router;
}

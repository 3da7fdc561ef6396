import { callerOf, type Caller } from '@desk/auth';
import { listNotificationsQuerySchema, type NotificationPage } from '@desk/contracts';
import { AppError, decodeCursor, parseInput, postgresTimestampText, toPage } from '@desk/platform';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { NotificationDependencies } from '../dependencies.js';
import { NOTIFICATION_COLUMNS, findOwnNotification, toNotification, unreadCount, type NotificationRow } from './notifications.repository.js';

const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });
const idParams = z.object({ id: z.uuid() });

/** Inboxes belong to people; a service account has none. */
export function personCalling(request: Request): Caller {
  const caller = callerOf(request);
  if (caller.kind !== 'user') throw AppError.forbidden('NOTIFICATION.PEOPLE_ONLY', 'Notifications are for people; a service account has no inbox.');
  return caller;
}

/** `/notifications`: the caller's own inbox, its live stream, marking as read. */
export function notificationsRouter(deps: NotificationDependencies): Router {
  const router = Router();
  const { db, config } = deps;

  router.get('/', async (request, response) => {
    const caller = personCalling(request);
    const query = parseInput(listNotificationsQuerySchema, request.query, 'query');
    const builder = db('notifications')
      .select(NOTIFICATION_COLUMNS)
      .select(db.raw('created_at::text as cursor_time'))
      .where('user_id', caller.id)
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .limit(query.limit + 1);
    if (query.unread === true) builder.whereNull('read_at');
    if (query.unread === false) builder.whereNotNull('read_at');
    if (query.cursor) {
      const position = decodeCursor(cursorSchema, query.cursor);
      builder.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [position.t, position.id]);
    }
    const [rows, unread] = await Promise.all([builder as Promise<(NotificationRow & { cursor_time: string })[]>, unreadCount(db, caller.id)]);
    const page = toPage(rows, query.limit, (row) => toNotification(row, config.PUBLIC_APP_URL), (row) => ({ t: row.cursor_time, id: row.id }));
    const body: NotificationPage = { ...page, unreadCount: unread };
    response.json(body);
  });

  router.get('/stream', (request, response) => {
    const caller = personCalling(request);
    deps.streams.open(caller, response, request.get('last-event-id'));
  });

  router.post('/read-all', async (request, response) => {
    const caller = personCalling(request);
    const updated = await db('notifications').where({ user_id: caller.id }).whereNull('read_at').update({ read_at: db.fn.now() });
    response.json({ updated, unreadCount: 0 });
  });

  router.post('/:id/read', async (request, response) => {
    const caller = personCalling(request);
    const params = idParams.safeParse(request.params);
    const notFound = () => AppError.notFound('NOTIFICATION.NOT_FOUND', 'No such notification in your inbox.');
    if (!params.success) throw notFound();
    // Reading twice keeps the first time it was read.
    await db('notifications').where({ id: params.data.id, user_id: caller.id }).whereNull('read_at').update({ read_at: db.fn.now() });
    const row = await findOwnNotification(db, caller.id, params.data.id);
    if (!row) throw notFound();
    response.json(toNotification(row, config.PUBLIC_APP_URL));
  });

  return router;
}

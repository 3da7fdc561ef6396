import { NOTIFIABLE_EVENT_TYPES, putPreferencesBodySchema, type NotifiableEventType, type Preference } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import type { NotificationDependencies } from '../dependencies.js';
import { personCalling } from '../inbox/notifications.routes.js';

interface PreferenceRow {
  event_type: NotifiableEventType;
  email: boolean;
  in_app: boolean;
}

/** Every notifiable event type with the person's choice, both channels on where they made none. */
async function preferencesOf(db: Knex | Knex.Transaction, userId: string): Promise<Preference[]> {
  const rows = (await db('preferences').select('event_type', 'email', 'in_app').where({ user_id: userId })) as PreferenceRow[];
  const chosen = new Map(rows.map((row) => [row.event_type, row]));
  return NOTIFIABLE_EVENT_TYPES.map((eventType) => {
    const row = chosen.get(eventType);
    return { eventType, email: row?.email ?? true, inApp: row?.in_app ?? true };
  });
}

/** `/notifications/preferences`: which events reach the caller by email and in the app. */
export function preferencesRouter({ db }: NotificationDependencies): Router {
  const router = Router();

  router.get('/', async (request, response) => {
    const caller = personCalling(request);
    response.json({ items: await preferencesOf(db, caller.id) });
  });

  router.put('/', async (request, response) => {
    const caller = personCalling(request);
    const body = parseInput(putPreferencesBodySchema, request.body, 'body');
    const items = await db.transaction(async (trx) => {
      // One person's saves take turns: two at once would both delete, then both insert the same rows.
      await trx.raw("select pg_advisory_xact_lock(hashtextextended('notification.preferences:' || ?, 0))", [caller.id]);
      await trx('preferences').where({ user_id: caller.id }).delete();
      // Only choices that differ from the default are kept.
      const rows = body.items
        .filter((item) => !item.email || !item.inApp)
        .map((item) => ({ user_id: caller.id, event_type: item.eventType, email: item.email, in_app: item.inApp }));
      if (rows.length > 0) await trx('preferences').insert(rows);
      return preferencesOf(trx, caller.id);
    });
    response.json({ items });
  });

  return router;
}

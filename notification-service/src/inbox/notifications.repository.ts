import type { Notification, NotifiableEventType } from '@desk/contracts';
import type { Knex } from 'knex';
import { incidentLink } from '../recipients/links.js';

type Db = Knex | Knex.Transaction;

export interface NotificationRow {
  id: string;
  user_id: string;
  type: NotifiableEventType;
  incident_id: string;
  incident_key: string;
  headline: string;
  detail: string;
  actor_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

export const NOTIFICATION_COLUMNS = ['id', 'user_id', 'type', 'incident_id', 'incident_key', 'headline', 'detail', 'actor_id', 'created_at', 'read_at'];

export function toNotification(row: NotificationRow, publicAppUrl: string): Notification {
  return {
    id: row.id,
    type: row.type,
    incidentId: row.incident_id,
    incidentKey: row.incident_key,
    headline: row.headline,
    detail: row.detail,
    actorId: row.actor_id,
    link: incidentLink(publicAppUrl, row.incident_key),
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at ? row.read_at.toISOString() : null,
  };
}

export async function findOwnNotification(db: Db, userId: string, id: string): Promise<NotificationRow | undefined> {
  return db('notifications').select(NOTIFICATION_COLUMNS).where({ id, user_id: userId }).first<NotificationRow | undefined>();
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db('notifications').where({ user_id: userId }).whereNull('read_at').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}

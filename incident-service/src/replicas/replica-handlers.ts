import { withInbox, type EventHandlers } from '@desk/messaging';
import type { Knex } from 'knex';
import { upsertDepartment, upsertUser } from './replicas.repository.js';

export const CONSUMER_NAME = 'incident-service';

/** Keeps the user and department replicas current from identity's events; each applied once. */
export function replicaHandlers(db: Knex): EventHandlers {
  return withInbox(db, CONSUMER_NAME, {
    'user.registered': (event, trx) => upsertUser(trx, event.data.user),
    'user.updated': (event, trx) => upsertUser(trx, event.data.user),
    'user.deactivated': (event, trx) => upsertUser(trx, event.data.user),
    'department.created': (event, trx) => upsertDepartment(trx, event.data.department),
    'department.updated': (event, trx) => upsertDepartment(trx, event.data.department),
  });
}

import type { EventEnvelope, EventType, IncidentSnapshot } from '@desk/contracts';
import { withInbox, type EventHandlers, type TransactionalHandlers } from '@desk/messaging';
import type { Knex } from 'knex';
import { NEXT_FACT_TABLE } from '../migrations.js';
import { replica } from '../replica.js';
import { rebuildInProgress, upsertFacts } from './facts.repository.js';

export const CONSUMER_NAME = 'analytics-service';

/** Every incident event carries the whole incident: each one refreshes the incident's fact. */
export const INCIDENT_EVENT_TYPES = [
  'incident.created',
  'incident.updated',
  'incident.status_changed',
  'incident.assigned',
  'incident.priority_changed',
  'incident.commented',
  'incident.sla_breached',
  'incident.sla_recalculated',
  'incident.waiting_changed',
  'incident.escalated',
  'incident.major_declared',
] as const satisfies readonly EventType[];

async function recordFact(trx: Knex.Transaction, incident: IncidentSnapshot): Promise<void> {
  await upsertFacts(trx, [incident]);
  // While a rebuild fills the next table, what changes meanwhile goes there too, so the swap
  // loses nothing the replay read too early to see.
  if (await rebuildInProgress(trx)) await upsertFacts(trx, [incident], NEXT_FACT_TABLE);
}

/**
 * The read model's consumer: incident events refresh facts, identity events the names. Each
 * event is recorded in the inbox in the same transaction, so a redelivery has no second effect;
 * a late event loses to the newer fact already held (see upsertFacts).
 */
export function factHandlers(db: Knex): EventHandlers {
  const handlers: TransactionalHandlers = {
    // identity's events keep the user and department replica current (@desk/replica).
    ...replica.handlers,
  };
  // A rating: kept with the incident's department, category and assignee of the moment; a late
  // or repeated event loses to the newer rating already held.
  (handlers as Record<string, (event: EventEnvelope<'incident.satisfaction_rated'>, trx: Knex.Transaction) => Promise<void>>)['incident.satisfaction_rated'] = async (event, trx) => {
    const { incident, rating, ratedAt } = event.data;
    await trx.raw(
      `insert into satisfaction (incident_id, department_id, category_id, assignee_id, priority, rating, rated_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (incident_id) do update set department_id = excluded.department_id, category_id = excluded.category_id, assignee_id = excluded.assignee_id,
              priority = excluded.priority,
              rating = excluded.rating, rated_at = excluded.rated_at, updated_at = excluded.updated_at
        where satisfaction.updated_at <= excluded.updated_at`,
      [incident.id, incident.departmentId, incident.categoryId, incident.assigneeId, incident.priority, rating, ratedAt, event.time],
    );
  };
  for (const type of INCIDENT_EVENT_TYPES) {
    (handlers as Record<string, (event: EventEnvelope, trx: Knex.Transaction) => Promise<void>>)[type] = (event, trx) =>
      recordFact(trx, (event.data as { incident: IncidentSnapshot }).incident);
  }
  return withInbox(db, CONSUMER_NAME, handlers);
}

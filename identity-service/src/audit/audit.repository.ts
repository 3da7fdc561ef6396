import type { AuditActor, AuditEntry } from '@desk/contracts';
import type { Knex } from 'knex';

export interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_kind: AuditActor['kind'];
  actor_id: string | null;
  source_address: string | null;
  action: AuditEntry['action'];
  target_type: AuditEntry['target']['type'];
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const COLUMNS = ['id', 'occurred_at', 'actor_kind', 'actor_id', 'source_address', 'action', 'target_type', 'target_id', 'before', 'after'];

type Db = Knex | Knex.Transaction;

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    occurredAt: row.occurred_at.toISOString(),
    actor: { kind: row.actor_kind, id: row.actor_id },
    sourceAddress: row.source_address,
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    before: row.before,
    after: row.after,
  };
}

export interface NewAuditRow {
  actor: AuditActor;
  sourceAddress: string | null;
  action: AuditEntry['action'];
  target: AuditEntry['target'];
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  /** Set when the change was recorded by another service's event: the same event twice is one row. */
  sourceEventId?: string;
  /** When the change happened, if not now (an event's time). */
  occurredAt?: string;
}

/** Inserts one row; false when its source event was already recorded. */
export async function insertAuditRow(db: Db, row: NewAuditRow): Promise<boolean> {
  const inserted: { id: string }[] = await db('audit_log')
    .insert({
      actor_kind: row.actor.kind,
      actor_id: row.actor.id,
      source_address: row.sourceAddress,
      action: row.action,
      target_type: row.target.type,
      target_id: row.target.id,
      // jsonb columns: knex would send a plain object as a Postgres record, not JSON.
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      source_event_id: row.sourceEventId ?? null,
      ...(row.occurredAt ? { occurred_at: row.occurredAt } : {}),
    })
    .onConflict('source_event_id')
    .ignore()
    .returning('id');
  return inserted.length === 1;
}

export interface AuditFilter {
  actorId?: string;
  targetId?: string;
  action?: AuditEntry['action'];
  from?: string;
  to?: string;
}

/** Newest first; `cursor_occurred_at` is `occurred_at::text`, keeping the microseconds a Date would drop. */
export async function listAuditRows(
  db: Db,
  { filter, limit, after }: { filter: AuditFilter; limit: number; after?: { occurredAt: string; id: string } },
): Promise<(AuditRow & { cursor_occurred_at: string })[]> {
  const query = db('audit_log')
    .select(COLUMNS)
    .select(db.raw('occurred_at::text as cursor_occurred_at'))
    .orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit);
  if (filter.actorId) query.where('actor_id', filter.actorId);
  if (filter.targetId) query.where('target_id', filter.targetId);
  if (filter.action) query.where('action', filter.action);
  if (filter.from) query.where('occurred_at', '>=', filter.from);
  if (filter.to) query.where('occurred_at', '<', filter.to);
  if (after) query.whereRaw('(occurred_at, id) < (?::timestamptz, ?::bigint)', [after.occurredAt, after.id]);
  return query as Promise<(AuditRow & { cursor_occurred_at: string })[]>;
}

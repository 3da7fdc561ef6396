import type { IncidentPriority, SlaPolicy } from '@desk/contracts';
import type { Knex } from 'knex';
import type { SlaTargets } from './sla.js';

export interface SlaPolicyRow {
  priority: IncidentPriority;
  response_minutes: number;
  resolution_minutes: number;
  updated_at: Date;
}

type Db = Knex | Knex.Transaction;

export function toSlaPolicy(row: SlaPolicyRow): SlaPolicy {
  return { priority: row.priority, responseMinutes: row.response_minutes, resolutionMinutes: row.resolution_minutes, updatedAt: row.updated_at.toISOString() };
}

export async function findSlaPolicy(db: Db, priority: IncidentPriority): Promise<SlaTargets> {
  const row = await db('sla_policies').select('response_minutes', 'resolution_minutes').where({ priority }).first<SlaPolicyRow>();
  return { responseMinutes: row.response_minutes, resolutionMinutes: row.resolution_minutes };
}

/** Every priority has a policy (seeded by a migration), so this always finds one. */
export async function findSlaPolicyForUpdate(trx: Knex.Transaction, priority: IncidentPriority): Promise<SlaPolicyRow> {
  return trx('sla_policies').select<SlaPolicyRow[]>('priority', 'response_minutes', 'resolution_minutes', 'updated_at').where({ priority }).forUpdate().first() as Promise<SlaPolicyRow>;
}

export async function listSlaPolicies(db: Db): Promise<SlaPolicy[]> {
  const rows = await db('sla_policies').select<SlaPolicyRow[]>('*').orderBy('priority', 'desc');
  return rows.map(toSlaPolicy);
}

export async function updateSlaPolicy(
  db: Db,
  priority: IncidentPriority,
  targets: SlaTargets & { updatedBy: string },
): Promise<SlaPolicy> {
  const rows = await db('sla_policies')
    .where({ priority })
    .update({ response_minutes: targets.responseMinutes, resolution_minutes: targets.resolutionMinutes, updated_by: targets.updatedBy, updated_at: db.fn.now() })
    .returning<SlaPolicyRow[]>('*');
  return toSlaPolicy(rows[0]!);
}

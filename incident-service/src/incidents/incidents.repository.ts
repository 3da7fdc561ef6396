import {
  incidentKey,
  type Incident,
  type IncidentLevel,
  type IncidentPriority,
  type IncidentSnapshot,
  type IncidentStatus,
} from '@desk/contracts';
import type { Knex } from 'knex';

export interface IncidentRow {
  id: string;
  /** bigint: pg hands it over as a string. */
  number: string;
  title: string;
  description: string;
  status: IncidentStatus;
  priority: IncidentPriority;
  reporter_id: string;
  department_id: string;
  category_id: string;
  assignee_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  sla_breached: boolean;
  reopen_count: number;
  reopened_at: Date | null;
  impact: IncidentLevel | null;
  urgency: IncidentLevel | null;
  sla_calendar_id: string | null;
  sla_calendar_version: number | null;
  /** Null: the report (a row loaded in bulk, without the clock's columns). */
  sla_checkpoint_at: Date | null;
  response_elapsed_minutes: number;
  resolution_elapsed_minutes: number;
  waiting_since: Date | null;
  waiting_message: string | null;
  waiting_by: string | null;
  waiting_expires_at: Date | null;
  /** When the escalation job looks at it next (escalations/escalations.ts). */
  escalation_check_at: Date | null;
  /** Who watches it (incident_watchers, kept here too: see migration incident_0014). */
  watcher_ids: string[];
  is_major: boolean;
}

export const INCIDENT_COLUMNS = [
  'id',
  'number',
  'title',
  'description',
  'status',
  'priority',
  'reporter_id',
  'department_id',
  'category_id',
  'assignee_id',
  'version',
  'created_at',
  'updated_at',
  'responded_at',
  'resolved_at',
  'closed_at',
  'response_due_at',
  'resolution_due_at',
  'response_breached_at',
  'resolution_breached_at',
  'sla_breached',
  'reopen_count',
  'reopened_at',
  'impact',
  'urgency',
  'sla_calendar_id',
  'sla_calendar_version',
  'sla_checkpoint_at',
  'response_elapsed_minutes',
  'resolution_elapsed_minutes',
  'waiting_since',
  'waiting_message',
  'waiting_by',
  'waiting_expires_at',
  'escalation_check_at',
  'watcher_ids',
  'is_major',
];

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toIncident(row: IncidentRow): Incident {
  const { id, key, title, ...rest } = toIncidentSnapshot(row);
  return { id, key, title, description: row.description, ...rest, watcherIds: row.watcher_ids, isMajor: row.is_major };
}

/** The incident as events carry it: everything but the description. */
export function toIncidentSnapshot(row: IncidentRow): IncidentSnapshot {
  return {
    id: row.id,
    key: incidentKey(row.number),
    title: row.title,
    status: row.status,
    priority: row.priority,
    reporterId: row.reporter_id,
    departmentId: row.department_id,
    categoryId: row.category_id,
    assigneeId: row.assignee_id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    respondedAt: iso(row.responded_at),
    resolvedAt: iso(row.resolved_at),
    closedAt: iso(row.closed_at),
    responseDueAt: iso(row.response_due_at),
    resolutionDueAt: iso(row.resolution_due_at),
    responseBreachedAt: iso(row.response_breached_at),
    resolutionBreachedAt: iso(row.resolution_breached_at),
    slaBreached: row.sla_breached,
    reopenCount: row.reopen_count,
    reopenedAt: iso(row.reopened_at),
    impact: row.impact,
    urgency: row.urgency,
    slaCalendarId: row.sla_calendar_id,
    waiting: row.waiting_since
      ? { since: row.waiting_since.toISOString(), message: row.waiting_message ?? '', byId: row.waiting_by, expiresAt: iso(row.waiting_expires_at) }
      : null,
    watcherIds: row.watcher_ids,
    isMajor: row.is_major,
  };
}

type Db = Knex | Knex.Transaction;

/** The incident named by its id or its key (`INC-000042`). */
export function whereIdOrKey(query: Knex.QueryBuilder, idOrKey: string): Knex.QueryBuilder {
  const key = /^INC-(\d{1,18})$/i.exec(idOrKey);
  if (key) return query.where('number', key[1]);
  return query.where('id', idOrKey);
}

export async function findIncident(db: Db, idOrKey: string): Promise<IncidentRow | undefined> {
  return whereIdOrKey(db('incidents').select(INCIDENT_COLUMNS), idOrKey).first<IncidentRow | undefined>();
}

/** The incident, locked until the transaction ends: every change reads, decides and writes under it. */
export async function findIncidentForUpdate(trx: Knex.Transaction, idOrKey: string): Promise<IncidentRow | undefined> {
  return whereIdOrKey(trx('incidents').select(INCIDENT_COLUMNS), idOrKey).forUpdate().first<IncidentRow | undefined>();
}

export interface NewIncident {
  title: string;
  description: string;
  priority: IncidentPriority;
  impact: IncidentLevel | null;
  urgency: IncidentLevel | null;
  reporterId: string;
  departmentId: string;
  categoryId: string;
  assigneeId: string | null;
  responseDueAt: Date;
  resolutionDueAt: Date;
  slaCalendarId: string;
  slaCalendarVersion: number;
  createdAt: Date;
}

export async function insertIncident(trx: Knex.Transaction, incident: NewIncident): Promise<IncidentRow> {
  const rows: IncidentRow[] = await trx('incidents')
    .insert({
      title: incident.title,
      description: incident.description,
      priority: incident.priority,
      impact: incident.impact,
      urgency: incident.urgency,
      assignee_id: incident.assigneeId,
      sla_calendar_id: incident.slaCalendarId,
      sla_calendar_version: incident.slaCalendarVersion,
      sla_checkpoint_at: incident.createdAt,
      reporter_id: incident.reporterId,
      department_id: incident.departmentId,
      category_id: incident.categoryId,
      response_due_at: incident.responseDueAt,
      resolution_due_at: incident.resolutionDueAt,
      created_at: incident.createdAt,
      updated_at: incident.createdAt,
    })
    .returning(INCIDENT_COLUMNS);
  return rows[0]!;
}

export type IncidentChanges = Partial<{
  title: string;
  description: string;
  status: IncidentStatus;
  priority: IncidentPriority;
  assignee_id: string | null;
  responded_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  response_due_at: Date | null;
  resolution_due_at: Date | null;
  response_breached_at: Date | null;
  resolution_breached_at: Date | null;
  reopen_count: number;
  reopened_at: Date;
  impact: IncidentLevel | null;
  urgency: IncidentLevel | null;
  sla_calendar_id: string;
  sla_calendar_version: number;
  sla_checkpoint_at: Date;
  response_elapsed_minutes: number;
  resolution_elapsed_minutes: number;
  waiting_since: Date | null;
  waiting_message: string | null;
  waiting_by: string | null;
  waiting_expires_at: Date | null;
  watcher_ids: string[];
  is_major: boolean;
  escalation_check_at: Date | null;
}>;

/**
 * Applies changes, bumps the version (the ETag) and `updated_at`, returns the new row. `stamp`
 * is the instant of a replayed change (clock.ts's rowStamp); none for a change made now.
 */
export async function updateIncident(trx: Knex.Transaction, id: string, changes: IncidentChanges, stamp?: Date): Promise<IncidentRow> {
  const rows: IncidentRow[] = await trx('incidents')
    .where({ id })
    // Stamped when the statement runs (not when the transaction began): replicas catching up by
    // updated_at count on a stamp close to the commit (@desk/platform CATCH_UP_OVERLAP_MS).
    .update({ ...changes, version: trx.raw('version + 1'), updated_at: stamp ?? trx.raw('clock_timestamp()') })
    .returning(INCIDENT_COLUMNS);
  return rows[0]!;
}

/** Marks activity (a comment) without changing the incident's own fields or version. */
export async function touchIncident(trx: Knex.Transaction, id: string, stamp?: Date): Promise<IncidentRow> {
  const rows: IncidentRow[] = await trx('incidents').where({ id }).update({ updated_at: stamp ?? trx.raw('clock_timestamp()') }).returning(INCIDENT_COLUMNS);
  return rows[0]!;
}

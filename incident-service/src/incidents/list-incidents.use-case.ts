import type { Caller } from '@desk/auth';
import { incidentPrioritySchema, type IncidentPriority, type ListIncidentsQuery } from '@desk/contracts';
import { AppError, decodeCursor, postgresTimestampText, prepared, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IncidentDependencies } from '../app.js';
import { INCIDENT_JSON_SQL } from './incidents.repository.js';

interface ListedRow {
  id: string;
  priority: IncidentPriority;
  cursor_time: string;
  /** The incident as the API shows it, as JSON text (INCIDENT_JSON_SQL). */
  json: string;
}

/** A page whose items are JSON texts of incidents, written into the response as they are. */
export interface IncidentJsonPage {
  items: string[];
  nextCursor: string | null;
}

const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid(), p: incidentPrioritySchema.optional() });

/**
 * Full-text query terms: letters, digits and inner hyphens only (so nothing reaches
 * to_tsquery's operator syntax), each matched as a prefix, all required.
 */
export function toPrefixQuery(text: string): string | undefined {
  const terms = text
    .toLowerCase()
    .split(/\s+/)
    .map((term) => term.replace(/[^\p{L}\p{N}-]+/gu, '').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .slice(0, 8);
  // A hyphenated term (a host name, `srv-3783`) becomes a phrase of its parts; as a prefix its
  // first part (`srv`) would match most of the table, so it is matched exactly.
  return terms.length > 0 ? terms.map((term) => (term.includes('-') ? term : `${term}:*`)).join(' & ') : undefined;
}

/** `INC-000123` (or `INC-123`): an incident key, found by its number rather than by text search. */
const KEY_QUERY = /^inc-?(\d{1,18})$/i;

/**
 * Whether a list runs as a prepared statement. The plain lists — a caller's scope in one order,
 * any page deep — are what every desk opens all day, and each has an index that returns its rows
 * in order whatever the ids bound, so a plan made once serves them all. A filter's best plan
 * depends on its value (an unassigned queue of one department is read along the department's
 * index, not by intersecting every unassigned incident), so filtered lists and searches are
 * planned for the values they ask for.
 */
export function runsPrepared(query: ListIncidentsQuery): boolean {
  return !(
    query.q ||
    query.status ||
    query.priority ||
    query.categoryId ||
    query.assigneeId ||
    query.reporterId ||
    query.departmentId ||
    query.createdFrom ||
    query.createdTo ||
    query.breached !== undefined
  );
}

/**
 * GET /incidents. The caller's scope first — reporters their own, staff and managers their
 * department's (or their own reports with reporterId=me), admins and readers among service
 * accounts everything — then the filters, then one keyset page in the chosen order. Every
 * scope and order has an index that returns rows already in order, so any page is an index
 * range scan.
 */
export async function listIncidents(deps: IncidentDependencies, caller: Caller, query: ListIncidentsQuery): Promise<IncidentJsonPage> {
  const { db } = deps;
  // A created range walks the created_at index in order; sorted by updatedAt it would have to
  // read past every incident updated since, so a range without a sort lists by createdAt.
  const sort = query.sort ?? (query.createdFrom || query.createdTo ? 'createdAt' : 'updatedAt');
  const timeColumn = sort === 'createdAt' ? 'created_at' : 'updated_at';
  const builder = db('incidents')
    .select('incidents.id', 'incidents.priority', db.raw(`${INCIDENT_JSON_SQL} as json`))
    // Timestamps in the cursor keep Postgres's microseconds; a JS Date would round them off.
    .select(db.raw(`incidents.${timeColumn}::text as cursor_time`));

  const reporterId = query.reporterId === 'me' ? caller.id : query.reporterId;
  if (caller.kind === 'user' && caller.role === 'reporter') {
    builder.where('reporter_id', caller.id);
  } else if (caller.kind === 'user' && (caller.role === 'staff' || caller.role === 'manager')) {
    if (reporterId === caller.id) {
      builder.where('reporter_id', caller.id);
    } else {
      if (query.departmentId && query.departmentId !== caller.departmentId) {
        throw AppError.forbidden('INCIDENT.FORBIDDEN_DEPARTMENT', "You can list only your own department's incidents.");
      }
      builder.where('department_id', caller.departmentId);
    }
  }

  if (reporterId) builder.where('reporter_id', reporterId);
  if (query.departmentId) builder.where('department_id', query.departmentId);
  if (query.categoryId) builder.where('category_id', query.categoryId);
  if (query.status) builder.whereIn('status', query.status);
  if (query.priority) builder.whereIn('priority', query.priority);
  if (query.assigneeId === 'unassigned') builder.whereNull('assignee_id');
  else if (query.assigneeId) builder.where('assignee_id', query.assigneeId === 'me' ? caller.id : query.assigneeId);
  if (query.createdFrom) builder.where('created_at', '>=', query.createdFrom);
  if (query.createdTo) builder.where('created_at', '<', query.createdTo);
  if (query.breached !== undefined) builder.where('sla_breached', query.breached);
  const key = query.q ? KEY_QUERY.exec(query.q.trim()) : null;
  if (key) {
    builder.where('number', key[1]);
  } else if (query.q) {
    const tsquery = toPrefixQuery(query.q);
    if (!tsquery) throw AppError.badRequest('VALIDATION.FAILED', 'The search has no words to look for.', { errors: [{ location: 'query', path: 'q', message: 'has no letters or digits' }] });
    builder.whereRaw("search @@ to_tsquery('simple', ?)", [tsquery]);
  }

  if (query.cursor) {
    const position = decodeCursor(cursorSchema, query.cursor);
    if (sort === 'priority') {
      if (!position.p) throw AppError.badRequest('VALIDATION.FAILED', 'The cursor belongs to another sort order; start again from the first page.', { errors: [{ location: 'query', path: 'cursor', message: 'is for another sort order' }] });
      builder.whereRaw('(priority, updated_at, id) < (?::incident_priority, ?::timestamptz, ?::uuid)', [position.p, position.t, position.id]);
    } else {
      builder.whereRaw(`(${timeColumn}, id) < (?::timestamptz, ?::uuid)`, [position.t, position.id]);
    }
  }
  if (sort === 'priority') builder.orderBy([{ column: 'priority', order: 'desc' }, { column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
  else builder.orderBy([{ column: timeColumn, order: 'desc' }, { column: 'id', order: 'desc' }]);

  builder.limit(query.limit + 1);
  const rows = (await (runsPrepared(query) ? prepared(builder) : builder)) as ListedRow[];
  return toPage(rows, query.limit, (row) => row.json, (row) => ({ t: row.cursor_time, id: row.id, ...(sort === 'priority' ? { p: row.priority } : {}) }));
}

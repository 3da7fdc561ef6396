import { auditContextOf, callerOf, requireRole, requireScope } from '@desk/auth';
import {
  INCIDENT_LEVELS,
  type IncidentLevel,
  type IncidentPriority,
  type PriorityMatrix,
  updatePriorityMatrixBodySchema,
} from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { publishAuditRecorded } from '../audit/audit-events.js';
import type { IncidentDependencies } from '../dependencies.js';

type Db = Knex | Knex.Transaction;

interface MatrixRow {
  impact: IncidentLevel;
  urgency: IncidentLevel;
  priority: IncidentPriority;
  updated_at: Date;
}

function toMatrix(rows: MatrixRow[]): PriorityMatrix {
  const matrix = {} as PriorityMatrix['matrix'];
  for (const row of rows) (matrix[row.impact] ??= {} as PriorityMatrix['matrix']['HIGH'])[row.urgency] = row.priority;
  const updatedAt = rows.reduce((latest, row) => (row.updated_at > latest ? row.updated_at : latest), new Date(0));
  return { matrix, updatedAt: updatedAt.toISOString() };
}

export async function readPriorityMatrix(db: Db): Promise<PriorityMatrix> {
  return toMatrix(await db('priority_matrix').select<MatrixRow[]>('impact', 'urgency', 'priority', 'updated_at'));
}

/** The priority the matrix gives an impact and an urgency. */
export async function priorityFor(db: Db, impact: IncidentLevel, urgency: IncidentLevel): Promise<IncidentPriority> {
  const row = await db('priority_matrix').select('priority').where({ impact, urgency }).first<{ priority: IncidentPriority }>();
  return row.priority;
}

/**
 * `GET /priority-matrix` (anyone signed in: the report form shows what a choice means) and
 * `PUT /priority-matrix` (admins): all nine cells at once; an empty cell is a 422 naming it. A
 * change applies to incidents whose impact or urgency is set afterwards; priorities already given
 * stay.
 */
export function priorityMatrixRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/', requireScope('incidents:read'), async (_request, response) => {
    response.json(await readPriorityMatrix(deps.db));
  });
  router.put('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(updatePriorityMatrixBodySchema, request.body, 'body');
    const errors: { location: 'body'; path: string; message: string }[] = [];
    const cells: { impact: IncidentLevel; urgency: IncidentLevel; priority: IncidentPriority }[] = [];
    for (const impact of [...INCIDENT_LEVELS].reverse()) {
      for (const urgency of [...INCIDENT_LEVELS].reverse()) {
        const priority = body.matrix[impact]?.[urgency];
        if (!priority) errors.push({ location: 'body', path: `/matrix/${impact}/${urgency}`, message: 'must name a priority (LOW, MEDIUM, HIGH or CRITICAL)' });
        else cells.push({ impact, urgency, priority });
      }
    }
    if (errors.length > 0) {
      throw AppError.unprocessable('PRIORITY_MATRIX.INCOMPLETE', 'Every cell of the matrix needs a priority: fill in the empty ones.', { errors });
    }
    const audit = auditContextOf(request);
    const matrix = await deps.db.transaction(async (trx) => {
      const before = toMatrix(await trx('priority_matrix').select<MatrixRow[]>('impact', 'urgency', 'priority', 'updated_at').forUpdate());
      const changed = cells.filter((cell) => before.matrix[cell.impact][cell.urgency] !== cell.priority);
      for (const cell of changed) {
        await trx('priority_matrix').where({ impact: cell.impact, urgency: cell.urgency }).update({ priority: cell.priority, updated_by: callerOf(request).id, updated_at: trx.fn.now() });
      }
      const after = await readPriorityMatrix(trx);
      if (changed.length > 0) {
        await publishAuditRecorded(deps.outbox, trx, audit, { action: 'priority_matrix.updated', target: { type: 'priority_matrix', id: 'matrix' }, before: before.matrix, after: after.matrix });
      }
      return after;
    });
    response.json(matrix);
  });
  return router;
}

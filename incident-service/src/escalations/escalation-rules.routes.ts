import { auditContextOf, requireRole } from '@desk/auth';
import { createEscalationRuleBodySchema, type IncidentPriority, updateEscalationRuleBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import { publishAuditRecorded } from '../audit/audit-events.js';
import type { IncidentDependencies } from '../dependencies.js';
import { type EscalationRuleRow, toEscalationRule } from './escalations.js';

const idParams = z.object({ id: z.uuid({ error: 'must be an escalation rule id (a UUID)' }) });
const notFound = () => AppError.notFound('ESCALATION_RULE.NOT_FOUND', 'There is no escalation rule with this id.');

/** What makes a rule unable to work, as a 422 naming the field; nothing when it can. */
function assertWorkable(rule: Pick<EscalationRuleRow, 'threshold_percent' | 'raise_priority' | 'reassign' | 'notify_assignee' | 'notify_manager'>): void {
  const invalid = (path: string, message: string, detail: string) =>
    AppError.unprocessable('ESCALATION_RULE.INVALID', detail, { errors: [{ location: 'body', path, message }] });
  if (rule.threshold_percent < 100 && rule.raise_priority) throw invalid('/raisePriority', 'is for rules at the breach only (thresholdPercent 100)', 'Raising the priority happens at the breach only: set thresholdPercent to 100.');
  if (rule.threshold_percent < 100 && rule.reassign !== 'none') throw invalid('/reassign', 'is for rules at the breach only (thresholdPercent 100)', 'Reassigning happens at the breach only: set thresholdPercent to 100.');
  if (!rule.notify_assignee && !rule.notify_manager && !rule.raise_priority && rule.reassign === 'none') {
    throw invalid('/notify', 'must tell someone, unless the rule raises the priority or reassigns', 'The rule would do nothing: tell the assignee or the manager, or act at the breach.');
  }
}

/**
 * Open incidents of these priorities are looked at by the escalation job at its next round: it
 * sets when each is next due for a rule (a rule added, changed or removed moves that).
 */
async function reschedule(trx: Knex.Transaction, priorities: IncidentPriority[]): Promise<void> {
  await trx('incidents')
    .whereIn('priority', [...new Set(priorities)])
    .whereIn('status', ['OPEN', 'IN_PROGRESS'])
    .where((query) => query.whereNull('escalation_check_at').orWhere('escalation_check_at', '>', trx.fn.now()))
    .update({ escalation_check_at: trx.fn.now() });
}

/** Escalation rules: read by staff, managers and admins (what they will be told), written by admins. */
export function escalationRulesRouter(deps: IncidentDependencies): Router {
  const router = Router();
  const { db, outbox } = deps;

  router.get('/', requireRole('staff', 'manager', 'admin'), async (_request, response) => {
    const rows = await db('escalation_rules').select<EscalationRuleRow[]>('*').orderByRaw("array_position(array['CRITICAL','HIGH','MEDIUM','LOW']::incident_priority[], priority), target desc, threshold_percent, lower(name)");
    response.json({ items: rows.map(toEscalationRule) });
  });

  router.post('/', requireRole('admin'), async (request, response) => {
    const body = parseInput(createEscalationRuleBodySchema, request.body, 'body');
    const atBreach = body.thresholdPercent >= 100;
    const row = {
      name: body.name,
      priority: body.priority,
      target: body.target,
      threshold_percent: body.thresholdPercent,
      notify_assignee: body.notify?.assignee ?? !atBreach,
      notify_manager: body.notify?.manager ?? true,
      raise_priority: body.raisePriority ?? false,
      reassign: body.reassign ?? 'none',
      is_active: body.isActive ?? true,
    };
    assertWorkable(row);
    const audit = auditContextOf(request);
    const created = await db.transaction(async (trx) => {
      const [inserted] = await trx('escalation_rules').insert(row).returning<EscalationRuleRow[]>('*');
      await reschedule(trx, [inserted!.priority]);
      await publishAuditRecorded(outbox, trx, audit, { action: 'escalation_rule.created', target: { type: 'escalation_rule', id: inserted!.id }, before: null, after: toEscalationRule(inserted!) });
      return inserted!;
    });
    response.status(201).location(`/escalation-rules/${created.id}`).json(toEscalationRule(created));
  });

  router.patch('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const body = parseInput(updateEscalationRuleBodySchema, request.body, 'body');
    const audit = auditContextOf(request);
    const updated = await db.transaction(async (trx) => {
      const current = await trx('escalation_rules').where({ id }).forUpdate().first<EscalationRuleRow | undefined>();
      if (!current) throw notFound();
      const next: EscalationRuleRow = {
        ...current,
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.priority !== undefined ? { priority: body.priority } : {}),
        ...(body.target !== undefined ? { target: body.target } : {}),
        ...(body.thresholdPercent !== undefined ? { threshold_percent: body.thresholdPercent } : {}),
        ...(body.notify !== undefined ? { notify_assignee: body.notify.assignee, notify_manager: body.notify.manager } : {}),
        ...(body.raisePriority !== undefined ? { raise_priority: body.raisePriority } : {}),
        ...(body.reassign !== undefined ? { reassign: body.reassign } : {}),
        ...(body.isActive !== undefined ? { is_active: body.isActive } : {}),
      };
      assertWorkable(next);
      const { id: _id, created_at: _created, updated_at: _updated, ...fields } = next;
      const [row] = await trx('escalation_rules').where({ id }).update({ ...fields, updated_at: trx.fn.now() }).returning<EscalationRuleRow[]>('*');
      await reschedule(trx, [current.priority, row!.priority]);
      await publishAuditRecorded(outbox, trx, audit, { action: 'escalation_rule.updated', target: { type: 'escalation_rule', id }, before: toEscalationRule(current), after: toEscalationRule(row!) });
      return row!;
    });
    response.json(toEscalationRule(updated));
  });

  router.delete('/:id', requireRole('admin'), async (request, response) => {
    const { id } = parseInput(idParams, request.params, 'params');
    const audit = auditContextOf(request);
    await db.transaction(async (trx) => {
      const current = await trx('escalation_rules').where({ id }).forUpdate().first<EscalationRuleRow | undefined>();
      if (!current) throw notFound();
      await trx('escalation_rules').where({ id }).delete();
      await reschedule(trx, [current.priority]);
      await publishAuditRecorded(outbox, trx, audit, { action: 'escalation_rule.deleted', target: { type: 'escalation_rule', id }, before: toEscalationRule(current), after: null });
    });
    response.status(204).end();
  });

  return router;
}

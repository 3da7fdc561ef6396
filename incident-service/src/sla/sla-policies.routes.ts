import { auditContextOf, callerOf, requireRole, requireScope } from '@desk/auth';
import { incidentPrioritySchema, updateSlaPolicyBodySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { publishAuditRecorded } from '../audit/audit-events.js';
import { findSlaPolicyForUpdate, listSlaPolicies, toSlaPolicy, updateSlaPolicy } from './sla-policies.repository.js';

const priorityParams = z.object({ priority: incidentPrioritySchema });

/**
 * SLA targets per priority. A change applies to incidents filed afterwards and to incidents
 * whose priority changes afterwards; due times already set stay as promised.
 */
export function slaPoliciesRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/', requireScope('incidents:read'), async (_request, response) => {
    response.json({ items: await listSlaPolicies(deps.db) });
  });
  router.put('/:priority', requireRole('admin'), async (request, response) => {
    const { priority } = parseInput(priorityParams, request.params, 'params');
    const body = parseInput(updateSlaPolicyBodySchema, request.body, 'body');
    const audit = auditContextOf(request);
    const policy = await deps.db.transaction(async (trx) => {
      const before = toSlaPolicy(await findSlaPolicyForUpdate(trx, priority));
      const after = await updateSlaPolicy(trx, priority, { ...body, updatedBy: callerOf(request).id });
      await publishAuditRecorded(deps.outbox, trx, audit, { action: 'sla_policy.updated', target: { type: 'sla_policy', id: priority }, before, after });
      return after;
    });
    deps.logger.info({ priority, ...body }, 'SLA policy changed');
    response.json(policy);
  });
  return router;
}

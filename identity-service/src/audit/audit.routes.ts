import { auditQuerySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import type { IdentityDependencies } from '../dependencies.js';
import { listAudit } from './list-audit.use-case.js';

/** `/admin/audit`: the trail of administrative changes. Admins only (guarded in app.ts). */
export function auditRouter(deps: IdentityDependencies): Router {
  const router = Router();
  router.get('/', async (request, response) => {
    const query = parseInput(auditQuerySchema, request.query, 'query');
    response.set('Cache-Control', 'no-store').json(await listAudit(deps, query));
  });
  return router;
}

import { internalIncidentsQuerySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router } from 'express';
import type { IncidentDependencies } from '../dependencies.js';
import { listIncidentChanges } from './list-incident-changes.use-case.js';

/**
 * `/internal`: what other services (notification-service, analytics-service) read to rebuild
 * their replicas of incidents. Not routed by the gateway; guarded by INTERNAL_API_TOKEN where
 * `app.ts` mounts it.
 */
export function internalRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/incidents', async (request, response) => {
    const query = parseInput(internalIncidentsQuerySchema, request.query, 'query');
    response.json(await listIncidentChanges(deps, query));
  });

  return router;
}

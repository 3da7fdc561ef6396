import { callerOf, requireScope } from '@desk/auth';
import { createSavedViewBodySchema, updateSavedViewBodySchema } from '@desk/contracts';
import { AppError, parseInput } from '@desk/platform';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { changeView, deleteView, listViews, saveView } from './saved-views.use-case.js';

const idParams = z.object({ id: z.uuid() });

/** A view is named by its id; anything else names none of the caller's views (404, not 400). */
function viewId(request: Request): string {
  const parsed = idParams.safeParse(request.params);
  if (!parsed.success) throw AppError.notFound('VIEW.NOT_FOUND', 'You have no saved view with this id.');
  return parsed.data.id;
}

/** The caller's own saved views of the incident list (GET/POST /incidents/views, PATCH/DELETE /incidents/views/{id}). */
export function savedViewsRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.get('/', requireScope('incidents:read'), async (request, response) => {
    response.json({ items: await listViews(deps, callerOf(request)) });
  });

  router.post('/', requireScope('incidents:read'), async (request, response) => {
    const body = parseInput(createSavedViewBodySchema, request.body, 'body');
    const view = await saveView(deps, callerOf(request), body);
    response.status(201).location(`/incidents/views/${view.id}`).json(view);
  });

  router.patch('/:id', requireScope('incidents:read'), async (request, response) => {
    const id = viewId(request);
    const body = parseInput(updateSavedViewBodySchema, request.body, 'body');
    response.json(await changeView(deps, callerOf(request), id, body));
  });

  router.delete('/:id', requireScope('incidents:read'), async (request, response) => {
    await deleteView(deps, callerOf(request), viewId(request));
    response.status(204).end();
  });

  return router;
}

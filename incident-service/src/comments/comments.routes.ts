import { callerOf, requireScope } from '@desk/auth';
import { createCommentBodySchema, pageQuerySchema } from '@desk/contracts';
import { parseInput } from '@desk/platform';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { incidentIdOrKey } from '../incidents/incidents.routes.js';
import { addComment } from './add-comment.use-case.js';
import { commentErrors } from './comment-errors.js';
import { getComment } from './get-comment.use-case.js';
import { listComments } from './list-comments.use-case.js';

/** Anything but a UUID cannot name a comment: 404, as for a comment that does not exist. */
function commentIdOf(request: Request): string {
  const parsed = z.object({ commentId: z.uuid() }).safeParse(request.params);
  if (!parsed.success) throw commentErrors.notFound();
  return parsed.data.commentId;
}

/** Comments and internal notes on an incident, mounted under /incidents. */
export function commentsRouter(deps: IncidentDependencies): Router {
  const router = Router();

  router.post('/:id/comments', requireScope('incidents:write'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    const body = parseInput(createCommentBodySchema, request.body, 'body');
    const comment = await addComment(deps, callerOf(request), idOrKey, body);
    response.location(`/incidents/${comment.incidentId}/comments/${comment.id}`);
    response.status(201).json(comment);
  });

  router.get('/:id/comments', requireScope('incidents:read'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    const page = parseInput(pageQuerySchema.strict(), request.query, 'query');
    response.json(await listComments(deps, callerOf(request), idOrKey, page));
  });

  router.get('/:id/comments/:commentId', requireScope('incidents:read'), async (request, response) => {
    const idOrKey = incidentIdOrKey(request);
    response.json(await getComment(deps, callerOf(request), idOrKey, commentIdOf(request)));
  });

  return router;
}

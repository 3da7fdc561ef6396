import type { Caller } from '@desk/auth';
import type { Comment } from '@desk/contracts';
import type { IncidentDependencies } from '../dependencies.js';
import { commentErrors } from './comment-errors.js';
import { commentsReadableBy } from './comment-access.js';
import { findIncidentComment, toComment } from './comments.repository.js';

/**
 * GET /incidents/{id}/comments/{commentId}, where a new comment's `Location` points. An internal
 * note asked for by someone who may not read it is a 404 like any missing comment.
 */
export async function getComment(deps: IncidentDependencies, caller: Caller, idOrKey: string, commentId: string): Promise<Comment> {
  const { incidentId, includeInternal } = await commentsReadableBy(deps.db, caller, idOrKey);
  const row = await findIncidentComment(deps.db, incidentId, commentId);
  if (!row || (row.is_internal && !includeInternal)) throw commentErrors.notFound();
  return toComment(row);
}

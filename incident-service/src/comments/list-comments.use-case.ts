import type { Caller } from '@desk/auth';
import type { Comment, Page, PageQuery } from '@desk/contracts';
import { decodeCursor, postgresTimestampText, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { commentsReadableBy } from './comment-access.js';
import { listIncidentComments, toComment } from './comments.repository.js';

/** The position is `created_at::text` and the id of the last comment shown. */
const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });

/** GET /incidents/{id}/comments: oldest first; internal notes only for those who may read them. */
export async function listComments(deps: IncidentDependencies, caller: Caller, idOrKey: string, page: PageQuery): Promise<Page<Comment>> {
  const { incidentId, includeInternal } = await commentsReadableBy(deps.db, caller, idOrKey);
  const after = page.cursor ? decodeCursor(cursorSchema, page.cursor) : undefined;
  const rows = await listIncidentComments(deps.db, {
    incidentId,
    includeInternal,
    limit: page.limit + 1,
    ...(after ? { after: { createdAt: after.t, id: after.id } } : {}),
  });
  return toPage(rows, page.limit, toComment, (row) => ({ t: row.position_time, id: row.id }));
}

import type { Caller } from '@desk/auth';
import { type Comment, type createCommentBodySchema, mayUseInternalNotes } from '@desk/contracts';
import type { Knex } from 'knex';
import type { z } from 'zod';
import { rowStamp } from '../clock.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncidentForUpdate, toIncidentSnapshot, touchIncident, updateIncident } from '../incidents/incidents.repository.js';
import { endWaitingChanges, recordWaitingEnded } from '../incidents/waiting.use-case.js';
import { maySee } from '../incidents/visibility.js';
import { appendTimeline } from '../timeline/timeline.repository.js';
import { checkMentions } from '../collaboration/mentions.js';
import { commentErrors } from './comment-errors.js';
import { insertComment, toComment } from './comments.repository.js';

export type AddCommentBody = z.output<typeof createCommentBodySchema>;

/**
 * POST /incidents/{id}/comments, in any status. The comment, the incident's activity time, the
 * timeline entry and the `incident.commented` event commit together under the incident's row
 * lock. A comment is activity, not a change to the incident's fields: the version (the ETag
 * clients hold for their edits) stays as it is. An internal note does not even move the
 * activity time (`updatedAt`): reporters see and sort by it.
 */
export async function addComment(
  deps: IncidentDependencies,
  caller: Caller,
  idOrKey: string,
  body: AddCommentBody,
  options: { within?: (trx: Knex.Transaction, comment: { id: string; incident_id: string }) => Promise<void> } = {},
): Promise<Comment> {
  const actor = actorOf(caller);
  const isInternal = body.isInternal ?? false;
  const row = await deps.db.transaction(async (trx) => {
    const incident = await findIncidentForUpdate(trx, idOrKey);
    if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
    if (isInternal && !mayUseInternalNotes(actor, factsOf(incident))) throw commentErrors.internalForbidden();
    const mentionedIds = await checkMentions(trx, incident, body.content, isInternal);

    const stamp = rowStamp(deps.clock);
    const comment = await insertComment(trx, { incidentId: incident.id, authorId: caller.id, content: body.content, isInternal, mentionedIds }, stamp);
    // A public comment is activity everyone sees; an internal note leaves the incident as it was
    // (its updatedAt, its place in lists), so a reporter cannot learn that one was written.
    // The reporter's reply to a question ends the wait: the resolution clock runs again.
    const replies = !isInternal && incident.waiting_since !== null && caller.id === incident.reporter_id;
    const touched = isInternal
      ? incident
      : replies
        ? await updateIncident(trx, incident.id, await endWaitingChanges(trx, incident, deps.clock.now()), stamp)
        : await touchIncident(trx, incident.id, stamp);
    await appendTimeline(trx, {
      incidentId: incident.id,
      action: 'commented',
      actorId: caller.id,
      newValue: { commentId: comment.id, isInternal },
      // Reporters must not even learn that an internal note was written.
      isInternal,
      at: stamp,
    });
    await deps.outbox.add(trx, 'incident.commented', {
      subject: incident.id,
      time: deps.clock.now(),
      data: {
        incident: toIncidentSnapshot(touched),
        actorId: caller.id,
        commentId: comment.id,
        isInternal,
        content: comment.content,
        createdAt: comment.created_at.toISOString(),
        mentionedIds,
      },
    });
    if (replies) await recordWaitingEnded(deps, trx, incident, touched, caller.id, 'replied');
    // What the caller records with the comment (a mail filed as it), in the same transaction.
    await options.within?.(trx, comment);
    return comment;
  });
  return toComment(row);
}

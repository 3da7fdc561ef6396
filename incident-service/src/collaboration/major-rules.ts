import { AppError } from '@desk/platform';
import type { Knex } from 'knex';

// What the lifecycle asks of major incidents, apart from their routes (which import the incident
// routes' helpers): the incident's own status changes check it.

export const majorErrors = {
  notFound: () => AppError.notFound('MAJOR.NOT_FOUND', 'This incident has not been declared a major incident.'),
  alreadyDeclared: () => AppError.conflict('MAJOR.ALREADY_DECLARED', 'This incident is a major incident already; post a status update instead.'),
  reviewRequired: () =>
    AppError.conflict('MAJOR.REVIEW_REQUIRED', 'This is a major incident: it closes once its post-incident review (what happened, the impact, the follow-ups) is written. A manager of its department or an admin writes it.'),
};

/** Whether the major incident's post-incident review is written (its closing waits for it). */
export async function hasReview(db: Knex | Knex.Transaction, incidentId: string): Promise<boolean> {
  return (await db('major_incidents').where('incident_id', incidentId).whereNotNull('reviewed_at').first('incident_id')) !== undefined;
}

import type { Caller } from '@desk/auth';
import type { Knex } from 'knex';
import { actorOf, factsOf } from '../incidents/actor.js';
import { incidentErrors } from '../incidents/incident-errors.js';
import { findIncident } from '../incidents/incidents.repository.js';
import { mayUseInternalNotes } from '@desk/contracts';
import { maySee } from '../incidents/visibility.js';

export interface ReadableComments {
  incidentId: string;
  /** Whether internal notes are among what the caller may read. */
  includeInternal: boolean;
}

/**
 * Which comments of an incident the caller may read. An incident they cannot see is a 404
 * rather than a 403, so its existence stays hidden from other departments.
 */
export async function commentsReadableBy(db: Knex, caller: Caller, idOrKey: string): Promise<ReadableComments> {
  const incident = await findIncident(db, idOrKey);
  const actor = actorOf(caller);
  if (!incident || !maySee(actor, factsOf(incident), caller.scopes)) throw incidentErrors.notFound();
  return { incidentId: incident.id, includeInternal: mayUseInternalNotes(actor, factsOf(incident)) };
}

import type { Incident } from '@desk/contracts';
import { QueryShapes } from '@desk/platform';
import type { Knex } from 'knex';

/**
 * The names of an incident's reporter and assignee, from the users replica, looked up when an
 * incident is read: anyone who may see an incident sees who reported and who works it, without
 * reading the directory. Never stored with the incident (api_json), so a rename shows at once.
 */
const NAMES = new QueryShapes();

export async function peopleNames(db: Knex, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  // One statement whatever the number of ids: the primary key answers each.
  const rows = await NAMES.run<{ id: string; full_name: string }>(db, 'users', 'names', [wanted], (users) => {
    users.select('id', 'full_name').whereRaw('id = any(?::uuid[])', [wanted]);
  });
  return new Map(rows.map((row) => [row.id, row.full_name]));
}

/** The incident with its people's names. */
export async function withPeopleNames(db: Knex, incident: Incident): Promise<Incident> {
  const names = await peopleNames(db, [incident.reporterId, incident.assigneeId]);
  return { ...incident, reporterName: names.get(incident.reporterId) ?? null, assigneeName: incident.assigneeId ? (names.get(incident.assigneeId) ?? null) : null };
}

/**
 * An incident's JSON text (api_json: an object, built by Postgres) with its people's names added
 * as its last two fields, without parsing it: a list writes its rows' JSON out as it is.
 */
export function jsonWithPeopleNames(json: string, reporterName: string | null, assigneeName: string | null): string {
  return `${json.slice(0, json.lastIndexOf('}'))},"reporterName":${JSON.stringify(reporterName)},"assigneeName":${JSON.stringify(assigneeName)}}`;
}

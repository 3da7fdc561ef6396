import type { Incident, InternalIncidentsQuery, Page } from '@desk/contracts';
import { decodeCursor, postgresTimestampText, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';
import { INCIDENT_COLUMNS, toIncident, type IncidentRow } from '../incidents/incidents.repository.js';

type ChangedRow = IncidentRow & { cursor_time: string };

/** The (updated_at, id) of the last incident of a page; the time as Postgres prints it, microseconds kept. */
const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });

/**
 * Incidents in the order they last changed, for services rebuilding or catching up their
 * incident replica: page to the end, then keep the last `updatedAt` seen as the next
 * `updatedSince`. `updatedSince` is inclusive, so a row sharing that instant is sent again rather
 * than missed; a replica that keeps the newer of two copies (by `version`) takes a repeat
 * harmlessly. Walks the incidents_updated index (updated_at desc, id desc) backwards.
 */
export async function listIncidentChanges({ db }: Pick<IncidentDependencies, 'db'>, query: InternalIncidentsQuery): Promise<Page<Incident>> {
  const builder = db('incidents')
    .select(INCIDENT_COLUMNS.map((column) => `incidents.${column}`))
    // A JS Date would round the microseconds off, and a page boundary inside one millisecond
    // would then skip or repeat rows.
    .select(db.raw('incidents.updated_at::text as cursor_time'));
  if (query.updatedSince !== undefined) builder.where('updated_at', '>=', query.updatedSince);
  if (query.cursor !== undefined) {
    const after = decodeCursor(cursorSchema, query.cursor);
    builder.whereRaw('(updated_at, id) > (?::timestamptz, ?::uuid)', [after.t, after.id]);
  }
  const rows = (await builder.orderBy([{ column: 'updated_at' }, { column: 'id' }]).limit(query.limit + 1)) as ChangedRow[];
  return toPage(rows, query.limit, toIncident, (row) => ({ t: row.cursor_time, id: row.id }));
}

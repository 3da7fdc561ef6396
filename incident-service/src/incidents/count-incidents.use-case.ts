import type { Caller } from '@desk/auth';
import { INCIDENT_COUNT_CAP, type IncidentCount, type IncidentFilterQuery } from '@desk/contracts';
import type { IncidentDependencies } from '../dependencies.js';
import { whereMatching } from './list-incidents.use-case.js';

/**
 * GET /incidents/count: how many incidents `GET /incidents` with the same filters lists, counted
 * up to INCIDENT_COUNT_CAP. The cap keeps a dashboard figure an index range of at most that many
 * entries at any table size; past it the figure says "1,000+".
 */
export async function countIncidents(deps: IncidentDependencies, caller: Caller, query: IncidentFilterQuery): Promise<IncidentCount> {
  const matching = deps.db('incidents').select(deps.db.raw('1')).limit(INCIDENT_COUNT_CAP + 1);
  await whereMatching(deps, caller, query, matching);
  const [row] = await deps.db.count<{ count: string | number }[]>({ count: '*' }).from(matching.as('matching'));
  const count = Number(row?.count ?? 0);
  return { count: Math.min(count, INCIDENT_COUNT_CAP), capped: count > INCIDENT_COUNT_CAP };
}

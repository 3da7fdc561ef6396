import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import type { IncidentFilters } from './queries';

/** Filters live in the address, so a filtered list can be bookmarked, shared and saved as a view. */
export function filtersFromParams(params: URLSearchParams): IncidentFilters {
  const status = (params.get('status') ?? '').split(',').filter((value): value is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(value));
  const priority = params.get('priority');
  const assignee = params.get('assignee');
  const sort = params.get('sort');
  const department = params.get('department') ?? '';
  return {
    status,
    priority: priority && (INCIDENT_PRIORITIES as readonly string[]).includes(priority) ? (priority as IncidentPriority) : 'all',
    assignee: assignee === 'me' || assignee === 'unassigned' || (assignee && UUID.test(assignee)) ? assignee : 'anyone',
    breached: params.get('breached') === 'true',
    q: params.get('q') ?? '',
    sort: sort === 'createdAt' || sort === 'priority' ? sort : 'updatedAt',
    ...(UUID.test(department) ? { department } : {}),
    ...(params.get('due') === 'soon' ? { dueSoon: true } : {}),
    ...(params.get('watching') === 'true' ? { watching: true } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filtersToParams(filters: IncidentFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  if (filters.priority !== 'all') params.set('priority', filters.priority);
  if (filters.assignee !== 'anyone') params.set('assignee', filters.assignee);
  if (filters.breached) params.set('breached', 'true');
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.department) params.set('department', filters.department);
  if (filters.dueSoon) params.set('due', 'soon');
  if (filters.watching) params.set('watching', 'true');
  if (filters.sort !== 'updatedAt') params.set('sort', filters.sort);
  return params;
}

/** One spelling of a list address's filters (known ones, fixed order): what a saved view keeps and is matched by. */
export function canonicalQuery(params: URLSearchParams | string): string {
  return filtersToParams(filtersFromParams(new URLSearchParams(params))).toString();
}

/** The list's address for a saved view's query. */
export function viewHref(query: string): string {
  return query ? `/incidents?${query}` : '/incidents';
}

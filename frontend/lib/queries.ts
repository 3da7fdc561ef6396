'use client';

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type {
  AnalyticsSummary,
  AnalyticsTrends,
  AnalyticsWorkload,
  Category,
  Comment,
  Department,
  Incident,
  IncidentCount,
  IncidentPerson,
  IncidentPriority,
  IncidentStatus,
  MfaStatus,
  NotificationPage,
  Page,
  SavedView,
  SlaPolicy,
  TimelineEntry,
  User,
  UserRole,
} from '@desk/contracts';
import type { ApiClient } from './api-client';
import { useApi, useSession } from './session';

export interface IncidentFilters {
  status: IncidentStatus[];
  priority: IncidentPriority | 'all';
  /** `anyone`, `me`, `unassigned`, or a person's id (a dashboard's workload links to one). */
  assignee: 'anyone' | 'me' | 'unassigned' | (string & {});
  breached: boolean;
  q: string;
  sort: 'updatedAt' | 'createdAt' | 'priority';
  /** A department's id, or '' for any (admins; others see one department anyway). */
  department?: string;
  /** Only incidents with a target running out within DUE_SOON_HOURS. */
  dueSoon?: boolean;
}

export const DEFAULT_INCIDENT_FILTERS: IncidentFilters = { status: [], priority: 'all', assignee: 'anyone', breached: false, q: '', sort: 'updatedAt', department: '', dueSoon: false };

/** "Due soon" on dashboards and in the list: a response or resolution target running out within this. */
export const DUE_SOON_HOURS = 4;

export interface AnalyticsFilters {
  from: string;
  to: string;
  /** A department id, or `all`. */
  departmentId: string;
  interval: 'day' | 'week';
}

/** Query keys: one place, so mutations invalidate exactly what they change. */
export const keys = {
  incidents: ['incidents'] as const,
  incidentList: (filters: IncidentFilters) => ['incidents', 'list', filters] as const,
  incident: (key: string) => ['incidents', 'detail', key] as const,
  incidentBoard: ['incidents', 'board'] as const,
  incidentBoardColumn: (filters: IncidentFilters, status: IncidentStatus) => ['incidents', 'board', filters, status] as const,
  dashboard: (...parts: unknown[]) => ['incidents', 'dashboard', ...parts] as const,
  comments: (id: string) => ['incidents', 'comments', id] as const,
  timeline: (id: string) => ['incidents', 'timeline', id] as const,
  incidentPeople: (id: string) => ['incidents', 'people', id] as const,
  categories: (includeInactive: boolean) => ['categories', includeInactive] as const,
  departments: ['departments'] as const,
  users: (filters: Record<string, string | undefined>) => ['users', filters] as const,
  allUsers: ['users'] as const,
  allCategories: ['categories'] as const,
  slaPolicies: ['sla-policies'] as const,
  notifications: ['notifications'] as const,
  notificationList: (unread: boolean) => ['notifications', 'list', unread] as const,
  unread: ['notifications', 'unread'] as const,
  preferences: ['notifications', 'preferences'] as const,
  analytics: (part: string, filters: AnalyticsFilters) => ['analytics', part, filters] as const,
  ownMfa: ['mfa'] as const,
  views: ['views'] as const,
  userMfa: (id: string) => ['users', 'mfa', id] as const,
};

/** What the list and a count ask the API for the same filters. */
export function incidentFilterQuery(filters: IncidentFilters) {
  return {
    status: filters.status,
    priority: filters.priority === 'all' ? undefined : filters.priority,
    assigneeId: filters.assignee === 'anyone' ? undefined : filters.assignee,
    breached: filters.breached ? 'true' : undefined,
    q: filters.q.trim() || undefined,
    departmentId: filters.department || undefined,
    dueBefore: filters.dueSoon ? new Date(Date.now() + DUE_SOON_HOURS * 3_600_000).toISOString() : undefined,
  };
}

export function incidentQuery(filters: IncidentFilters, cursor: string | undefined) {
  return { ...incidentFilterQuery(filters), sort: filters.sort, limit: 25, cursor };
}

/** How many incidents the list with these filters holds (up to the API's cap): a dashboard figure. */
export function useIncidentCount(filters: IncidentFilters) {
  const api = useApi();
  return useQuery({
    queryKey: keys.dashboard('count', filters),
    queryFn: ({ signal }) => api.json<IncidentCount>('/incidents/count', { query: incidentFilterQuery(filters), signal }),
  });
}

/** The first few incidents of a list, for a dashboard panel. */
export function useIncidentSample(filters: IncidentFilters, limit: number) {
  const api = useApi();
  return useQuery({
    queryKey: keys.dashboard('sample', filters, limit),
    queryFn: ({ signal }) => api.json<Page<Incident>>('/incidents', { query: { ...incidentQuery(filters, undefined), limit }, signal }),
    select: (page) => page.items,
  });
}

export function useIncidents(filters: IncidentFilters) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.incidentList(filters),
    queryFn: ({ pageParam, signal }) => api.json<Page<Incident>>('/incidents', { query: incidentQuery(filters, pageParam), signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** One column of the board: the incidents in one status that match the list's filters, a page at a time. */
export function useBoardColumn(filters: IncidentFilters, status: IncidentStatus) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.incidentBoardColumn(filters, status),
    queryFn: ({ pageParam, signal }) => api.json<Page<Incident>>('/incidents', { query: incidentQuery({ ...filters, status: [status] }, pageParam), signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useIncident(key: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.incident(key), queryFn: ({ signal }) => api.json<Incident>(`/incidents/${encodeURIComponent(key)}`, { signal }) });
}

export function useComments(incidentId: string | undefined) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.comments(incidentId ?? ''),
    enabled: Boolean(incidentId),
    queryFn: ({ pageParam, signal }) => api.json<Page<Comment>>(`/incidents/${incidentId}/comments`, { query: { limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTimeline(incidentId: string | undefined) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.timeline(incidentId ?? ''),
    enabled: Boolean(incidentId),
    queryFn: ({ pageParam, signal }) => api.json<Page<TimelineEntry>>(`/incidents/${incidentId}/timeline`, { query: { limit: 100, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useCategories(includeInactive = false) {
  const api = useApi();
  return useQuery({
    queryKey: keys.categories(includeInactive),
    queryFn: ({ signal }) => api.json<{ items: Category[] }>('/categories', { query: { includeInactive: includeInactive ? 'true' : undefined }, signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function useDepartments() {
  const api = useApi();
  return useQuery({
    queryKey: keys.departments,
    queryFn: ({ signal }) => api.json<{ items: Department[] }>('/departments', { signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

/** Every page of a user listing (admins: the organisation; managers: their department). */
export async function allUsers(api: ApiClient, filters: Record<string, string | undefined>, signal?: AbortSignal): Promise<User[]> {
  const users: User[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.json<Page<User>>('/users', { query: { ...filters, limit: 100, cursor }, ...(signal ? { signal } : {}) });
    users.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && users.length < 2_000);
  return users;
}

export function useUsers(filters: { departmentId?: string | undefined; role?: UserRole | undefined; q?: string | undefined; isActive?: string | undefined }, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.users(filters),
    enabled,
    queryFn: ({ signal }) => allUsers(api, filters, signal),
    staleTime: 60_000,
  });
}

/**
 * Names the viewer may show. On an incident page: the people on it (GET /incidents/{id}/people),
 * for anyone who may see the incident. Elsewhere: admins look up everyone in the directory,
 * managers their department. Whoever stays unknown is named by their part in the
 * incident (reporter, assignee) instead.
 */
export function usePeopleDirectory(incidentId?: string): Map<string, { fullName: string }> {
  const api = useApi();
  const { user } = useSession();
  const scope = user?.role === 'admin' ? {} : user?.role === 'manager' && user.departmentId ? { departmentId: user.departmentId } : null;
  // On an incident page the incident's own people are enough; the directory is for lists.
  const query = useUsers(scope ?? {}, scope !== null && incidentId === undefined);
  const involved = useQuery({
    queryKey: keys.incidentPeople(incidentId ?? ''),
    enabled: incidentId !== undefined,
    queryFn: ({ signal }) => api.json<{ items: IncidentPerson[] }>(`/incidents/${incidentId}/people`, { signal }),
    select: (data) => data.items,
    staleTime: 30_000,
  });
  const directory = new Map<string, { fullName: string }>();
  for (const person of involved.data ?? []) directory.set(person.id, person);
  for (const person of query.data ?? []) directory.set(person.id, person);
  if (user) directory.set(user.id, user);
  return directory;
}

/** The signed-in person's saved views of the incident list (the sidebar's "Saved views"). */
export function useSavedViews(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.views,
    enabled,
    queryFn: ({ signal }) => api.json<{ items: SavedView[] }>('/incidents/views', { signal }),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

/** The signed-in person's two-step sign-in: on or off, recovery codes left, whether their role must have it. */
export function useOwnMfa() {
  const api = useApi();
  return useQuery({ queryKey: keys.ownMfa, queryFn: ({ signal }) => api.json<MfaStatus>('/auth/mfa', { signal }) });
}

/** Someone's two-step sign-in, for an admin. */
export function useUserMfa(id: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.userMfa(id), queryFn: ({ signal }) => api.json<MfaStatus>(`/users/${id}/mfa`, { signal }) });
}

export function useSlaPolicies() {
  const api = useApi();
  return useQuery({ queryKey: keys.slaPolicies, queryFn: ({ signal }) => api.json<{ items: SlaPolicy[] }>('/sla-policies', { signal }), select: (data) => data.items });
}

export function useNotifications(unreadOnly: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.notificationList(unreadOnly),
    queryFn: ({ pageParam, signal }) => api.json<NotificationPage>('/notifications', { query: { unread: unreadOnly ? 'true' : undefined, limit: 25, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The header's badge. Polled slowly; the live stream invalidates it at once when it can. */
export function useUnreadCount(enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: keys.unread,
    enabled,
    queryFn: ({ signal }) => api.json<NotificationPage>('/notifications', { query: { unread: 'true', limit: 1 }, signal }),
    select: (data) => data.unreadCount,
    refetchInterval: 60_000,
  });
}

function analyticsQuery(filters: AnalyticsFilters) {
  return { from: filters.from || undefined, to: filters.to || undefined, departmentId: filters.departmentId === 'all' ? undefined : filters.departmentId };
}

// The figures on screen stay while other filters load, or while the filters cannot be asked (`enabled`).
export function useAnalyticsSummary(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('summary', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsSummary>('/analytics/summary', { query: analyticsQuery(filters), signal }),
  });
}

export function useAnalyticsTrends(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('trends', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsTrends>('/analytics/trends', { query: { ...analyticsQuery(filters), interval: filters.interval }, signal }),
  });
}

export function useAnalyticsWorkload(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('workload', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsWorkload>('/analytics/workload', { query: analyticsQuery(filters), signal }),
  });
}

export { analyticsQuery };

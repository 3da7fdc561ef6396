'use client';

import { useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import type { Comment, Incident, IncidentCount, IncidentPriority, IncidentStatus, Page, SavedView, TimelineEntry } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

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
  /** Only the incidents the signed-in person watches. */
  watching?: boolean;
}

export const DEFAULT_INCIDENT_FILTERS: IncidentFilters = { status: [], priority: 'all', assignee: 'anyone', breached: false, q: '', sort: 'updatedAt', department: '', dueSoon: false };

/** "Due soon" on dashboards and in the list: a response or resolution target running out within this. */
export const DUE_SOON_HOURS = 4;

/** What the list and a count ask the API for the same filters. */
export function incidentFilterQuery(filters: IncidentFilters) {
  return {
    status: filters.status,
    priority: filters.priority === 'all' ? undefined : filters.priority,
    assigneeId: filters.assignee === 'anyone' ? undefined : filters.assignee,
    breached: filters.breached ? 'true' : undefined,
    watching: filters.watching ? 'true' : undefined,
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

/** One count per list of filters (a person's open work, say), with the keys `useIncidentCount` uses, so both stay in step. */
export function useIncidentCounts(filtersList: IncidentFilters[]) {
  const api = useApi();
  return useQueries({
    queries: filtersList.map((filters) => ({
      queryKey: keys.dashboard('count', filters),
      queryFn: ({ signal }: { signal: AbortSignal }) => api.json<IncidentCount>('/incidents/count', { query: incidentFilterQuery(filters), signal }),
    })),
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

/** The command palette's few incidents matching words, the latest changed first, while it is open. */
export function useIncidentSearch(q: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: keys.incidentSearch(q),
    enabled,
    queryFn: ({ signal }) => api.json<Page<Incident>>('/incidents', { query: { q, limit: 6, sort: 'updatedAt' }, signal }),
    staleTime: 10_000,
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

'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { IncidentLinkList, MajorIncident, MajorIncidentNoticeList, MentionablePerson, Satisfaction, WatcherCandidate, WatcherList } from '@desk/contracts';
import { ApiError } from '../api-client';
import { useApi } from '../session';
import { keys } from './keys';

// Working together on an incident: who watches it, who may be mentioned, its links to other
// incidents, and what makes it a major incident.

export function useWatchers(incidentId: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.watchers(incidentId), queryFn: ({ signal }) => api.json<WatcherList>(`/incidents/${incidentId}/watchers`, { signal }), select: (data) => data.items });
}

/** People to add as watchers, by name (two letters at least). */
export function useWatcherCandidates(incidentId: string, q: string) {
  const api = useApi();
  const term = q.trim();
  return useQuery({
    queryKey: keys.watcherCandidates(incidentId, term),
    enabled: term.length >= 2,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<{ items: WatcherCandidate[] }>(`/incidents/${incidentId}/watcher-candidates`, { query: { q: term }, signal }),
    select: (data) => data.items,
  });
}

/** Who the comment box may mention: people who may see the incident (and for a note, read notes). */
export function useMentionable(incidentId: string, q: string | null, internal: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: keys.mentionable(incidentId, q ?? '', internal),
    enabled: q !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    queryFn: ({ signal }) => api.json<{ items: MentionablePerson[] }>(`/incidents/${incidentId}/mentionable`, { query: { q: q ?? '', internal: internal ? 'true' : undefined }, signal }),
    select: (data) => data.items,
  });
}

export function useIncidentLinks(incidentId: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.links(incidentId), queryFn: ({ signal }) => api.json<IncidentLinkList>(`/incidents/${incidentId}/links`, { signal }), select: (data) => data.items });
}

/** The major incident's summary, updates and review; only asked for an incident declared one. */
export function useMajorIncident(incidentId: string, isMajor: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: keys.major(incidentId),
    enabled: isMajor,
    queryFn: ({ signal }) => api.json<MajorIncident>(`/incidents/${incidentId}/major`, { signal }),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
}

/** The ongoing major incidents that affect the signed-in person; looked at again every minute. */
export function useMajorNotices() {
  const api = useApi();
  return useQuery({
    queryKey: keys.majorNotices,
    queryFn: ({ signal }) => api.json<MajorIncidentNoticeList>('/major-incidents', { signal }),
    select: (data) => data.items,
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
}

/** The reporter's rating of a resolved incident, and whether the viewer may rate it now. */
export function useSatisfaction(incidentId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({ queryKey: keys.satisfaction(incidentId), enabled, queryFn: ({ signal }) => api.json<Satisfaction>(`/incidents/${incidentId}/satisfaction`, { signal }) });
}

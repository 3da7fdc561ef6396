'use client';

import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CreateIncidentLinkBody, Incident, IncidentLink, MajorIncident, MajorUpdate, PostIncidentReview, PostIncidentReviewBody, PutSatisfactionBody, Satisfaction, Watcher } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';
import { invalidateIncidentViews } from './incidents';

// Watchers, links between incidents and major incidents. Each write refreshes the incident (its
// version and status may move), its timeline and what it changed; callers add toasts.

type IncidentRef = Pick<Incident, 'id' | 'key'>;

function settle(queryClient: QueryClient, incident: IncidentRef, ...more: (readonly unknown[])[]): void {
  void queryClient.invalidateQueries({ queryKey: keys.incident(incident.key) });
  void queryClient.invalidateQueries({ queryKey: keys.timeline(incident.id) });
  void queryClient.invalidateQueries({ queryKey: keys.incidentPeople(incident.id) });
  for (const key of more) void queryClient.invalidateQueries({ queryKey: key });
  invalidateIncidentViews(queryClient);
}

/** Watch (`me`) or add someone as a watcher. */
export function useAddWatcher(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => traceAction(userId === 'me' ? 'Watch an incident' : 'Add a watcher', () => api.json<Watcher>(`/incidents/${incident.id}/watchers/${userId}`, { method: 'PUT' })),
    onSuccess: () => settle(queryClient, incident, keys.watchers(incident.id)),
  });
}

/** Stop watching (`me`) or remove a watcher. */
export function useRemoveWatcher(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => traceAction(userId === 'me' ? 'Stop watching an incident' : 'Remove a watcher', () => api.json<undefined>(`/incidents/${incident.id}/watchers/${userId}`, { method: 'DELETE' })),
    onSuccess: () => settle(queryClient, incident, keys.watchers(incident.id)),
  });
}

export function useCreateLink(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateIncidentLinkBody) => traceAction('Link incidents', () => api.json<IncidentLink>(`/incidents/${incident.id}/links`, { method: 'POST', body })),
    // The other incident changed too (its links; a duplicate closed).
    onSuccess: (link) => settle(queryClient, incident, keys.links(incident.id), keys.links(link.incident.id), keys.incident(link.incident.key)),
  });
}

export function useDeleteLink(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (link: IncidentLink) => traceAction('Unlink incidents', () => api.json<undefined>(`/incidents/${incident.id}/links/${link.id}`, { method: 'DELETE' })),
    onSuccess: (_, link) => settle(queryClient, incident, keys.links(incident.id), keys.links(link.incident.id)),
  });
}

export function useDeclareMajor(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (summary: string) => traceAction('Declare a major incident', () => api.json<MajorIncident>(`/incidents/${incident.id}/major`, { method: 'POST', body: { summary } })),
    onSuccess: (major) => {
      queryClient.setQueryData(keys.major(incident.id), major);
      settle(queryClient, incident, keys.majorNotices);
    },
  });
}

export function usePostMajorUpdate(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (message: string) => traceAction('Post a major incident update', () => api.json<MajorUpdate>(`/incidents/${incident.id}/major/updates`, { method: 'POST', body: { message } })),
    onSuccess: () => settle(queryClient, incident, keys.major(incident.id), keys.majorNotices),
  });
}

export function useWriteReview(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PostIncidentReviewBody) => traceAction('Write the post-incident review', () => api.json<PostIncidentReview>(`/incidents/${incident.id}/review`, { method: 'PUT', body })),
    onSuccess: () => settle(queryClient, incident, keys.major(incident.id)),
  });
}

/** The reporter rates the resolved incident (or changes the rating). */
export function useRateIncident(incident: IncidentRef) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutSatisfactionBody) => traceAction('Rate an incident', () => api.json<Satisfaction>(`/incidents/${incident.id}/satisfaction`, { method: 'PUT', body })),
    onSuccess: (satisfaction) => {
      queryClient.setQueryData(keys.satisfaction(incident.id), satisfaction);
      void queryClient.invalidateQueries({ queryKey: keys.timeline(incident.id) });
    },
  });
}

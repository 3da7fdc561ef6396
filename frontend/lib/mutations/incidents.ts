'use client';

import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Comment, CreateIncidentBody, Incident, IncidentLevel, IncidentPriority, IncidentStatus, User } from '@desk/contracts';
import { useTranslations } from 'next-intl';
import { useCallback } from 'react';
import { ApiError, type ApiClient } from '@/lib/api-client';
import { useDescribeError } from '@/lib/i18n/errors';
import { keys } from '@/lib/queries';
import { traceAction } from '@/lib/telemetry/actions';
import { useApi } from '@/lib/session';

// Every write the portal makes to an incident, in one place: the requests (with the version the
// person saw, so a change made meanwhile is refused rather than overwritten) and what each one
// refreshes. Components call these; they do not build requests of their own.

/** What an incident's PATCH may change. */
export interface IncidentChange {
  status?: IncidentStatus;
  reason?: string;
  priority?: IncidentPriority;
  /** Why the priority is set by hand rather than by the matrix. */
  priorityReason?: string;
  impact?: IncidentLevel;
  urgency?: IncidentLevel;
  title?: string;
  description?: string;
}

/** The version a write is based on: the incident as the person saw it. */
export type IncidentSeen = Pick<Incident, 'id' | 'version'>;

export function changeIncident(api: ApiClient, incident: IncidentSeen, change: IncidentChange, signal?: AbortSignal): Promise<Incident> {
  const action = change.status
    ? 'Change an incident\'s status'
    : change.priority
      ? 'Change an incident\'s priority'
      : change.impact || change.urgency
        ? 'Change an incident\'s impact or urgency'
        : 'Edit an incident';
  return traceAction(action, () => api.json<Incident>(`/incidents/${incident.id}`, { method: 'PATCH', body: change, headers: { 'If-Match': `"${incident.version}"` }, ...(signal ? { signal } : {}) }));
}

export function assignIncident(api: ApiClient, incident: IncidentSeen, assigneeId: string | null, signal?: AbortSignal): Promise<Incident> {
  return traceAction('Assign an incident', () => api.json<Incident>(`/incidents/${incident.id}/assign`, { method: 'PATCH', body: { assigneeId, version: incident.version }, ...(signal ? { signal } : {}) }));
}

export function addComment(api: ApiClient, incidentId: string, comment: { content: string; isInternal?: boolean }): Promise<Comment> {
  return traceAction('Comment on an incident', () => api.json<Comment>(`/incidents/${incidentId}/comments`, { method: 'POST', body: comment }));
}

/** Files an incident once, however often the request is retried with the same key. */
export function createIncident(api: ApiClient, body: CreateIncidentBody, idempotencyKey: string): Promise<Incident> {
  return traceAction('Report an incident', () => api.json<Incident>('/incidents', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } }));
}

/** Every view of many incidents: lists, the board, dashboards and the figures built on them. */
export function invalidateIncidentViews(queryClient: QueryClient): void {
  void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] === 'incidents' && query.queryKey[1] !== 'detail' && query.queryKey[1] !== 'comments' && query.queryKey[1] !== 'timeline' && query.queryKey[1] !== 'people' });
  void queryClient.invalidateQueries({ queryKey: ['analytics'] });
}

/** After a write answered with the incident: show the answer at once, refresh what it changed. */
export function settleIncident(queryClient: QueryClient, updated: Incident): void {
  queryClient.setQueryData(keys.incident(updated.key), updated);
  void queryClient.invalidateQueries({ queryKey: keys.timeline(updated.id) });
  void queryClient.invalidateQueries({ queryKey: keys.incidentPeople(updated.id) });
  invalidateIncidentViews(queryClient);
}

/** After a comment: the conversation, the timeline, the people on it and the incident itself. */
export function settleComment(queryClient: QueryClient, incident: Pick<Incident, 'id' | 'key'>): void {
  void queryClient.invalidateQueries({ queryKey: keys.comments(incident.id) });
  void queryClient.invalidateQueries({ queryKey: keys.timeline(incident.id) });
  void queryClient.invalidateQueries({ queryKey: keys.incidentPeople(incident.id) });
  void queryClient.invalidateQueries({ queryKey: keys.incident(incident.key) });
  invalidateIncidentViews(queryClient);
}

/** A write refused because the incident moved on (412) or its status no longer allows it (409). */
export function isConflict(error: unknown): error is ApiError {
  return error instanceof ApiError && (error.status === 412 || error.status === 409);
}

/** What to tell someone whose change was refused because the incident had moved on. */
export function useConflictMessage(): (error: unknown) => { title: string; detail: string } {
  const t = useTranslations('incidents.conflict');
  const describe = useDescribeError();
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError && error.status === 412) return { title: t('changedTitle'), detail: t('changedDetail') };
      if (error instanceof ApiError && error.status === 409) return { title: error.title, detail: error.detail ?? t('notPossibleDetail') };
      return describe(error);
    },
    [t, describe],
  );
}

/** The incident page's writes: a change of fields or status, and assignment. */
export function useIncidentMutations(incident: Incident, options: { onError?: (error: unknown) => void } = {}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const onError = (error: unknown) => {
    if (isConflict(error)) void queryClient.invalidateQueries({ queryKey: keys.incident(incident.key) });
    options.onError?.(error);
  };
  const patch = useMutation({
    mutationFn: (change: IncidentChange) => changeIncident(api, incident, change),
    onSuccess: (updated) => settleIncident(queryClient, updated),
    onError,
  });
  const assign = useMutation({
    mutationFn: (assigneeId: string | null) => assignIncident(api, incident, assigneeId),
    onSuccess: (updated) => settleIncident(queryClient, updated),
    onError,
  });
  return { patch, assign };
}

/**
 * Assigning one incident to a person picked from a list (a dashboard's workload). A refusal
 * because the incident moved on refreshes everything read about incidents.
 */
export function useAssignTo(incident: IncidentSeen, options: { onAssigned?: (updated: Incident, person: User) => void; onError?: (error: unknown) => void } = {}) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (person: User) => assignIncident(api, incident, person.id),
    onSuccess: (updated, person) => {
      settleIncident(queryClient, updated);
      options.onAssigned?.(updated, person);
    },
    onError: (error) => {
      if (isConflict(error)) void queryClient.invalidateQueries({ queryKey: keys.incidents });
      options.onError?.(error);
    },
  });
}

/**
 * Waiting on the reporter: `ask` posts the question (a public comment) and pauses the resolution
 * clock; `stop` ends the wait. Both answer with the incident.
 */
export function useWaiting(incident: Incident) {
  const api = useApi();
  const queryClient = useQueryClient();
  const onError = (error: unknown) => {
    if (isConflict(error)) void queryClient.invalidateQueries({ queryKey: keys.incident(incident.key) });
  };
  const ask = useMutation({
    mutationFn: (message: string) =>
      traceAction('Ask the reporter', () => api.json<Incident>(`/incidents/${incident.id}/waiting`, { method: 'POST', body: { message }, headers: { 'If-Match': `"${incident.version}"` } })),
    onSuccess: (updated) => {
      settleIncident(queryClient, updated);
      settleComment(queryClient, updated);
    },
    onError,
  });
  const stop = useMutation({
    mutationFn: () => traceAction('Stop waiting on the reporter', () => api.json<Incident>(`/incidents/${incident.id}/waiting`, { method: 'DELETE' })),
    onSuccess: (updated) => settleIncident(queryClient, updated),
    onError,
  });
  return { ask, stop };
}

/** A comment or internal note on an incident. */
export function useAddComment(incident: Pick<Incident, 'id' | 'key'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (comment: { content: string; isInternal?: boolean }) => addComment(api, incident.id, comment),
    onSuccess: () => settleComment(queryClient, incident),
  });
}

/** Reporting an incident; the key makes a retried submission file it once. */
export function useCreateIncident(idempotencyKey: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateIncidentBody) => createIncident(api, body, idempotencyKey),
    onSuccess: () => invalidateIncidentViews(queryClient),
  });
}

'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateSavedViewBody, SavedView, UpdateSavedViewBody } from '@desk/contracts';
import type { ApiClient } from '@/lib/api-client';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// A person's saved views of the incident list: saving, renaming and deleting them. Each write
// refreshes the list of views (the sidebar), nothing else.

export function saveView(api: ApiClient, body: CreateSavedViewBody): Promise<SavedView> {
  return traceAction('Save a view', () => api.json<SavedView>('/incidents/views', { method: 'POST', body }));
}

export function changeView(api: ApiClient, id: string, body: UpdateSavedViewBody): Promise<SavedView> {
  return traceAction('Rename a view', () => api.json<SavedView>(`/incidents/views/${id}`, { method: 'PATCH', body }));
}

export function deleteView(api: ApiClient, id: string): Promise<void> {
  return traceAction('Delete a view', () => api.json<void>(`/incidents/views/${id}`, { method: 'DELETE' }));
}

export function useSaveView() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedViewBody) => saveView(api, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.views }),
  });
}

export function useRenameView() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => changeView(api, id, { name }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.views }),
  });
}

export function useDeleteView() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteView(api, id),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.views }),
  });
}

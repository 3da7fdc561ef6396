'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

/** Marking one notification, or all of them, as read; the inbox and the unread badge follow. */
export function useNotificationReads() {
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.notifications });
  const markRead = useMutation({
    mutationFn: (id: string) => traceAction('Mark a notification read', () => api.json(`/notifications/${id}/read`, { method: 'POST' })),
    onSuccess: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => traceAction('Mark all notifications read', () => api.json<{ updated: number }>('/notifications/read-all', { method: 'POST' })),
    onSuccess: refresh,
  });
  return { markRead, markAll };
}

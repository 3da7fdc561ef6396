'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { NotificationPage, Preference } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

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

/** Which events reach the signed-in person by email and in the app (event types left out are on for both). */
export function useNotificationPreferences() {
  const api = useApi();
  return useQuery({
    queryKey: keys.preferences,
    queryFn: ({ signal }) => api.json<{ items: Preference[] }>('/notifications/preferences', { signal }),
    select: (data) => data.items,
  });
}

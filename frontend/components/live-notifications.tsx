'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { toast } from 'sonner';
import type { Notification } from '@desk/contracts';
import { followEventStream } from '@/lib/event-stream';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';

/**
 * Follows the caller's notification stream (server-sent events; reconnecting and resuming as
 * `followEventStream` does). Each notification refreshes the inbox and the unread badge,
 * and shows a toast (the incident it is about refreshes from the incident change stream,
 * `LiveIncidents`). `event: reset` (the server cannot resume
 * where this tab left off) reloads the inbox.
 */
export function LiveNotifications() {
  const api = useApi();
  const queryClient = useQueryClient();
  const router = useRouter();

  useEffect(() => {
    const controller = new AbortController();

    const handle = (data: string) => {
      void queryClient.invalidateQueries({ queryKey: keys.notifications });
      let notification: Partial<Notification> | undefined;
      try {
        notification = JSON.parse(data) as Partial<Notification>;
      } catch {
        notification = undefined;
      }
      if (notification?.headline) {
        const key = notification.incidentKey;
        toast(notification.headline, {
          ...(notification.detail ? { description: notification.detail } : {}),
          ...(key ? { action: { label: 'Open', onClick: () => router.push(`/incidents/${key}`) } } : {}),
        });
      }
    };

    void followEventStream(api, '/notifications/stream', {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.event === 'notification') handle(event.data);
        if (event.event === 'reset') void queryClient.invalidateQueries({ queryKey: keys.notifications });
      },
    });
    return () => controller.abort();
  }, [api, queryClient, router]);

  return null;
}

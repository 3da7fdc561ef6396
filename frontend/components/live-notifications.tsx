'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { toast } from 'sonner';
import type { Notification } from '@desk/contracts';
import { ApiError } from '@/lib/api-client';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { parseServerSentEvents } from '@/lib/sse';

/**
 * Follows the caller's notification stream (server-sent events). EventSource cannot send an
 * Authorization header, so the stream is read with fetch; it reconnects with backoff and
 * resumes after the last event it saw. Each notification refreshes the inbox, the unread badge
 * and the incident it is about, and shows a toast.
 */
export function LiveNotifications() {
  const api = useApi();
  const queryClient = useQueryClient();
  const router = useRouter();

  useEffect(() => {
    const controller = new AbortController();
    let lastEventId: string | undefined;
    let delay = 2_000;

    const handle = (data: string) => {
      void queryClient.invalidateQueries({ queryKey: keys.notifications });
      let notification: Partial<Notification> | undefined;
      try {
        notification = JSON.parse(data) as Partial<Notification>;
      } catch {
        notification = undefined;
      }
      if (notification?.incidentKey) {
        void queryClient.invalidateQueries({ queryKey: keys.incident(notification.incidentKey) });
        void queryClient.invalidateQueries({ queryKey: ['incidents', 'list'] });
      }
      if (notification?.headline) {
        const key = notification.incidentKey;
        toast(notification.headline, {
          ...(notification.detail ? { description: notification.detail } : {}),
          ...(key ? { action: { label: 'Open', onClick: () => router.push(`/incidents/${key}`) } } : {}),
        });
      }
    };

    const follow = async () => {
      while (!controller.signal.aborted) {
        try {
          const response = await api.send('/notifications/stream', {
            headers: { Accept: 'text/event-stream', ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) },
            signal: controller.signal,
          });
          delay = 2_000;
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseServerSentEvents(buffer + value);
            buffer = parsed.rest;
            for (const event of parsed.events) {
              if (event.id) lastEventId = event.id;
              if (event.event === 'notification') handle(event.data);
            }
          }
        } catch (error) {
          if (controller.signal.aborted) return;
          // Signed out: the shell takes the person to the sign-in page.
          if (error instanceof ApiError && error.status === 401) return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 60_000);
      }
    };
    void follow();
    return () => controller.abort();
  }, [api, queryClient, router]);

  return null;
}

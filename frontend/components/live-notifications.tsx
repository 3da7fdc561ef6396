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

/** Why the server ended the stream (`event: closed`): whether following it again makes sense. */
type ClosedReason = 'too-many-streams' | 'token-expired' | 'access-revoked';

/**
 * Follows the caller's notification stream (server-sent events). EventSource cannot send an
 * Authorization header, so the stream is read with fetch; it reconnects with backoff and
 * resumes after the last event it saw. Each notification refreshes the inbox, the unread badge
 * and the incident it is about, and shows a toast. `event: reset` (the server cannot resume
 * where this tab left off) reloads the inbox; `event: closed` says whether to come back: at once
 * with a fresh token when the token expired, never when newer streams of this person took its
 * place or their access changed (the next request signs them out).
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
          let closed: ClosedReason | undefined;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseServerSentEvents(buffer + value);
            buffer = parsed.rest;
            for (const event of parsed.events) {
              if (event.id) lastEventId = event.id;
              if (event.event === 'notification') handle(event.data);
              if (event.event === 'reset') {
                lastEventId = undefined;
                void queryClient.invalidateQueries({ queryKey: keys.notifications });
              }
              if (event.event === 'closed') closed = closedReason(event.data);
            }
          }
          if (closed === 'too-many-streams' || closed === 'access-revoked') return;
          // An expired token: the next request refreshes it, so reconnect at once.
          if (closed === 'token-expired') continue;
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

function closedReason(data: string): ClosedReason | undefined {
  try {
    return (JSON.parse(data) as { reason?: ClosedReason }).reason;
  } catch {
    return undefined;
  }
}

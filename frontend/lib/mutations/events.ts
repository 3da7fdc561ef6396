'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DiscardParkedEventBody, EventConsumer, ParkedEventView, ReplayParkedEventsResult } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Event health's writes: replaying parked events (one, or every one waiting) and discarding one.
// Each refreshes the parked events and the consumers' states; callers add their own toasts and
// field errors.

/** Hands one parked event back to its service. Refreshes whatever came of it, even a refusal. */
export function useReplayParkedEvent() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (event: ParkedEventView) => traceAction('Replay a parked event', () => api.json<ParkedEventView>(`/admin/events/parked/${event.id}/replay`, { method: 'POST' })),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: keys.parkedEvents }),
  });
}

/** Hands every waiting event back, of one service or all of them. */
export function useReplayAllParkedEvents() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (consumer: EventConsumer | 'all') =>
      traceAction('Replay parked events', () => api.json<ReplayParkedEventsResult>('/admin/events/parked/replay', { method: 'POST', body: consumer === 'all' ? {} : { consumer } })),
    // The services hand the events over within a second of the request: refresh after that.
    onSuccess: () => void setTimeout(() => void queryClient.invalidateQueries({ queryKey: keys.parkedEvents }), 1_500),
  });
}

/** Sets a parked event aside for good, with the reason kept with it. */
export function useDiscardParkedEvent(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DiscardParkedEventBody) => traceAction('Discard a parked event', () => api.json<ParkedEventView>(`/admin/events/parked/${id}`, { method: 'DELETE', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.parkedEvents }),
  });
}

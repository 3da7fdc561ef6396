'use client';

import { useQuery } from '@tanstack/react-query';
import type { EventConsumer, ParkedEventDetail, ParkedEventList, ParkedEventStatus } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

// Event health: the events services parked, and how each consuming service stands; both are
// asked again every ten seconds while shown.

/** Which parked events a list shows. */
export interface ParkedEventFilters {
  status: ParkedEventStatus;
  consumer: EventConsumer | 'all';
}

/** Parked events in one status, of one consuming service or all, with how each service stands. */
export function useParkedEvents(filters: ParkedEventFilters) {
  const api = useApi();
  const { status, consumer } = filters;
  return useQuery({
    queryKey: keys.parkedEventList(status, consumer),
    queryFn: ({ signal }) =>
      api.json<ParkedEventList>('/admin/events/parked', { query: { status, consumer: consumer === 'all' ? undefined : consumer, limit: 200 }, signal }),
    refetchInterval: 10_000,
  });
}

/** How each consuming service stands (its link to the broker, its events waiting), without the events. */
export function useEventConsumerStates() {
  const api = useApi();
  return useQuery({
    queryKey: keys.eventConsumerStates,
    queryFn: ({ signal }) => api.json<ParkedEventList>('/admin/events/parked', { query: { limit: 1 }, signal }),
    refetchInterval: 10_000,
  });
}

/** One parked event with the message itself, as the service received it. */
export function useParkedEvent(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.parkedEvent(id),
    queryFn: ({ signal }) => api.json<ParkedEventDetail>(`/admin/events/parked/${id}`, { signal }),
  });
}

'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { Page, Webhook, WebhookDelivery, WebhookDeliveryStatus } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

/** Every registered webhook endpoint (admins). */
export function useWebhooks() {
  const api = useApi();
  return useQuery({
    queryKey: keys.webhooks,
    queryFn: ({ signal }) => api.json<{ items: Webhook[] }>('/webhooks', { signal }),
  });
}

/** One endpoint, refreshed while the page is open (its state changes as deliveries fail or succeed). */
export function useWebhook(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: keys.webhook(id),
    queryFn: ({ signal }) => api.json<Webhook>(`/webhooks/${encodeURIComponent(id)}`, { signal }),
    refetchInterval: 10_000,
  });
}

/** An endpoint's delivery log, newest first, 25 a page, refreshed while retries are under way. */
export function useWebhookDeliveries(id: string, status: WebhookDeliveryStatus | 'all') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.webhookDeliveries(id, status),
    queryFn: ({ pageParam, signal }) =>
      api.json<Page<WebhookDelivery>>(`/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { limit: 25, cursor: pageParam, status: status === 'all' ? undefined : status }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages.some((page) => page.items.some((item) => item.status === 'PENDING' || item.status === 'SENDING')) ? 5_000 : false),
  });
}

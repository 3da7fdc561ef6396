'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import type { Delivery, DeliveryStatus, InboundMail, InboundMailStatus, Page, ServiceAccount } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

/** Other systems that call the API with client credentials, 50 a page. */
export function useServiceAccounts() {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.serviceAccounts,
    queryFn: ({ pageParam, signal }) => api.json<Page<ServiceAccount>>('/service-accounts', { query: { limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The mail log, newest first, 50 a page: every email the desk sent or tried to send, in one status or all. */
export function useMailDeliveries(status: DeliveryStatus | 'all') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.mailDeliveries(status),
    queryFn: ({ pageParam, signal }) =>
      api.json<Page<Delivery>>('/notifications/deliveries', { query: { limit: 50, cursor: pageParam, status: status === 'all' ? undefined : status }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** Mail to the desk, newest first, 50 a page: what became of each (filed, ignored as automatic, rejected). */
export function useInboundMails(status: InboundMailStatus | 'all') {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.inboundMails(status),
    queryFn: ({ pageParam, signal }) => api.json<Page<InboundMail>>('/inbound-mails', { query: { limit: 50, cursor: pageParam, status: status === 'all' ? undefined : status }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

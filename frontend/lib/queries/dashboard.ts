'use client';

import { useQuery } from '@tanstack/react-query';
import type { AnalyticsTrends, Delivery, Page, ParkedEventList, ServiceAccount, UserCount } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

// The dashboards' own figures. How many people are active is counted by the API (up to its cap);
// an administrator's other figures are one page each (its length is the figure, with "+" when
// there are more): a figure never costs more than the page it reads.

const PAGE = 100;

/** How many people are active, counted by identity-service up to USER_COUNT_CAP (`capped` beyond it). */
export function useActiveUserCount() {
  const api = useApi();
  const filters = { isActive: 'true' };
  return useQuery({ queryKey: keys.userCount(filters), queryFn: ({ signal }) => api.json<UserCount>('/users/count', { query: filters, signal }) });
}

/** The first page of service accounts. */
export function useServiceAccountPage() {
  const api = useApi();
  return useQuery({ queryKey: keys.dashboard('admin', 'service-accounts'), queryFn: ({ signal }) => api.json<Page<ServiceAccount>>('/service-accounts', { query: { limit: PAGE }, signal }) });
}

/** How each consuming service stands and how many events wait, asked again every 30 seconds. */
export function useEventHealth() {
  const api = useApi();
  return useQuery({
    queryKey: keys.dashboard('admin', 'events'),
    queryFn: ({ signal }) => api.json<ParkedEventList>('/admin/events/parked', { query: { limit: 1 }, signal }),
    refetchInterval: 30_000,
  });
}

/** The first page of emails that could not be sent, asked again every 30 seconds. */
export function useFailedMailPage() {
  const api = useApi();
  return useQuery({
    queryKey: keys.dashboard('admin', 'failed-mail'),
    queryFn: ({ signal }) => api.json<Page<Delivery>>('/notifications/deliveries', { query: { status: 'FAILED', limit: PAGE }, signal }),
    refetchInterval: 30_000,
  });
}

/** Incidents created and resolved per day from `from` to `to`, in one department or all. */
export function useDailyTrend(from: string, to: string, departmentId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.dashboard('trend', from, departmentId ?? 'all'),
    queryFn: ({ signal }) => api.json<AnalyticsTrends>('/analytics/trends', { query: { from, to, interval: 'day', departmentId }, signal }),
  });
}

'use client';

import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import type { AnalyticsSatisfaction, AnalyticsSummary, AnalyticsTrends, AnalyticsWorkload } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

export interface AnalyticsFilters {
  from: string;
  to: string;
  /** A department id, or `all`. */
  departmentId: string;
  interval: 'day' | 'week';
}

export function analyticsQuery(filters: AnalyticsFilters) {
  return { from: filters.from || undefined, to: filters.to || undefined, departmentId: filters.departmentId === 'all' ? undefined : filters.departmentId };
}

// The figures on screen stay while other filters load, or while the filters cannot be asked (`enabled`).
export function useAnalyticsSummary(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('summary', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsSummary>('/analytics/summary', { query: analyticsQuery(filters), signal }),
  });
}

export function useAnalyticsTrends(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('trends', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsTrends>('/analytics/trends', { query: { ...analyticsQuery(filters), interval: filters.interval }, signal }),
  });
}

export function useAnalyticsWorkload(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analytics('workload', filters),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsWorkload>('/analytics/workload', { query: analyticsQuery(filters), signal }),
  });
}

/** One summary per set of filters (a week of the window, say), without keeping old figures on screen. */
export function useAnalyticsSummaries(filtersList: AnalyticsFilters[], enabled: boolean) {
  const api = useApi();
  return useQueries({
    queries: filtersList.map((filters) => ({
      queryKey: keys.analytics('summary', filters),
      enabled,
      queryFn: ({ signal }: { signal: AbortSignal }) => api.json<AnalyticsSummary>('/analytics/summary', { query: analyticsQuery(filters), signal }),
    })),
  });
}

/** CSAT: the ratings given in the window (by when they were rated), overall, week by week and per department, category and assignee. */
export function useAnalyticsSatisfaction(filters: AnalyticsFilters, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.analyticsSatisfaction(analyticsQuery(filters)),
    enabled,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.json<AnalyticsSatisfaction>('/analytics/satisfaction', { query: analyticsQuery(filters), signal }),
  });
}

'use client';

import { useQuery } from '@tanstack/react-query';
import type { Availability, Calendar, Category, Department, PriorityMatrix, SlaPolicy } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

// How the desk is set up: its departments, the categories that route incidents to them, and
// the service levels per priority.

export function useCategories(includeInactive = false) {
  const api = useApi();
  return useQuery({
    queryKey: keys.categories(includeInactive),
    queryFn: ({ signal }) => api.json<{ items: Category[] }>('/categories', { query: { includeInactive: includeInactive ? 'true' : undefined }, signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function useDepartments() {
  const api = useApi();
  return useQuery({
    queryKey: keys.departments,
    queryFn: ({ signal }) => api.json<{ items: Department[] }>('/departments', { signal }),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function useSlaPolicies() {
  const api = useApi();
  return useQuery({ queryKey: keys.slaPolicies, queryFn: ({ signal }) => api.json<{ items: SlaPolicy[] }>('/sla-policies', { signal }), select: (data) => data.items });
}

/** Impact × urgency → priority: the report form shows what a choice means. */
export function usePriorityMatrix() {
  const api = useApi();
  return useQuery({ queryKey: keys.priorityMatrix, queryFn: ({ signal }) => api.json<PriorityMatrix>('/priority-matrix', { signal }), staleTime: 5 * 60_000 });
}

/** The business-hours calendars, the default first (staff, managers and admins). */
export function useCalendars() {
  const api = useApi();
  return useQuery({ queryKey: keys.calendars, queryFn: ({ signal }) => api.json<{ items: Calendar[] }>('/calendars', { signal }), select: (data) => data.items });
}

/** Who in a department takes new incidents from the routing, with their open work; `null`: the viewer's own department. */
export function useAvailability(departmentId: string | null, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.availability(departmentId),
    queryFn: ({ signal }) => api.json<{ items: Availability[] }>('/availability', { query: { departmentId: departmentId ?? undefined }, signal }),
    select: (data) => data.items,
    enabled,
  });
}

'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Availability, Calendar, CalendarAssignment, Category, CreateCalendarBody, PriorityMatrix, UpdatePriorityMatrixBody } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// How the desk runs: calendars, the priority matrix, routing and availability. Each write
// refreshes what it changes; callers add their own toasts and field errors.

export function useSaveCalendar(calendar: Calendar | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Omit<CreateCalendarBody, 'isDefault'>) =>
      traceAction(calendar ? 'Change a calendar' : 'Create a calendar', () =>
        calendar ? api.json<Calendar>(`/calendars/${calendar.id}`, { method: 'PATCH', body: { ...body, version: calendar.version } }) : api.json<Calendar>('/calendars', { method: 'POST', body }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.calendars }),
  });
}

export function useMakeDefaultCalendar() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (calendar: Calendar) => traceAction('Make a calendar the default', () => api.json<Calendar>(`/calendars/${calendar.id}`, { method: 'PATCH', body: { isDefault: true } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.calendars }),
  });
}

export function useDeleteCalendar() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (calendar: Calendar) => traceAction('Delete a calendar', () => api.json<undefined>(`/calendars/${calendar.id}`, { method: 'DELETE' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.calendars }),
  });
}

/** A department's calendar; null puts it back on the default. */
export function useAssignCalendar() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ departmentId, calendarId }: { departmentId: string; calendarId: string | null }) =>
      traceAction('Set a department\'s calendar', () => api.json<CalendarAssignment>(`/calendars/assignments/${departmentId}`, { method: 'PUT', body: { calendarId } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.calendars }),
  });
}

export function useSavePriorityMatrix() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdatePriorityMatrixBody) => traceAction('Change the priority matrix', () => api.json<PriorityMatrix>('/priority-matrix', { method: 'PUT', body })),
    onSuccess: (saved) => queryClient.setQueryData(keys.priorityMatrix, saved),
  });
}

export function useSaveRouting(category: Category) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Pick<Category, 'assignment' | 'defaultAssigneeId' | 'maxOpenPerPerson'>) =>
      traceAction('Change a category\'s routing', () => api.json<Category>(`/categories/${category.id}`, { method: 'PATCH', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allCategories }),
  });
}

/** Someone's availability for new incidents from the routing (their own, or as their manager or an admin). */
export function useSetAvailability() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, available }: { userId: string; available: boolean }) =>
      traceAction(available ? 'Mark someone available' : 'Mark someone away', () => api.json<Availability>(`/availability/${userId}`, { method: 'PUT', body: { available } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allAvailability }),
  });
}

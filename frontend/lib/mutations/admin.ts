'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Category, CreateUserBody, Department, SlaPolicy, UpdateUserBody, User } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Administration's writes: people, departments, categories and service levels. Each refreshes the
// lists it changes; callers add their own toasts and field errors.

export function useCreateUser() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => traceAction('Create a user', () => api.json<User>('/users', { method: 'POST', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allUsers }),
  });
}

export function useChangeUser(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateUserBody) => traceAction('Change a user', () => api.json<User>(`/users/${id}`, { method: 'PATCH', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allUsers }),
  });
}

export function useSaveDepartment(department: Department | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string | null }) =>
      traceAction(department ? 'Change a department' : 'Create a department', () =>
        department ? api.json<Department>(`/departments/${department.id}`, { method: 'PATCH', body }) : api.json<Department>('/departments', { method: 'POST', body }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.departments }),
  });
}

export function useSaveCategory(category: Category | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ departmentId, ...common }: { name: string; description: string; departmentId: string }) =>
      traceAction(category ? 'Change a category' : 'Create a category', () =>
        category
          ? api.json<Category>(`/categories/${category.id}`, { method: 'PATCH', body: common })
          : api.json<Category>('/categories', { method: 'POST', body: { ...common, departmentId } }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allCategories }),
  });
}

export function useToggleCategory() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (category: Category) => traceAction('Turn a category on or off', () => api.json<Category>(`/categories/${category.id}`, { method: 'PATCH', body: { isActive: !category.isActive } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.allCategories }),
  });
}

export function useSaveSlaPolicy(priority: SlaPolicy['priority']) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { responseMinutes: number; resolutionMinutes: number }) => traceAction('Change SLA targets', () => api.json<SlaPolicy>(`/sla-policies/${priority}`, { method: 'PUT', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.slaPolicies }),
  });
}

/** What a caller adds to a write about someone: its own toasts and state. */
interface Callbacks {
  onSuccess?: () => void;
  onError?: (error: unknown) => void;
}

/** Mails someone a link to choose a new password; their sessions end. */
export function useSendPasswordReset(userId: string, callbacks: Callbacks = {}) {
  const api = useApi();
  return useMutation({
    mutationFn: () => traceAction('Send a password reset', () => api.send(`/users/${userId}/password-reset`, { method: 'POST' })),
    onSuccess: () => callbacks.onSuccess?.(),
    onError: (error) => callbacks.onError?.(error),
  });
}

/** Removes someone's two-step sign-in (a lost phone). Their two-step state is asked again, whatever came of it. */
export function useResetTwoStep(userId: string, callbacks: Callbacks = {}) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => traceAction("Reset someone's two-step sign-in", () => api.send(`/users/${userId}/mfa-reset`, { method: 'POST' })),
    onSuccess: () => callbacks.onSuccess?.(),
    onError: (error) => callbacks.onError?.(error),
    onSettled: () => queryClient.invalidateQueries({ queryKey: keys.userMfa(userId) }),
  });
}

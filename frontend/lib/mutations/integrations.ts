'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ServiceAccount, ServiceScope } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Integrations' writes: service accounts, created, given a new secret or revoked. Each refreshes
// the list of service accounts; callers add their own toasts and field errors.

/** A service account as created or given a new secret: the only time its secret is shown. */
export type ServiceAccountWithSecret = ServiceAccount & { clientSecret: string };

export function useCreateServiceAccount() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; scopes: ServiceScope[] }) => traceAction('Create a service account', () => api.json<ServiceAccountWithSecret>('/service-accounts', { method: 'POST', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.serviceAccounts }),
  });
}

/** A new secret for a service account: the old one stops working at once. */
export function useRotateServiceAccountSecret() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (account: ServiceAccount) => traceAction('Rotate a service account secret', () => api.json<ServiceAccountWithSecret>(`/service-accounts/${account.id}/secret`, { method: 'POST' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.serviceAccounts }),
  });
}

/** Revokes a service account: it gets no more tokens, and those it holds stop working. */
export function useRevokeServiceAccount() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (account: ServiceAccount) => traceAction('Revoke a service account', () => api.json<undefined>(`/service-accounts/${account.id}`, { method: 'DELETE' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.serviceAccounts }),
  });
}

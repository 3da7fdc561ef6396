'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookDelivery, WebhookWithSecret } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Webhooks' writes. Each refreshes the endpoints it changes; callers add their own toasts and field errors.

export function useCreateWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWebhookBody) => traceAction('Register a webhook endpoint', () => api.json<WebhookWithSecret>('/webhooks', { method: 'POST', body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.webhooks }),
  });
}

export function useUpdateWebhook(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateWebhookBody) => traceAction('Change a webhook endpoint', () => api.json<Webhook>(`/webhooks/${id}`, { method: 'PATCH', body })),
    onSuccess: (webhook) => {
      queryClient.setQueryData(keys.webhook(id), webhook);
      void queryClient.invalidateQueries({ queryKey: keys.webhooks });
    },
  });
}

export function useDeleteWebhook() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook: Webhook) => traceAction('Delete a webhook endpoint', () => api.json<undefined>(`/webhooks/${webhook.id}`, { method: 'DELETE' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.webhooks }),
  });
}

/** A new signing secret; the previous one keeps signing for `overlapSeconds`. */
export function useRotateWebhookSecret(id: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (overlapSeconds: number) => traceAction('Rotate a webhook secret', () => api.json<WebhookWithSecret>(`/webhooks/${id}/rotate-secret`, { method: 'POST', body: { overlapSeconds } })),
    onSuccess: ({ secret: _secret, ...webhook }) => queryClient.setQueryData(keys.webhook(id), webhook),
  });
}

export function useRedeliver(webhookId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (delivery: WebhookDelivery) =>
      traceAction('Redeliver a webhook delivery', () => api.json<WebhookDelivery>(`/webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`, { method: 'POST' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['admin', 'webhooks', webhookId, 'deliveries'] }),
  });
}

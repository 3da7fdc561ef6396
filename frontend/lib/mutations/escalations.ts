'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateEscalationRuleBody, EscalationRule } from '@desk/contracts';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Administration's writes of escalation rules; each refreshes the list.

/** Creates a rule, or changes `rule` to the values given. */
export function useSaveEscalationRule(rule: EscalationRule | null) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Required<CreateEscalationRuleBody>) =>
      traceAction(rule ? 'Change an escalation rule' : 'Create an escalation rule', () =>
        rule ? api.json<EscalationRule>(`/escalation-rules/${rule.id}`, { method: 'PATCH', body }) : api.json<EscalationRule>('/escalation-rules', { method: 'POST', body }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.escalationRules }),
  });
}

export function useDeleteEscalationRule() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rule: EscalationRule) => traceAction('Delete an escalation rule', () => api.json<undefined>(`/escalation-rules/${rule.id}`, { method: 'DELETE' })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.escalationRules }),
  });
}

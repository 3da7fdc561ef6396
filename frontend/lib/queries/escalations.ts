'use client';

import { useQuery } from '@tanstack/react-query';
import type { EscalationRule } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

/** The escalation rules, highest priority first (staff, managers and admins may read them). */
export function useEscalationRules() {
  const api = useApi();
  return useQuery({ queryKey: keys.escalationRules, queryFn: ({ signal }) => api.json<{ items: EscalationRule[] }>('/escalation-rules', { signal }), select: (data) => data.items });
}

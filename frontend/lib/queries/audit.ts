'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { AuditAction, AuditEntry, Page } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

/** What the audit trail is narrowed to; each part left undefined means any. */
export interface AuditQuery {
  actorId: string | undefined;
  targetId: string | undefined;
  action: AuditAction | undefined;
  /** ISO instants: from this one, up to (not including) `to`. */
  from: string | undefined;
  to: string | undefined;
}

/** The audit trail, newest first, 50 a page. */
export function useAuditTrail(query: AuditQuery) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: keys.audit(query),
    queryFn: ({ pageParam, signal }) => api.json<Page<AuditEntry>>('/admin/audit', { query: { ...query, limit: 50, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The last six administrative changes, for a dashboard panel. */
export function useRecentChanges() {
  const api = useApi();
  return useQuery({ queryKey: keys.dashboard('admin', 'audit'), queryFn: ({ signal }) => api.json<Page<AuditEntry>>('/admin/audit', { query: { limit: 6 }, signal }) });
}

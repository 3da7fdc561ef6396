'use client';

import { useQuery } from '@tanstack/react-query';
import type { IncidentPerson, MfaStatus, Page, User, UserRole } from '@desk/contracts';
import type { ApiClient } from '../api-client';
import { useApi, useSession } from '../session';
import { keys } from './keys';

/** Every page of a user listing (admins: the organisation; managers: their department). */
export async function allUsers(api: ApiClient, filters: Record<string, string | undefined>, signal?: AbortSignal): Promise<User[]> {
  const users: User[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.json<Page<User>>('/users', { query: { ...filters, limit: 100, cursor }, ...(signal ? { signal } : {}) });
    users.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && users.length < 2_000);
  return users;
}

export function useUsers(filters: { departmentId?: string | undefined; role?: UserRole | undefined; q?: string | undefined; isActive?: string | undefined }, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: keys.users(filters),
    enabled,
    queryFn: ({ signal }) => allUsers(api, filters, signal),
    staleTime: 60_000,
  });
}

/**
 * Names the viewer may show. On an incident page: the people on it (GET /incidents/{id}/people),
 * for anyone who may see the incident. Elsewhere: admins look up everyone in the directory,
 * managers their department. Whoever stays unknown is named by their part in the
 * incident (reporter, assignee) instead.
 */
export function usePeopleDirectory(incidentId?: string): Map<string, { fullName: string }> {
  const api = useApi();
  const { user } = useSession();
  const scope = user?.role === 'admin' ? {} : user?.role === 'manager' && user.departmentId ? { departmentId: user.departmentId } : null;
  // On an incident page the incident's own people are enough; the directory is for lists.
  const query = useUsers(scope ?? {}, scope !== null && incidentId === undefined);
  const involved = useQuery({
    queryKey: keys.incidentPeople(incidentId ?? ''),
    enabled: incidentId !== undefined,
    queryFn: ({ signal }) => api.json<{ items: IncidentPerson[] }>(`/incidents/${incidentId}/people`, { signal }),
    select: (data) => data.items,
    staleTime: 30_000,
  });
  const directory = new Map<string, { fullName: string }>();
  for (const person of involved.data ?? []) directory.set(person.id, person);
  for (const person of query.data ?? []) directory.set(person.id, person);
  if (user) directory.set(user.id, user);
  return directory;
}

/** The signed-in person's two-step sign-in: on or off, recovery codes left, whether their role must have it. */
export function useOwnMfa() {
  const api = useApi();
  return useQuery({ queryKey: keys.ownMfa, queryFn: ({ signal }) => api.json<MfaStatus>('/auth/mfa', { signal }) });
}

/** Someone's two-step sign-in, for an admin. */
export function useUserMfa(id: string) {
  const api = useApi();
  return useQuery({ queryKey: keys.userMfa(id), queryFn: ({ signal }) => api.json<MfaStatus>(`/users/${id}/mfa`, { signal }) });
}

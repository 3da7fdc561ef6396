import type { Caller } from '@desk/auth';

/** The scope other systems need to read the directory. */
export const USERS_READ_SCOPE = 'users:read';

/** Whose accounts a caller may look up in the directory. */
export type DirectoryScope = { kind: 'everyone' } | { kind: 'department'; departmentId: string } | { kind: 'nobody' };

/**
 * Admins see everyone; a manager sees the people of their own department (to staff and assign
 * its incidents); service accounts see everyone when granted `users:read`. Staff and reporters
 * see nobody else: the directory holds every employee's email.
 */
export function directoryScopeOf(caller: Pick<Caller, 'kind' | 'role' | 'departmentId' | 'scopes'>): DirectoryScope {
  if (caller.kind === 'service') return caller.scopes.includes(USERS_READ_SCOPE) ? { kind: 'everyone' } : { kind: 'nobody' };
  if (caller.role === 'admin') return { kind: 'everyone' };
  if (caller.role === 'manager' && caller.departmentId) return { kind: 'department', departmentId: caller.departmentId };
  return { kind: 'nobody' };
}

/** Whether an account is inside a caller's scope; outside it, the account is "not found". */
export function isWithinScope(scope: DirectoryScope, user: { departmentId: string | null }): boolean {
  if (scope.kind === 'everyone') return true;
  if (scope.kind === 'department') return user.departmentId === scope.departmentId;
  return false;
}

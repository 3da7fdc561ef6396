'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Locale, MfaSetup, Preference, PutPreferencesBody, UpdateProfileBody, User } from '@desk/contracts';
import type { ApiClient } from '@/lib/api-client';
import { keys } from '@/lib/queries';
import { useApi, useSessionStore } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// The signed-in person's own settings: their name and what they hear about.

/** Renames the signed-in person; the session's copy of them follows. */
export function useUpdateProfile() {
  const api = useApi();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateProfileBody) => traceAction('Change your name', () => api.json<User>('/auth/me', { method: 'PATCH', body })),
    onSuccess: (user) => {
      store.updateUser(user);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
}

/**
 * Saves the language the person reads the portal and their mails in; the session's copy follows,
 * and with it the portal's language (components/locale/locale-sync.tsx).
 */
export function useUpdateLocale() {
  const api = useApi();
  const store = useSessionStore();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (locale: Locale) => traceAction('Change your language', () => api.json<User>('/users/me/locale', { method: 'PUT', body: { locale } })),
    onSuccess: (user) => {
      store.updateUser(user);
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
}

/** Replaces the person's notification preferences (event types left out go back to both channels on). */
export function useSavePreferences() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PutPreferencesBody) => traceAction('Change notification settings', () => api.json<{ items: Preference[] }>('/notifications/preferences', { method: 'PUT', body })),
    onSuccess: (saved) => queryClient.setQueryData(keys.preferences, saved),
  });
}

// Passwords and the second factor. Plain requests: their forms keep the answers (a setup's
// secret, recovery codes shown once) in their own state, and refresh `keys.ownMfa` themselves.

export function changePassword(api: ApiClient, body: { currentPassword: string; newPassword: string }): Promise<Response> {
  return traceAction('Change your password', () => api.send('/auth/password', { method: 'POST', body }));
}

export function startMfaSetup(api: ApiClient, body: { currentPassword: string }): Promise<MfaSetup> {
  return traceAction('Set up two-step sign-in', () => api.json<MfaSetup>('/auth/mfa/setup', { method: 'POST', body }));
}

export function enableMfa(api: ApiClient, code: string): Promise<{ recoveryCodes: string[] }> {
  return traceAction('Turn on two-step sign-in', () => api.json<{ recoveryCodes: string[] }>('/auth/mfa/enable', { method: 'POST', body: { code: code.replace(/\s+/g, '') } }));
}

/** Both need the password and a code from the app or a recovery code. */
export function replaceRecoveryCodes(api: ApiClient, body: object): Promise<{ recoveryCodes: string[] }> {
  return traceAction('Replace recovery codes', () => api.json<{ recoveryCodes: string[] }>('/auth/mfa/recovery-codes', { method: 'POST', body }));
}

export function disableMfa(api: ApiClient, body: object): Promise<Response> {
  return traceAction('Turn off two-step sign-in', () => api.send('/auth/mfa/disable', { method: 'POST', body }));
}

'use client';

import { useEffect } from 'react';
import { useApiUrl, useSessionStore } from '@/lib/session';

/**
 * Starts the portal's tracing once per tab when the server says tracing is on (PORTAL_TRACING).
 * The SDK is loaded only then, after the page is up. Mounted once, from the root layout.
 */
export function PortalTracing({ enabled }: { enabled: boolean }) {
  const apiUrl = useApiUrl();
  const session = useSessionStore();
  useEffect(() => {
    if (!enabled) return;
    void import('./tracing')
      .then(({ startTracing }) => startTracing({ apiUrl, accessToken: () => session.current() }))
      // eslint-disable-next-line no-console -- tracing is never worth an error the person sees
      .catch((error: unknown) => console.debug('[tracing] not started', error));
  }, [enabled, apiUrl, session]);
  return null;
}

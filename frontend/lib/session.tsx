'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { User } from '@desk/contracts';
import { ApiClient, ApiError } from './api-client';
import { SessionStore, type SessionSnapshot } from './session-store';

interface PortalContext {
  api: ApiClient;
  session: SessionStore;
  apiUrl: string;
}

const Context = createContext<PortalContext | null>(null);

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // Retrying a refusal or a missing incident only delays the message the person needs.
        retry: (failures, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}

/** One session store, API client and query cache per tab. */
export function PortalProviders({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const [value] = useState<PortalContext>(() => {
    const session = new SessionStore({ locks: typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined });
    return { session, api: new ApiClient(apiUrl, session), apiUrl };
  });
  const [queryClient] = useState(makeQueryClient);
  return (
    <Context.Provider value={value}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </Context.Provider>
  );
}

function usePortal(): PortalContext {
  const value = useContext(Context);
  if (!value) throw new Error('PortalProviders is missing');
  return value;
}

export function useApi(): ApiClient {
  return usePortal().api;
}

export function useApiUrl(): string {
  return usePortal().apiUrl;
}

export function useSessionStore(): SessionStore {
  return usePortal().session;
}

const SERVER_SNAPSHOT: SessionSnapshot = { status: 'unknown', user: null };

export function useSession(): SessionSnapshot {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => SERVER_SNAPSHOT);
}

/** The signed-in person; only inside the signed-in part of the portal. */
export function useUser(): User {
  const { user } = useSession();
  if (!user) throw new Error('useUser outside the signed-in shell');
  return user;
}

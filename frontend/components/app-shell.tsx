'use client';

import { useTranslations } from 'next-intl';
import { usePathname, useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { User } from '@desk/contracts';
import { LiveStatus } from '@/components/live-incidents';
import { LiveNotifications } from '@/components/live-notifications';
import { MajorIncidentBanner } from '@/components/major-incident-banner';
import { CommandPalette } from '@/components/shell/command-palette';
import { Header } from '@/components/shell/header';
import { ShortcutsHelp } from '@/components/shell/shortcuts-help';
import { useShortcuts } from '@/components/shell/shortcuts';
import { Sidebar } from '@/components/shell/sidebar';
import { ErrorState } from '@/components/states';
import { Skeleton } from '@/components/ui/skeleton';
import { useSession, useSessionStore } from '@/lib/session';

export { navFor } from '@/components/shell/nav';

/** The signed-in part of the portal: renews the session on load, or sends the person to sign in. */
export function AppShell({ children }: { children: ReactNode }) {
  const { status, user } = useSession();
  const store = useSessionStore();
  const router = useRouter();
  const pathname = usePathname();
  // Renewing the session failed (the portal's server or the API unreachable): say so, with a way
  // to try again, rather than a skeleton that never fills.
  const [renewal, setRenewal] = useState<{ failed: unknown; attempt: number }>({ failed: null, attempt: 0 });

  useEffect(() => {
    if (status === 'unknown') {
      store.refresh().then(
        () => setRenewal((current) => ({ ...current, failed: null })),
        (error: unknown) => setRenewal((current) => ({ ...current, failed: error ?? new Error('unreachable') })),
      );
    } else if (status === 'signed-out') {
      // The whole address comes back after signing in: a filtered list's filters too.
      router.replace(`/login?next=${encodeURIComponent(`${pathname}${window.location.search}`)}`);
    }
  }, [status, store, router, pathname, renewal.attempt]);

  if (status !== 'signed-in' || !user) {
    if (status === 'unknown' && renewal.failed) {
      return (
        <div className="mx-auto max-w-xl px-4 py-16">
          <ErrorState error={renewal.failed} onRetry={() => setRenewal((current) => ({ failed: null, attempt: current.attempt + 1 }))} />
        </div>
      );
    }
    return <ShellSkeleton />;
  }
  return <SignedInShell user={user}>{children}</SignedInShell>;
}

function SignedInShell({ user, children }: { user: User; children: ReactNode }) {
  const t = useTranslations('shell.app');
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const openPalette = useCallback(() => setPaletteOpen(true), []);
  const openHelp = useCallback(() => setHelpOpen(true), []);
  useShortcuts({ role: user.role, openPalette, openHelp });

  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only z-50 rounded-md bg-background px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        {t('skipToContent')}
      </a>
      <Sidebar role={user.role} />
      <div className="flex min-w-0 flex-1 flex-col">
        <Header user={user} status={<LiveStatus className="hidden sm:inline-flex" />} onOpenPalette={openPalette} onShowShortcuts={openHelp} />
        <LiveNotifications />
        <MajorIncidentBanner />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 outline-none sm:px-6 lg:py-8">
          {children}
        </main>
      </div>
      <CommandPalette role={user.role} open={paletteOpen} onOpenChange={setPaletteOpen} onShowShortcuts={openHelp} />
      <ShortcutsHelp role={user.role} open={helpOpen} onOpenChange={setHelpOpen} />
    </div>
  );
}

function ShellSkeleton() {
  return (
    <div className="flex min-h-screen" aria-busy="true">
      <div className="hidden w-64 shrink-0 border-r md:block" />
      <div className="flex-1">
        <div className="flex h-14 items-center gap-4 border-b px-4 sm:px-6">
          <Skeleton className="size-8 rounded-lg md:hidden" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="ml-auto h-8 w-24" />
        </div>
        <div className="mx-auto w-full max-w-7xl space-y-4 px-4 py-8 sm:px-6">
          <Skeleton className="h-8 w-48" />
          <Skeleton className="h-24 w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      </div>
    </div>
  );
}

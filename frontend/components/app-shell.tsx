'use client';

import { Bell, BarChart3, ChevronDown, History, LifeBuoy, ListTodo, LogOut, Menu, Plus, Settings2, UserRound, X } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { USER_ROLES, type User, type UserRole } from '@desk/contracts';
import { LiveNotifications } from '@/components/live-notifications';
import { ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Skeleton } from '@/components/ui/skeleton';
import { ROLE_LABELS, initials } from '@/lib/format';
import { useUnreadCount } from '@/lib/queries';
import { useSession, useSessionStore } from '@/lib/session';
import { cn } from '@/lib/utils';

interface NavItem {
  href: string;
  label: string;
  icon: typeof ListTodo;
  roles: readonly UserRole[];
}

const NAV: NavItem[] = [
  { href: '/incidents', label: 'Incidents', icon: ListTodo, roles: USER_ROLES },
  { href: '/notifications', label: 'Notifications', icon: Bell, roles: USER_ROLES },
  { href: '/analytics', label: 'Analytics', icon: BarChart3, roles: ['manager', 'admin'] },
  { href: '/admin', label: 'Administration', icon: Settings2, roles: ['admin'] },
  { href: '/admin/audit', label: 'Audit', icon: History, roles: ['admin'] },
];

export function navFor(role: UserRole): NavItem[] {
  return NAV.filter((item) => item.roles.includes(role));
}

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
      router.replace(`/login?next=${encodeURIComponent(pathname)}`);
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

  return (
    <div className="flex min-h-screen flex-col">
      <Header user={user} />
      <LiveNotifications />
      <main className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 sm:px-6 lg:py-8">{children}</main>
    </div>
  );
}

function Brand() {
  return (
    <Link href="/incidents" className="flex items-center gap-2 font-semibold tracking-tight">
      <span className="flex size-8 items-center justify-center rounded-lg bg-primary text-primary-foreground shadow-sm">
        <LifeBuoy className="size-4.5" aria-hidden />
      </span>
      <span className="hidden sm:inline">Service Desk</span>
    </Link>
  );
}

function Header({ user }: { user: User }) {
  const pathname = usePathname();
  const unread = useUnreadCount(true);
  // The mobile menu belongs to the page it was opened on: following a link closes it.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === pathname;
  const items = navFor(user.role);
  // The most specific item is the active one: on /admin/audit, Audit, not Administration too.
  const matches = (href: string) => pathname === href || pathname.startsWith(`${href}/`);
  const activeHref = items.filter((item) => matches(item.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href;
  const isActive = (href: string) => href === activeHref;

  return (
    <header className="sticky top-0 z-40 border-b bg-background/90 backdrop-blur supports-[backdrop-filter]:bg-background/75">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
        <Button variant="ghost" size="icon" className="md:hidden" aria-label={menuOpen ? 'Close menu' : 'Open menu'} onClick={() => setMenuOpenOn(menuOpen ? null : pathname)}>
          {menuOpen ? <X /> : <Menu />}
        </Button>
        <Brand />
        <nav className="ml-4 hidden items-center gap-1 md:flex" aria-label="Main">
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={cn(
                'relative flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
                isActive(item.href) && 'bg-accent text-accent-foreground',
              )}
            >
              <item.icon className="size-4" aria-hidden />
              {item.label}
              {item.href === '/notifications' && (unread.data ?? 0) > 0 ? <UnreadBadge count={unread.data ?? 0} /> : null}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <Button asChild size="sm" className="hidden sm:inline-flex">
            <Link href="/incidents/new">
              <Plus /> Report incident
            </Link>
          </Button>
          <Button asChild variant="ghost" size="icon" className="relative md:hidden" aria-label="Notifications">
            <Link href="/notifications">
              <Bell />
              {(unread.data ?? 0) > 0 ? <span className="absolute top-1.5 right-1.5 size-2 rounded-full bg-red-500" /> : null}
            </Link>
          </Button>
          <UserMenu user={user} />
        </div>
      </div>
      {menuOpen ? (
        <nav className="border-t bg-background px-4 py-2 md:hidden" aria-label="Main">
          {items.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              className={cn('flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium', isActive(item.href) ? 'bg-accent text-accent-foreground' : 'text-muted-foreground')}
            >
              <item.icon className="size-4" aria-hidden />
              {item.label}
              {item.href === '/notifications' && (unread.data ?? 0) > 0 ? <UnreadBadge count={unread.data ?? 0} /> : null}
            </Link>
          ))}
          <Link href="/incidents/new" className="flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-primary">
            <Plus className="size-4" aria-hidden /> Report incident
          </Link>
        </nav>
      ) : null}
    </header>
  );
}

function UnreadBadge({ count }: { count: number }) {
  return (
    <span className="ml-0.5 inline-flex min-w-5 items-center justify-center rounded-full bg-red-500 px-1.5 text-[11px] leading-5 font-semibold text-white" aria-label={`${count} unread`} data-testid="unread-badge">
      {count > 99 ? '99+' : count}
    </span>
  );
}

function UserMenu({ user }: { user: User }) {
  const store = useSessionStore();
  const router = useRouter();

  const signOut = async () => {
    try {
      await store.signOut();
    } finally {
      router.replace('/login');
    }
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" className="h-9 gap-2 px-2" aria-label="Account menu">
          <span className="flex size-7 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary">{initials(user.fullName)}</span>
          <span className="hidden max-w-40 truncate text-sm font-medium lg:inline">{user.fullName}</span>
          <ChevronDown className="size-4 text-muted-foreground" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-60">
        <DropdownMenuLabel className="font-normal">
          <div className="text-sm font-medium">{user.fullName}</div>
          <div className="truncate text-xs text-muted-foreground">{user.email}</div>
          <div className="mt-1 text-xs text-muted-foreground">{ROLE_LABELS[user.role]}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/notifications">
            <Bell /> Notifications
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound /> Your account
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOut /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function ShellSkeleton() {
  return (
    <div className="flex min-h-screen flex-col" aria-busy="true">
      <div className="border-b">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-4 px-4 sm:px-6">
          <Skeleton className="size-8 rounded-lg" />
          <Skeleton className="h-4 w-28" />
          <Skeleton className="ml-auto h-8 w-24" />
        </div>
      </div>
      <div className="mx-auto w-full max-w-7xl space-y-4 px-4 py-8 sm:px-6">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-24 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    </div>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { Bell, ChevronDown, Keyboard, LogOut, Plus, Search, UserRound } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import type { User } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuCheckboxItem,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { initials } from '@/lib/format';
import { useAvailability, useUnreadCount } from '@/lib/queries';
import { useSetAvailability } from '@/lib/mutations/desk-operations';
import { toast } from 'sonner';
import { useSessionStore } from '@/lib/session';
import { Breadcrumbs } from './breadcrumbs';
import { MobileDrawer } from './mobile-drawer';
import { Brand } from './sidebar';
import { ThemePicker } from './theme';
import { useLabels } from '@/lib/i18n/use-format';

/** The bar above every signed-in page: menu (phones), where you are, search, report, notifications, you. */
export function Header({ user, sidebarExtra, status, onOpenPalette, onShowShortcuts }: { user: User; sidebarExtra?: ReactNode; status?: ReactNode; onOpenPalette: () => void; onShowShortcuts: () => void }) {
  const t = useTranslations('shell.header');
  const unread = useUnreadCount(true).data ?? 0;
  return (
    <header className="sticky top-0 z-40 border-b bg-background/90 backdrop-blur supports-[backdrop-filter]:bg-background/75">
      <div className="flex h-14 items-center gap-2 px-4 sm:gap-3 sm:px-6">
        <MobileDrawer role={user.role} extra={sidebarExtra} />
        <div className="md:hidden">
          <Brand compact />
        </div>
        <div className="hidden min-w-0 flex-1 sm:block">
          <Breadcrumbs />
        </div>
        <div className="ml-auto flex shrink-0 items-center gap-1.5 sm:gap-2">
          {status}
          <Button variant="outline" size="sm" className="h-9 gap-2 text-muted-foreground" onClick={onOpenPalette} aria-keyshortcuts="Control+K Meta+K">
            <Search aria-hidden />
            <span className="sr-only lg:not-sr-only">{t('search')}</span>
            <kbd className="hidden rounded border bg-muted px-1.5 font-mono text-[10px] lg:inline" aria-hidden>
              {t('ctrlK')}
            </kbd>
          </Button>
          <Button asChild size="sm" className="hidden sm:inline-flex" aria-keyshortcuts="c">
            <Link href="/incidents/new">
              <Plus />{' '}{t('reportIncident')}
            </Link>
          </Button>
          <Button asChild variant="ghost" size="icon" className="relative" aria-label={unread > 0 ? t('notificationsUnread', { unread }) : t('notifications')}>
            <Link href="/notifications">
              <Bell />
              {unread > 0 ? <span className="absolute top-1.5 right-1.5 size-2 rounded-full bg-red-500" aria-hidden /> : null}
            </Link>
          </Button>
          <UserMenu user={user} onShowShortcuts={onShowShortcuts} />
        </div>
      </div>
    </header>
  );
}

/**
 * A person's initials in a circle. Decoration beside their name (or inside a named button): drawn
 * with CSS, so it is not text a screen reader reads or a button's name must contain.
 */
export function Avatar({ name, className }: { name: string; className?: string }) {
  return (
    <span
      className={`flex size-7 shrink-0 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary before:content-[attr(data-initials)] ${className ?? ''}`}
      data-initials={initials(name)}
      aria-hidden
    />
  );
}

function UserMenu({ user, onShowShortcuts }: { user: User; onShowShortcuts: () => void }) {
  const t = useTranslations('shell.header');
  const labels = useLabels();
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
        <Button variant="ghost" className="h-9 gap-2 px-2" aria-label={t('accountMenu')}>
          <Avatar name={user.fullName} />
          <ChevronDown className="size-4 text-muted-foreground" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="font-normal">
          <div className="text-sm font-medium">{user.fullName}</div>
          <div className="truncate text-xs text-muted-foreground">{user.email}</div>
          <div className="mt-1 text-xs text-muted-foreground">{labels.role(user.role)}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <div className="px-2 py-1.5">
          <ThemePicker />
        </div>
        <DropdownMenuSeparator />
        {user.role === 'staff' || user.role === 'manager' ? <AvailabilityItem userId={user.id} /> : null}
        <DropdownMenuItem asChild>
          <Link href="/account">
            <UserRound />{' '}{t('yourProfile')}
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={onShowShortcuts}>
          <Keyboard />{' '}{t('keyboardShortcuts')}
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut()}>
          <LogOut />{' '}{t('signOut')}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

/** Staff and managers: whether the routing gives them new incidents now. */
function AvailabilityItem({ userId }: { userId: string }) {
  const t = useTranslations('shell.header');
  const team = useAvailability(null);
  const setAvailability = useSetAvailability();
  const me = team.data?.find((person) => person.userId === userId);
  if (!me) return null;
  return (
    <>
      <DropdownMenuCheckboxItem
        checked={me.available}
        disabled={setAvailability.isPending}
        onSelect={(event) => event.preventDefault()}
        onCheckedChange={(available) =>
          setAvailability.mutate(
            { userId, available: available === true },
            { onSuccess: () => toast.success(available === true ? t('youGetNewIncidents') : t('youAreAwayNo')) },
          )
        }
      >
        {t('availableForNewIncidents')}
      </DropdownMenuCheckboxItem>
      <DropdownMenuSeparator />
    </>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { LifeBuoy, PanelLeftClose, PanelLeftOpen } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useSyncExternalStore, type ReactNode } from 'react';
import type { UserRole } from '@desk/contracts';
import { SavedViewsNav } from '@/components/saved-views-nav';
import { Button } from '@/components/ui/button';
import { useUnreadCount } from '@/lib/queries';
import { cn } from '@/lib/utils';
import { activeHref, navFor, type NavItem } from './nav';

const COLLAPSED_KEY = 'desk.sidebar.collapsed';
const listeners = new Set<() => void>();

/** Whether the sidebar shows icons only: the person's choice, remembered in this browser. */
export function useSidebarCollapsed(): [boolean, (collapsed: boolean) => void] {
  const collapsed = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => window.localStorage.getItem(COLLAPSED_KEY) === 'true',
    () => false,
  );
  const set = (next: boolean) => {
    window.localStorage.setItem(COLLAPSED_KEY, String(next));
    for (const listener of listeners) listener();
  };
  return [collapsed, set];
}

export function Brand({ compact = false }: { compact?: boolean }) {
  return (
    <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
      <span className="flex size-8 shrink-0 items-center justify-center rounded-lg bg-primary text-primary-foreground shadow-sm">
        <LifeBuoy className="size-4.5" aria-hidden />
      </span>
      <span className={cn(compact && 'sr-only')}>Service Desk</span>
    </Link>
  );
}

/** The places a role may go, by section; `compact` shows icons with their names as tooltips. */
export function SidebarNav({ role, compact = false, extra, onNavigate }: { role: UserRole; compact?: boolean; extra?: ReactNode; onNavigate?: () => void }) {
  const tShell = useTranslations('shell');
  const t = useTranslations('shell.sidebar');
  const pathname = usePathname();
  const unread = useUnreadCount(true).data ?? 0;
  const sections = navFor(role, tShell);
  const active = activeHref(pathname, sections.flatMap((section) => section.items));

  return (
    <nav aria-label={t('main')} className="flex flex-col gap-4">
      {sections.map((section) => (
        <div key={section.title ?? 'main'} className="flex flex-col gap-0.5">
          {section.title ? (
            <div className={cn('px-3 pb-1 text-xs font-medium tracking-wide text-muted-foreground uppercase', compact && 'sr-only')}>{section.title}</div>
          ) : null}
          {section.items.map((item) => (
            <SidebarLink key={item.href} item={item} active={item.href === active} compact={compact} badge={item.href === '/notifications' ? unread : 0} onNavigate={onNavigate} />
          ))}
        </div>
      ))}
      {extra && !compact ? extra : null}
      <SavedViewsNav collapsed={compact} {...(onNavigate ? { onNavigate } : {})} />
    </nav>
  );
}

function SidebarLink({ item, active, compact, badge, onNavigate }: { item: NavItem<string>; active: boolean; compact: boolean; badge: number; onNavigate?: (() => void) | undefined }) {
  return (
    <Link
      href={item.href}
      onClick={onNavigate}
      aria-current={active ? 'page' : undefined}
      title={compact ? item.label : undefined}
      className={cn(
        'relative flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-muted-foreground transition-colors hover:bg-accent hover:text-foreground',
        active && 'bg-accent text-accent-foreground',
        compact && 'justify-center px-0',
      )}
    >
      <item.icon className="size-4 shrink-0" aria-hidden />
      <span className={cn('truncate', compact && 'sr-only')}>{item.label}</span>
      {badge > 0 ? <UnreadBadge count={badge} compact={compact} /> : null}
    </Link>
  );
}

function UnreadBadge({ count, compact }: { count: number; compact: boolean }) {
  const t = useTranslations('shell.sidebar');
  if (compact) return <span className="absolute top-1.5 right-2 size-2 rounded-full bg-red-500" aria-label={t('unread', { count })} data-testid="unread-badge" />;
  return (
    <span className="ml-auto inline-flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1.5 text-[11px] leading-5 font-semibold text-white" aria-label={t('unread', { count })} data-testid="unread-badge">
      {count > 99 ? '99+' : count}
    </span>
  );
}

/** The desktop sidebar: beside the page from the `md` width, collapsible to icons. */
export function Sidebar({ role, extra }: { role: UserRole; extra?: ReactNode }) {
  const t = useTranslations('shell.sidebar');
  const [collapsed, setCollapsed] = useSidebarCollapsed();
  return (
    <aside
      className={cn('sticky top-0 hidden h-screen shrink-0 flex-col border-r bg-card/60 md:flex', collapsed ? 'w-16' : 'w-64')}
      data-testid="sidebar"
      data-collapsed={collapsed}
    >
      <div className={cn('flex h-14 items-center border-b px-4', collapsed && 'justify-center px-0')}>
        <Brand compact={collapsed} />
      </div>
      <div className={cn('flex-1 overflow-y-auto p-3', collapsed && 'px-2')}>
        <SidebarNav role={role} compact={collapsed} extra={extra} />
      </div>
      <div className={cn('border-t p-3', collapsed && 'flex justify-center px-2')}>
        <Button
          variant="ghost"
          size={collapsed ? 'icon' : 'sm'}
          className={cn(!collapsed && 'w-full justify-start text-muted-foreground')}
          onClick={() => setCollapsed(!collapsed)}
          aria-label={collapsed ? t('expandSidebar') : t('collapseSidebar')}
          aria-expanded={!collapsed}
        >
          {collapsed ? <PanelLeftOpen /> : <PanelLeftClose />}
          {collapsed ? null : t('collapse')}
        </Button>
      </div>
    </aside>
  );
}

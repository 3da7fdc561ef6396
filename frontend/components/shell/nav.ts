import {
  BarChart3,
  Bell,
  Building2,
  FolderTree,
  History,
  KanbanSquare,
  LayoutDashboard,
  ListTodo,
  Mail,
  Plug,
  Plus,
  Timer,
  UserRound,
  Users,
  Activity,
  Webhook,
  type LucideIcon,
} from 'lucide-react';
import { USER_ROLES, type UserRole } from '@desk/contracts';
import type { Words } from '@/lib/i18n/words';
import type { Messages } from '@/messages';

/** A place's name in the catalogue (`shell.nav`). */
export type NavLabel = keyof Messages['shell']['nav'];

export interface NavItem<Label extends string = NavLabel> {
  href: string;
  label: Label;
  icon: LucideIcon;
  roles: readonly UserRole[];
  /** `g` then this key goes there. */
  shortcut?: string;
}

export interface NavSection<Label extends string = NavLabel> {
  /** Shown above the items when the sidebar is open; null for the first section. */
  title: Label | null;
  items: NavItem<Label>[];
}

const WORKERS: readonly UserRole[] = ['staff', 'manager', 'admin'];

/** The portal's places, by section; each person sees the ones their role may use. */
export const NAV_SECTIONS: NavSection[] = [
  {
    title: null,
    items: [
      { href: '/', label: 'home', icon: LayoutDashboard, roles: USER_ROLES, shortcut: 'h' },
      { href: '/incidents', label: 'incidents', icon: ListTodo, roles: USER_ROLES, shortcut: 'i' },
      { href: '/incidents/board', label: 'board', icon: KanbanSquare, roles: WORKERS, shortcut: 'b' },
      { href: '/incidents/new', label: 'report', icon: Plus, roles: USER_ROLES },
      { href: '/notifications', label: 'notifications', icon: Bell, roles: USER_ROLES, shortcut: 'n' },
      { href: '/analytics', label: 'analytics', icon: BarChart3, roles: ['manager', 'admin'], shortcut: 'a' },
    ],
  },
  {
    title: 'administration',
    items: [
      { href: '/admin/users', label: 'users', icon: Users, roles: ['admin'], shortcut: 'u' },
      { href: '/admin/departments', label: 'departments', icon: Building2, roles: ['admin'] },
      { href: '/admin/categories', label: 'categories', icon: FolderTree, roles: ['admin'] },
      { href: '/admin/sla', label: 'sla', icon: Timer, roles: ['admin'] },
      { href: '/admin/integrations', label: 'integrations', icon: Plug, roles: ['admin'] },
      { href: '/admin/webhooks', label: 'webhooks', icon: Webhook, roles: ['admin'] },
      { href: '/admin/mail', label: 'mail', icon: Mail, roles: ['admin'] },
      { href: '/admin/events', label: 'events', icon: Activity, roles: ['admin'] },
      { href: '/admin/audit', label: 'audit', icon: History, roles: ['admin'] },
    ],
  },
];

/** Places not in the sidebar that shortcuts and the command palette still reach. */
export const ACCOUNT_ITEM: NavItem = { href: '/account', label: 'account', icon: UserRound, roles: USER_ROLES, shortcut: 'p' };

/** The places a role may go, named in the person's language. */
export function navFor(role: UserRole, t: Words<'shell'>): NavSection<string>[] {
  const name = (item: NavItem): NavItem<string> => ({ ...item, label: t(`nav.${item.label}`) });
  return NAV_SECTIONS.map((section) => ({ title: section.title ? t(`nav.${section.title}`) : null, items: section.items.filter((item) => item.roles.includes(role)).map(name) })).filter((section) => section.items.length > 0);
}

/** The profile, named in the person's language. */
export function accountItem(t: Words<'shell'>): NavItem<string> {
  return { ...ACCOUNT_ITEM, label: t(`nav.${ACCOUNT_ITEM.label}`) };
}

/** The item a path belongs to: the most specific match (on /incidents/board, Board, not Incidents too). */
export function activeHref(pathname: string, items: NavItem<string>[]): string | undefined {
  const matches = (href: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));
  return items
    .filter((item) => matches(item.href))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

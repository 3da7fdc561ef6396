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

export interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  roles: readonly UserRole[];
  /** `g` then this key goes there. */
  shortcut?: string;
}

export interface NavSection {
  /** Shown above the items when the sidebar is open; null for the first section. */
  title: string | null;
  items: NavItem[];
}

const WORKERS: readonly UserRole[] = ['staff', 'manager', 'admin'];

/** The portal's places, by section; each person sees the ones their role may use. */
export const NAV_SECTIONS: NavSection[] = [
  {
    title: null,
    items: [
      { href: '/', label: 'Home', icon: LayoutDashboard, roles: USER_ROLES, shortcut: 'h' },
      { href: '/incidents', label: 'Incidents', icon: ListTodo, roles: USER_ROLES, shortcut: 'i' },
      { href: '/incidents/board', label: 'Board', icon: KanbanSquare, roles: WORKERS, shortcut: 'b' },
      { href: '/incidents/new', label: 'Report incident', icon: Plus, roles: USER_ROLES },
      { href: '/notifications', label: 'Notifications', icon: Bell, roles: USER_ROLES, shortcut: 'n' },
      { href: '/analytics', label: 'Analytics', icon: BarChart3, roles: ['manager', 'admin'], shortcut: 'a' },
    ],
  },
  {
    title: 'Administration',
    items: [
      { href: '/admin/users', label: 'Users', icon: Users, roles: ['admin'], shortcut: 'u' },
      { href: '/admin/departments', label: 'Departments', icon: Building2, roles: ['admin'] },
      { href: '/admin/categories', label: 'Categories', icon: FolderTree, roles: ['admin'] },
      { href: '/admin/sla', label: 'SLA policies', icon: Timer, roles: ['admin'] },
      { href: '/admin/integrations', label: 'Integrations', icon: Plug, roles: ['admin'] },
      { href: '/admin/webhooks', label: 'Webhooks', icon: Webhook, roles: ['admin'] },
      { href: '/admin/mail', label: 'Mail', icon: Mail, roles: ['admin'] },
      { href: '/admin/events', label: 'Event health', icon: Activity, roles: ['admin'] },
      { href: '/admin/audit', label: 'Audit', icon: History, roles: ['admin'] },
    ],
  },
];

/** Places not in the sidebar that shortcuts and the command palette still reach. */
export const ACCOUNT_ITEM: NavItem = { href: '/account', label: 'Your profile', icon: UserRound, roles: USER_ROLES, shortcut: 'p' };

export function navFor(role: UserRole): NavSection[] {
  return NAV_SECTIONS.map((section) => ({ ...section, items: section.items.filter((item) => item.roles.includes(role)) })).filter((section) => section.items.length > 0);
}

/** The item a path belongs to: the most specific match (on /incidents/board, Board, not Incidents too). */
export function activeHref(pathname: string, items: NavItem[]): string | undefined {
  const matches = (href: string) => (href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`));
  return items
    .filter((item) => matches(item.href))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
}

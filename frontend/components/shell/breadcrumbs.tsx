'use client';

import { useTranslations } from 'next-intl';
import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Fragment } from 'react';
import type { Words } from '@/lib/i18n/words';
import type { NavLabel } from './nav';

/** Each path segment's place in `shell.nav`. */
const LABELS: Record<string, NavLabel> = {
  incidents: 'incidents',
  board: 'board',
  new: 'report',
  notifications: 'notifications',
  analytics: 'analytics',
  account: 'account',
  admin: 'administration',
  users: 'users',
  departments: 'departments',
  categories: 'categories',
  sla: 'sla',
  calendars: 'calendars',
  'priority-matrix': 'priorityMatrix',
  escalations: 'escalations',
  integrations: 'integrations',
  webhooks: 'webhooks',
  mail: 'mail',
  events: 'events',
  audit: 'audit',
};

export interface Crumb {
  href: string;
  label: string;
}

/** The trail to a page from its path: `/admin/users` → Administration › Users. */
export function crumbsFor(pathname: string, t: Words<'shell'>): Crumb[] {
  const segments = pathname.split('/').filter(Boolean);
  return segments.map((segment, index) => ({
    href: `/${segments.slice(0, index + 1).join('/')}`,
    // A webhook endpoint's page is named by what it is, not by its id.
    label: LABELS[segment] ? t(`nav.${LABELS[segment]}`) : segments[index - 1] === 'webhooks' ? t('nav.endpoint') : decodeURIComponent(segment),
  }));
}

/** Where the page sits, on nested pages only (a top-level page's heading says enough). */
export function Breadcrumbs() {
  const t = useTranslations('shell.breadcrumbs');
  const tShell = useTranslations('shell');
  const pathname = usePathname();
  const crumbs = crumbsFor(pathname, tShell);
  if (crumbs.length < 2) return null;
  return (
    <nav aria-label={t('breadcrumb')} className="min-w-0">
      <ol className="flex min-w-0 items-center gap-1 text-sm text-muted-foreground">
        {crumbs.map((crumb, index) => {
          const last = index === crumbs.length - 1;
          return (
            <Fragment key={crumb.href}>
              {index > 0 ? <ChevronRight className="size-3.5 shrink-0" aria-hidden /> : null}
              <li className={last ? 'min-w-0 truncate font-medium text-foreground' : 'shrink-0'}>
                {last ? (
                  <span aria-current="page">{crumb.label}</span>
                ) : (
                  <Link href={crumb.href} className="hover:text-foreground">
                    {crumb.label}
                  </Link>
                )}
              </li>
            </Fragment>
          );
        })}
      </ol>
    </nav>
  );
}

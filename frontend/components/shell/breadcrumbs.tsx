'use client';

import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Fragment } from 'react';

const LABELS: Record<string, string> = {
  incidents: 'Incidents',
  board: 'Board',
  new: 'Report incident',
  notifications: 'Notifications',
  analytics: 'Analytics',
  account: 'Your profile',
  admin: 'Administration',
  users: 'Users',
  departments: 'Departments',
  categories: 'Categories',
  sla: 'SLA policies',
  calendars: 'Calendars',
  'priority-matrix': 'Priority matrix',
  escalations: 'Escalations',
  integrations: 'Integrations',
  webhooks: 'Webhooks',
  mail: 'Mail',
  events: 'Event health',
  audit: 'Audit',
};

export interface Crumb {
  href: string;
  label: string;
}

/** The trail to a page from its path: `/admin/users` → Administration › Users. */
export function crumbsFor(pathname: string): Crumb[] {
  const segments = pathname.split('/').filter(Boolean);
  return segments.map((segment, index) => ({
    href: `/${segments.slice(0, index + 1).join('/')}`,
    // A webhook endpoint's page is named by what it is, not by its id.
    label: LABELS[segment] ?? (segments[index - 1] === 'webhooks' ? 'Endpoint' : decodeURIComponent(segment)),
  }));
}

/** Where the page sits, on nested pages only (a top-level page's heading says enough). */
export function Breadcrumbs() {
  const pathname = usePathname();
  const crumbs = crumbsFor(pathname);
  if (crumbs.length < 2) return null;
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
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

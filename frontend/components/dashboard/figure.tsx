'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import type { IncidentCount } from '@desk/contracts';
import { filtersToParams } from '@/components/incidents/incident-list';
import { Skeleton } from '@/components/ui/skeleton';
import { DEFAULT_INCIDENT_FILTERS, type IncidentFilters, useIncidentCount } from '@/lib/queries';
import { cn } from '@/lib/utils';

/** The list holding exactly these incidents. */
export function listHref(filters: Partial<IncidentFilters>): string {
  const query = filtersToParams({ ...DEFAULT_INCIDENT_FILTERS, ...filters }).toString();
  return query ? `/incidents?${query}` : '/incidents';
}

/** "12", or "1,000+" when counting stopped at the cap (of incidents, or of people). */
export function countText(count: Pick<IncidentCount, 'count' | 'capped'>): string {
  return `${count.count.toLocaleString('en')}${count.capped ? '+' : ''}`;
}

export const OPEN_WORK: IncidentFilters['status'] = ['OPEN', 'IN_PROGRESS'];

/**
 * One figure: how many incidents match `filters`, counted by the API, as a link to the list with
 * exactly those filters.
 */
export function Figure({ label, filters, tone, hint, className }: { label: string; filters: Partial<IncidentFilters>; tone?: 'bad' | 'warn'; hint?: string; className?: string }) {
  const t = useTranslations('dashboard.figure');
  const full = { ...DEFAULT_INCIDENT_FILTERS, ...filters };
  const count = useIncidentCount(full);
  const value = count.data ? countText(count.data) : null;
  const alarming = count.data !== undefined && count.data.count > 0;
  return (
    <Link prefetch={false}
      href={listHref(full)}
      data-testid="dashboard-figure"
      data-figure={label}
      className={cn('group flex min-w-0 flex-col gap-1 rounded-xl border bg-card p-4 shadow-xs transition-colors hover:border-primary/60 hover:bg-muted/30 focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none', className)}
    >
      <span className="text-sm text-muted-foreground group-hover:text-foreground">{label}</span>
      {value === null ? (
        count.isError ? (
          <span className="text-sm text-muted-foreground">{t('notAvailable')}</span>
        ) : (
          <Skeleton className="h-8 w-12" />
        )
      ) : (
        <span data-testid="figure-count" className={cn('text-2xl font-semibold tracking-tight tabular-nums', alarming && tone === 'bad' && 'text-red-700 dark:text-red-400', alarming && tone === 'warn' && 'text-amber-700 dark:text-amber-400')}>
          {value}
        </span>
      )}
      {hint ? <span className="text-xs text-muted-foreground">{hint}</span> : null}
    </Link>
  );
}

export function FigureGrid({ children, label, className }: { children: React.ReactNode; label: string; className?: string }) {
  return (
    <section aria-label={label} className={cn('grid grid-cols-2 gap-3 lg:grid-cols-4', className)}>
      {children}
    </section>
  );
}

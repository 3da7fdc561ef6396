'use client';

import { useTranslations } from 'next-intl';
import { useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Card, CardAction, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/states';
import { cn } from '@/lib/utils';

/**
 * A chart with its table: "Chart | Table" switches between them. The chart is an image to
 * assistive technology, named by `summary`; the table holds the same figures for anyone who
 * would rather read them (or cannot see the chart).
 */
export function ChartCard({
  title,
  description,
  summary,
  chart,
  table,
  loading,
  error,
  onRetry,
  empty,
  height = 'h-72',
  className,
}: {
  title: string;
  description?: ReactNode;
  summary: string;
  chart: ReactNode;
  table: ReactNode;
  loading?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** Shown instead of chart and table when there is nothing to draw. */
  empty?: ReactNode;
  height?: string;
  className?: string;
}) {
  const t = useTranslations('analytics.chartCard');
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card className={cn('min-w-0 gap-4', className)} data-testid="chart-card">
      <CardHeader>
        <CardTitle>
          <h2>{title}</h2>
        </CardTitle>
        {description ? <CardDescription>{description}</CardDescription> : null}
        <CardAction>
          <div className="inline-flex rounded-md border p-0.5" role="group" aria-label={t('showAs', { title })}>
            {(['chart', 'table'] as const).map((option) => (
              <Button key={option} type="button" size="sm" variant={view === option ? 'secondary' : 'ghost'} className="h-7 px-2.5" aria-pressed={view === option} onClick={() => setView(option)}>
                {option === 'chart' ? t('chart') : t('table')}
              </Button>
            ))}
          </div>
        </CardAction>
      </CardHeader>
      <CardContent className="min-w-0">
        {loading ? (
          <Skeleton className={cn('w-full', height)} />
        ) : error ? (
          <ErrorState error={error} {...(onRetry ? { onRetry } : {})} />
        ) : empty ? (
          <div className="py-6 text-sm text-muted-foreground">{empty}</div>
        ) : view === 'chart' ? (
          <div role="img" aria-label={summary} className={cn('w-full min-w-0', height)}>
            {chart}
          </div>
        ) : (
          // The table scrolls inside the card rather than widening the page on a phone.
          <div className="max-w-full overflow-x-auto">{table}</div>
        )}
      </CardContent>
    </Card>
  );
}

/** Recharts' shared look: muted axes and grid, a tooltip that follows the theme. */
export const axisTick = { fontSize: 12, fill: 'var(--muted-foreground)' };
export const tooltipStyle = { borderRadius: 8, border: '1px solid var(--border)', fontSize: 13, background: 'var(--popover)', color: 'var(--popover-foreground)' };
export const tooltipCursor = { fill: 'var(--muted)' };

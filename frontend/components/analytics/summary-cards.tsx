'use client';

import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import type { AnalyticsSummary } from '@desk/contracts';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/utils';
import { useFormat } from '@/lib/i18n/use-format';

function Metric({ label, value, detail, tone }: { label: string; value: ReactNode; detail?: ReactNode; tone?: 'good' | 'bad' | undefined }) {
  return (
    <Card className="min-w-0 gap-1 py-5">
      <CardContent>
        <div className="text-sm text-muted-foreground">{label}</div>
        <div className={cn('mt-1 text-2xl font-semibold tracking-tight', tone === 'good' && 'text-emerald-700 dark:text-emerald-400', tone === 'bad' && 'text-red-700 dark:text-red-400')}>{value}</div>
        {detail ? <div className="mt-1 text-xs text-muted-foreground">{detail}</div> : null}
      </CardContent>
    </Card>
  );
}

function complianceTone(ratio: number | null): 'good' | 'bad' | undefined {
  if (ratio === null) return undefined;
  return ratio >= 0.9 ? 'good' : ratio < 0.75 ? 'bad' : undefined;
}

/** The window's headline figures: volume, response and resolution times, SLA and re-openings. */
export function SummaryCards({ summary }: { summary: AnalyticsSummary | undefined }) {
  const t = useTranslations('analytics.summary');
  const format = useFormat();
  if (!summary) {
    return (
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6">
        {Array.from({ length: 6 }, (_, index) => (
          <Skeleton key={index} className="h-28" />
        ))}
      </div>
    );
  }
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6">
      <Metric label={t('incidents')} value={format.number(summary.total)} detail={t('openNow', { count: format.number(summary.openBacklog) })} />
      <Metric label={t('mtta')} value={format.duration(summary.mtta.medianSeconds)} detail={t('spread', { mean: format.duration(summary.mtta.meanSeconds), p90: format.duration(summary.mtta.p90Seconds) })} />
      <Metric label={t('mttr')} value={format.duration(summary.mttr.medianSeconds)} detail={t('spread', { mean: format.duration(summary.mttr.meanSeconds), p90: format.duration(summary.mttr.p90Seconds) })} />
      <Metric
        label={t('responseSla')}
        value={format.percent(summary.sla.response.compliance)}
        tone={complianceTone(summary.sla.response.compliance)}
        detail={t('slaDetail', { met: format.number(summary.sla.response.met), breached: format.number(summary.sla.response.breached), pending: format.number(summary.sla.response.pending) })}
      />
      <Metric
        label={t('resolutionSla')}
        value={format.percent(summary.sla.resolution.compliance)}
        tone={complianceTone(summary.sla.resolution.compliance)}
        detail={t('slaDetail', { met: format.number(summary.sla.resolution.met), breached: format.number(summary.sla.resolution.breached), pending: format.number(summary.sla.resolution.pending) })}
      />
      <Metric
        label={t('reopenRate')}
        value={format.percent(summary.reopen.rate)}
        tone={summary.reopen.rate !== null && summary.reopen.rate > 0.2 ? 'bad' : undefined}
        detail={t('reopenDetail', { reopened: format.number(summary.reopen.reopened), resolved: format.number(summary.reopen.resolved) })}
      />
    </div>
  );
}

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
      <Metric label="Incidents" value={summary.total} detail={`${summary.openBacklog} open now`} />
      <Metric label="MTTA (median)" value={format.duration(summary.mtta.medianSeconds)} detail={`mean ${format.duration(summary.mtta.meanSeconds)} · p90 ${format.duration(summary.mtta.p90Seconds)}`} />
      <Metric label="MTTR (median)" value={format.duration(summary.mttr.medianSeconds)} detail={`mean ${format.duration(summary.mttr.meanSeconds)} · p90 ${format.duration(summary.mttr.p90Seconds)}`} />
      <Metric
        label="Response SLA"
        value={format.percent(summary.sla.response.compliance)}
        tone={complianceTone(summary.sla.response.compliance)}
        detail={`${summary.sla.response.met} met · ${summary.sla.response.breached} missed · ${summary.sla.response.pending} pending`}
      />
      <Metric
        label="Resolution SLA"
        value={format.percent(summary.sla.resolution.compliance)}
        tone={complianceTone(summary.sla.resolution.compliance)}
        detail={`${summary.sla.resolution.met} met · ${summary.sla.resolution.breached} missed · ${summary.sla.resolution.pending} pending`}
      />
      <Metric
        label="Reopen rate"
        value={format.percent(summary.reopen.rate)}
        tone={summary.reopen.rate !== null && summary.reopen.rate > 0.2 ? 'bad' : undefined}
        detail={`${summary.reopen.reopened} of ${summary.reopen.resolved} resolved`}
      />
    </div>
  );
}

'use client';

import { Download, Loader2, ShieldAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { toast } from 'sonner';
import { EmptyState, ErrorState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { analyticsQuery, type AnalyticsFilters, useAnalyticsSummary, useAnalyticsTrends, useAnalyticsWorkload, useDepartments } from '@/lib/queries';
import { useApi, useUser } from '@/lib/session';
import { useDebounced } from '@/lib/use-debounced';
import { BreakdownCharts } from './breakdown-charts';
import { FiltersBar } from './filters-bar';
import { ResponseTimesChart } from './response-times-chart';
import { SatisfactionCharts } from './satisfaction-charts';
import { SummaryCards } from './summary-cards';
import { TrendChart } from './trend-chart';
import { WorkloadCharts } from './workload-charts';
import { useDescribeError } from '@/lib/i18n/errors';

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function AnalyticsPage() {
  const t = useTranslations('analytics.page');
  const user = useUser();
  if (user.role !== 'manager' && user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title={t('forbiddenTitle')}>
        {t('forbiddenBody')}
      </EmptyState>
    );
  }
  return <Analytics isAdmin={user.role === 'admin'} />;
}

function Analytics({ isAdmin }: { isAdmin: boolean }) {
  const t = useTranslations('analytics.page');
  const tSatisfaction = useTranslations('analytics.satisfaction');
  const describe = useDescribeError();
  const api = useApi();
  const departments = useDepartments();
  const [filters, setFilters] = useState<AnalyticsFilters>({ from: isoDay(-29), to: isoDay(0), departmentId: 'all', interval: 'day' });
  // Asked once typing in a date pauses, and only for a range that runs forwards.
  const asked = useDebounced(filters, 300);
  const backwards = Boolean(filters.from && filters.to && filters.from > filters.to);
  const askable = !backwards && !(asked.from && asked.to && asked.from > asked.to);
  const summary = useAnalyticsSummary(asked, askable);
  const trends = useAnalyticsTrends(asked, askable);
  const workload = useAnalyticsWorkload(asked, askable);
  const [exporting, setExporting] = useState(false);
  const departmentName = new Map((departments.data ?? []).map((department) => [department.id, department.name]));

  // The export needs the bearer token, which a plain link cannot carry: fetch it, then save the file.
  const exportCsv = async () => {
    setExporting(true);
    try {
      const response = await api.send('/analytics/export.csv', { query: analyticsQuery(filters), headers: { Accept: 'text/csv' } });
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = t('exportFileName', { from: filters.from || t('exportStart'), to: filters.to || t('exportNow') });
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      toast.error(describe(error).title, { description: describe(error).detail });
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Button variant="outline" onClick={() => void exportCsv()} disabled={exporting || backwards}>
            {exporting ? <Loader2 className="animate-spin" /> : <Download />}
            {t('export')}
          </Button>
        }
      />
      <FiltersBar filters={filters} onChange={setFilters} departments={departments.data ?? []} isAdmin={isAdmin} backwards={backwards} />

      {summary.isError ? <ErrorState error={summary.error} onRetry={() => void summary.refetch()} className="mb-6" /> : <SummaryCards summary={summary.data} />}

      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <TrendChart trends={trends.data} interval={asked.interval} loading={trends.isPending} error={trends.error} onRetry={() => void trends.refetch()} />
        <ResponseTimesChart filters={asked} enabled={askable} />
      </div>
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <BreakdownCharts summary={summary.data} />
      </div>
      <div className="mt-6 grid items-start gap-6 xl:grid-cols-2">
        <WorkloadCharts workload={workload.data} loading={workload.isPending} error={workload.error} onRetry={() => void workload.refetch()} isAdmin={isAdmin} departmentName={departmentName} />
      </div>
      <section className="mt-10" aria-labelledby="satisfaction-heading">
        <h2 id="satisfaction-heading" className="text-lg font-semibold tracking-tight">
          {tSatisfaction('heading')}
        </h2>
        <p className="mt-1 mb-4 text-sm text-muted-foreground">{tSatisfaction('headingDescription')}</p>
        <SatisfactionCharts filters={asked} enabled={askable} />
      </section>
    </>
  );
}

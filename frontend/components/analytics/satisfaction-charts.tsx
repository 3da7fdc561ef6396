'use client';

import { Smile } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsSatisfaction } from '@desk/contracts';
import { EmptyState, ErrorState } from '@/components/states';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { useFormat, type Format } from '@/lib/i18n/use-format';
import { useAnalyticsSatisfaction, useCategories, type AnalyticsFilters } from '@/lib/queries';
import { ChartCard, axisTick, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';

type Figures = Pick<AnalyticsSatisfaction['overall'], 'responses' | 'average' | 'csat'>;

/**
 * Customer satisfaction from the reporters' ratings (1–5) given in the window: the CSAT score
 * (the share of 4s and 5s) and the average rating week by week, and both per department,
 * category and assignee. The page's filters apply; the API counts ratings by when they were given.
 */
export function SatisfactionCharts({ filters, enabled }: { filters: AnalyticsFilters; enabled: boolean }) {
  const t = useTranslations('analytics.satisfaction');
  const format = useFormat();
  const satisfaction = useAnalyticsSatisfaction(filters, enabled);
  const data = satisfaction.data;
  if (satisfaction.isError) return <ErrorState error={satisfaction.error} onRetry={() => void satisfaction.refetch()} />;
  if (!data) return <Skeleton className="h-72 w-full" />;
  if (data.overall.responses === 0) {
    return (
      <EmptyState icon={Smile} title={t('emptyTitle')}>
        {t('emptyBody')}
      </EmptyState>
    );
  }
  const points = data.trend.map((week) => ({ start: week.start, csat: week.csat === null ? null : Math.round(week.csat * 1000) / 10, average: week.average === null ? null : Math.round(week.average * 100) / 100, responses: week.responses }));
  const week = (start: string) => format.date(`${start}T00:00:00Z`);
  return (
    <div className="grid gap-6 xl:grid-cols-2" data-testid="satisfaction">
      <ChartCard
        title={t('trendTitle')}
        description={t('trendDescription', { csat: format.percent(data.overall.csat), average: averageOf(data.overall, format), responses: data.overall.responses })}
        summary={t('trendSummary', {
          weeks: points.map((point) => t('trendSummaryWeek', { week: week(point.start), csat: format.percent(point.csat === null ? null : point.csat / 100), average: point.average === null ? '—' : format.number(point.average) })).join('; '),
        })}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 0, bottom: 0, left: -16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
              <XAxis dataKey="start" tickFormatter={(value: string) => week(value)} tick={axisTick} tickLine={false} axisLine={false} minTickGap={16} />
              <YAxis yAxisId="csat" domain={[0, 100]} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(value: number) => format.percent(value / 100)} />
              <YAxis yAxisId="average" orientation="right" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} tick={axisTick} tickLine={false} axisLine={false} />
              <Tooltip
                contentStyle={tooltipStyle}
                labelFormatter={(value) => t('weekOf', { week: typeof value === 'string' ? week(value) : '' })}
                formatter={(value, name) => (name === t('csat') ? format.percent(Number(value) / 100) : format.number(Number(value)))}
              />
              <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
              <Bar isAnimationActive={false} yAxisId="csat" dataKey="csat" name={t('csat')} fill="var(--chart-2)" radius={[4, 4, 0, 0]} maxBarSize={36} />
              <Line isAnimationActive={false} yAxisId="average" dataKey="average" name={t('average')} stroke="var(--chart-5)" strokeWidth={2} connectNulls type="monotone" />
            </ComposedChart>
          </ResponsiveContainer>
        }
        table={
          <FigureTable
            caption={t('trendTitle')}
            columns={[t('columnWeek'), t('columnResponses'), t('csat'), t('average')]}
            rows={data.trend.map((entry) => ({ key: entry.start, cells: [week(entry.start), format.number(entry.responses), format.percent(entry.csat), averageOf(entry, format)] }))}
          />
        }
      />
      <SatisfactionBreakdown data={data} />
    </div>
  );
}

function averageOf(figures: Figures, format: Format): string {
  return figures.average === null ? '—' : format.number(figures.average, { maximumFractionDigits: 2 });
}

/** The same figures per department, category and assignee, best-rated first. */
function SatisfactionBreakdown({ data }: { data: AnalyticsSatisfaction }) {
  const t = useTranslations('analytics.satisfaction');
  const format = useFormat();
  const categories = useCategories();
  const categoryName = new Map((categories.data ?? []).map((category) => [category.id, category.name]));
  const columns = (first: string) => [first, t('columnResponses'), t('csat'), t('average')];
  const rows = (entries: (Figures & { key: string; name: string })[]) =>
    [...entries].sort((a, b) => (b.csat ?? -1) - (a.csat ?? -1) || b.responses - a.responses).map((entry) => ({ key: entry.key, cells: [entry.name, format.number(entry.responses), format.percent(entry.csat), averageOf(entry, format)] }));
  return (
    <Card className="min-w-0 gap-4">
      <CardHeader>
        <CardTitle>
          <h2>{t('breakdownTitle')}</h2>
        </CardTitle>
        <CardDescription>{t('breakdownDescription')}</CardDescription>
      </CardHeader>
      <CardContent className="min-w-0">
        <Tabs defaultValue="department">
          <TabsList>
            <TabsTrigger value="department">{t('byDepartment')}</TabsTrigger>
            <TabsTrigger value="category">{t('byCategory')}</TabsTrigger>
            <TabsTrigger value="assignee">{t('byAssignee')}</TabsTrigger>
          </TabsList>
          <div className="max-w-full overflow-x-auto">
            <TabsContent value="department">
              <FigureTable caption={t('byDepartment')} columns={columns(t('columnDepartment'))} rows={rows(data.byDepartment.map((entry) => ({ ...entry, key: entry.departmentId, name: entry.name ?? t('unknown') })))} />
            </TabsContent>
            <TabsContent value="category">
              <FigureTable caption={t('byCategory')} columns={columns(t('columnCategory'))} rows={rows(data.byCategory.map((entry) => ({ ...entry, key: entry.categoryId, name: categoryName.get(entry.categoryId) ?? t('unknown') })))} />
            </TabsContent>
            <TabsContent value="assignee">
              <FigureTable caption={t('byAssignee')} columns={columns(t('columnAssignee'))} rows={rows(data.byAssignee.map((entry) => ({ ...entry, key: entry.assigneeId ?? 'nobody', name: entry.assigneeId ? (entry.name ?? t('unknown')) : t('unassigned') })))} />
            </TabsContent>
          </div>
        </Tabs>
      </CardContent>
    </Card>
  );
}

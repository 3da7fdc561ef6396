'use client';

import { useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsTrends } from '@desk/contracts';
import { ChartCard, axisTick, tooltipCursor, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';
import { useFormat } from '@/lib/i18n/use-format';

/** Created and resolved per day or week. */
export function TrendChart({ trends, interval, loading, error, onRetry }: { trends: AnalyticsTrends | undefined; interval: 'day' | 'week'; loading: boolean; error: unknown; onRetry: () => void }) {
  const t = useTranslations('analytics.trend');
  const format = useFormat();
  const day = (start: string) => format.date(`${start}T00:00:00Z`);
  const tick = (start: string) => new Intl.DateTimeFormat(format.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${start}T00:00:00Z`));
  const points = trends?.points ?? [];
  const created = points.reduce((sum, point) => sum + point.created, 0);
  const resolved = points.reduce((sum, point) => sum + point.resolved, 0);
  return (
    <ChartCard
      title={t('title')}
      description={interval === 'day' ? t('perDay') : t('perWeek')}
      summary={t('summary', { interval, range: points.length ? t('summaryRange', { first: day(points[0]!.start), last: day(points.at(-1)!.start) }) : '', created: format.number(created), resolved: format.number(resolved) })}
      loading={loading}
      error={error}
      onRetry={onRetry}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="start" tickFormatter={(value: string) => tick(value)} tick={axisTick} tickLine={false} axisLine={false} minTickGap={16} />
            <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(value: number) => format.number(value)} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} labelFormatter={(value) => (typeof value === 'string' ? (interval === 'day' ? day(value) : t('weekOf', { week: day(value) })) : '')} formatter={(value) => format.number(Number(value))} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Bar isAnimationActive={false} dataKey="created" name={t('created')} fill="var(--chart-1)" radius={[3, 3, 0, 0]} maxBarSize={28} />
            <Bar isAnimationActive={false} dataKey="resolved" name={t('resolved')} fill="var(--chart-2)" radius={[3, 3, 0, 0]} maxBarSize={28} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption={t('title')} columns={[interval === 'day' ? t('columnDay') : t('columnWeek'), t('created'), t('resolved')]} rows={points.map((point) => ({ key: point.start, cells: [day(point.start), format.number(point.created), format.number(point.resolved)] }))} />}
    />
  );
}

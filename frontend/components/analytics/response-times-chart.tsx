'use client';

import { useTranslations } from 'next-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAnalyticsSummaries, type AnalyticsFilters } from '@/lib/queries';
import { ChartCard, axisTick, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';
import { useFormat } from '@/lib/i18n/use-format';

const DAY_MS = 86_400_000;
/** At most this many weeks are drawn (the latest of the window): one summary asked per week. */
const MAX_WEEKS = 12;

/** The window's last weeks, each [from, to] as days, the last one ending on the window's end. */
export function weeksOf(from: string, to: string): { from: string; to: string }[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  let end = Date.parse(`${to}T00:00:00Z`);
  const weeks: { from: string; to: string }[] = [];
  while (end >= start && weeks.length < MAX_WEEKS) {
    const weekStart = Math.max(start, end - 6 * DAY_MS);
    weeks.unshift({ from: new Date(weekStart).toISOString().slice(0, 10), to: new Date(end).toISOString().slice(0, 10) });
    end = weekStart - DAY_MS;
  }
  return weeks;
}

/** Hours, or minutes while every time drawn is under an hour (a young organisation). */
const inUnit = (seconds: number | null | undefined, unit: number) => (seconds === null || seconds === undefined ? null : Math.round((seconds / unit) * 10) / 10);

/**
 * Median time to acknowledge and to resolve, week by week, for the incidents created in each
 * week (the analytics summary asked once per week; the model answers from memory).
 */
export function ResponseTimesChart({ filters, enabled }: { filters: AnalyticsFilters; enabled: boolean }) {
  const t = useTranslations('analytics.responseTimes');
  const format = useFormat();
  const week = (start: string) => format.date(`${start}T00:00:00Z`);
  const tick = (start: string) => new Intl.DateTimeFormat(format.locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${start}T00:00:00Z`));
  const weeks = filters.from && filters.to ? weeksOf(filters.from, filters.to) : [];
  const results = useAnalyticsSummaries(weeks.map((week) => ({ ...filters, from: week.from, to: week.to })), enabled);
  const longest = Math.max(0, ...results.flatMap((result) => [result.data?.mtta.medianSeconds ?? 0, result.data?.mttr.medianSeconds ?? 0]));
  const [unit, unitName] = longest < 3600 ? [60, 'minute' as const] : [3600, 'hour' as const];
  const inUnits = (value: number) => format.number(value, { style: 'unit', unit: unitName, unitDisplay: 'short', maximumFractionDigits: 1 });
  const points = weeks.map((week, index) => {
    const summary = results[index]?.data;
    return { start: week.from, mtta: inUnit(summary?.mtta.medianSeconds, unit), mttr: inUnit(summary?.mttr.medianSeconds, unit), mttaSeconds: summary?.mtta.medianSeconds ?? null, mttrSeconds: summary?.mttr.medianSeconds ?? null, count: summary?.total ?? 0 };
  });
  const measured = points.filter((point) => point.mttr !== null || point.mtta !== null);
  const loading = results.some((result) => result.isPending && enabled);
  const error = results.find((result) => result.isError)?.error;
  return (
    <ChartCard
      title={t('title')}
      description={t('description')}
      summary={t('summary', { weeks: measured.map((point) => t('summaryWeek', { week: week(point.start), mtta: format.duration(point.mttaSeconds), mttr: format.duration(point.mttrSeconds) })).join('; ') || t('nothingMeasured') })}
      loading={loading}
      error={error}
      empty={!loading && !error && measured.length === 0 ? (weeks.length === 0 ? t('chooseRange') : t('empty')) : undefined}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <LineChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="start" tickFormatter={(value: string) => tick(value)} tick={axisTick} tickLine={false} axisLine={false} minTickGap={16} />
            <YAxis tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(value: number) => inUnits(value)} />
            <Tooltip contentStyle={tooltipStyle} labelFormatter={(value) => t('weekOf', { week: typeof value === 'string' ? week(value) : '' })} formatter={(value) => inUnits(Number(value))} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Line isAnimationActive={false} dataKey="mtta" name={t('mtta')} stroke="var(--chart-3)" strokeWidth={2} connectNulls type="monotone" />
            <Line isAnimationActive={false} dataKey="mttr" name={t('mttr')} stroke="var(--chart-5)" strokeWidth={2} connectNulls type="monotone" />
          </LineChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption={t('caption')} columns={[t('columnWeek'), t('columnCreated'), t('columnMtta'), t('columnMttr')]} rows={points.map((point) => ({ key: point.start, cells: [week(point.start), format.number(point.count), format.duration(point.mttaSeconds), format.duration(point.mttrSeconds)] }))} />}
    />
  );
}

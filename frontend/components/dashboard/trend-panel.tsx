'use client';

import { useTranslations } from 'next-intl';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartCard, axisTick, tooltipCursor, tooltipStyle } from '@/components/analytics/chart-card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useDailyTrend } from '@/lib/queries';

const DAYS = 14;

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/** Created and resolved per day over the last two weeks (the department's, for a manager). */
export function TrendPanel({ departmentId }: { departmentId?: string }) {
  const t = useTranslations('dashboard.trendPanel');
  const from = isoDay(-(DAYS - 1));
  const to = isoDay(0);
  const trend = useDailyTrend(from, to, departmentId);
  const points = trend.data?.points ?? [];
  const created = points.reduce((sum, point) => sum + point.created, 0);
  const resolved = points.reduce((sum, point) => sum + point.resolved, 0);
  const busiest = points.reduce<(typeof points)[number] | null>((best, point) => (best === null || point.created > best.created ? point : best), null);
  const summary = `Bar chart of incidents created and resolved per day, ${from} to ${to}: ${created} created and ${resolved} resolved in all${busiest && busiest.created > 0 ? `; the busiest day was ${busiest.start} with ${busiest.created} created` : ''}.`;
  return (
    <ChartCard
      title={t('lastTwoWeeks')}
      description={t('incidentsCreatedAndResolved')}
      summary={summary}
      loading={trend.isPending}
      error={trend.error}
      onRetry={() => void trend.refetch()}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="start" tickFormatter={(value: string) => value.slice(5)} tick={axisTick} tickLine={false} axisLine={false} minTickGap={16} />
            <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Bar isAnimationActive={false} dataKey="created" name="Created" fill="var(--chart-1)" radius={[3, 3, 0, 0]} maxBarSize={22} />
            <Line isAnimationActive={false} dataKey="resolved" name="Resolved" stroke="var(--chart-2)" strokeWidth={2} dot={false} type="monotone" />
          </ComposedChart>
        </ResponsiveContainer>
      }
      table={
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t('day')}</TableHead>
              <TableHead className="text-right">{t('created')}</TableHead>
              <TableHead className="text-right">{t('resolved')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {points.map((point) => (
              <TableRow key={point.start}>
                <TableCell>{point.start}</TableCell>
                <TableCell className="text-right tabular-nums">{point.created}</TableCell>
                <TableCell className="text-right tabular-nums">{point.resolved}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      }
    />
  );
}

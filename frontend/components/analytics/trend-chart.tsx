'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsTrends } from '@desk/contracts';
import { ChartCard, axisTick, tooltipCursor, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';

/** Created and resolved per day or week. */
export function TrendChart({ trends, interval, loading, error, onRetry }: { trends: AnalyticsTrends | undefined; interval: 'day' | 'week'; loading: boolean; error: unknown; onRetry: () => void }) {
  const points = trends?.points ?? [];
  const created = points.reduce((sum, point) => sum + point.created, 0);
  const resolved = points.reduce((sum, point) => sum + point.resolved, 0);
  const unit = interval === 'day' ? 'day' : 'week';
  return (
    <ChartCard
      title="Created and resolved"
      description={`Per ${interval === 'day' ? 'day' : 'week (Monday to Sunday, UTC)'}`}
      summary={`Bar chart of incidents created and resolved per ${unit}${points.length ? ` from ${points[0]!.start} to ${points.at(-1)!.start}` : ''}: ${created} created and ${resolved} resolved in all.`}
      loading={loading}
      error={error}
      onRetry={onRetry}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
            <XAxis dataKey="start" tickFormatter={(value: string) => value.slice(5)} tick={axisTick} tickLine={false} axisLine={false} minTickGap={16} />
            <YAxis allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Bar isAnimationActive={false} dataKey="created" name="Created" fill="var(--chart-1)" radius={[3, 3, 0, 0]} maxBarSize={28} />
            <Bar isAnimationActive={false} dataKey="resolved" name="Resolved" fill="var(--chart-2)" radius={[3, 3, 0, 0]} maxBarSize={28} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption="Created and resolved" columns={[interval === 'day' ? 'Day' : 'Week of', 'Created', 'Resolved']} rows={points.map((point) => ({ key: point.start, cells: [point.start, point.created, point.resolved] }))} />}
    />
  );
}

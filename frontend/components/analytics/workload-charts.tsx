'use client';

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsWorkload } from '@desk/contracts';
import { ChartCard, axisTick, tooltipCursor, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';
import { useFormat } from '@/lib/i18n/use-format';

interface WorkloadRow {
  key: string;
  name: string;
  open: number;
  breached: number;
  oldestAgeSeconds: number | null;
}

/** Open work per department or per person: on time and past a target, stacked. */
function WorkloadChart({ title, rows, loading, error, onRetry }: { title: string; rows: WorkloadRow[]; loading: boolean; error: unknown; onRetry: () => void }) {
  const format = useFormat();
  const data = rows.map((row) => ({ name: row.name, onTime: row.open - row.breached, breached: row.breached }));
  const summary = `Stacked bar chart, ${title.toLowerCase()}: ${rows.map((row) => `${row.name} ${row.open} open, ${row.breached} past target`).join('; ')}.`;
  return (
    <ChartCard
      title={title}
      description="Open and in progress now, of incidents created in the window."
      summary={summary}
      loading={loading}
      error={error}
      onRetry={onRetry}
      height={rows.length > 6 ? 'h-96' : 'h-64'}
      empty={!loading && !error && rows.length === 0 ? 'Nothing open. Well done.' : undefined}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
            <XAxis type="number" allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} />
            <YAxis type="category" dataKey="name" width={104} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(name: string) => (name.length > 15 ? `${name.slice(0, 14)}…` : name)} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Bar isAnimationActive={false} dataKey="onTime" name="On time" stackId="open" fill="var(--chart-1)" maxBarSize={22} />
            <Bar isAnimationActive={false} dataKey="breached" name="Past target" stackId="open" fill="var(--chart-4)" radius={[0, 3, 3, 0]} maxBarSize={22} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption={title} columns={['Name', 'Open', 'Past target', 'Oldest']} rows={rows.map((row) => ({ key: row.key, cells: [row.name, row.open, row.breached, format.duration(row.oldestAgeSeconds)] }))} />}
    />
  );
}

export function WorkloadCharts({ workload, loading, error, onRetry, isAdmin, departmentName }: { workload: AnalyticsWorkload | undefined; loading: boolean; error: unknown; onRetry: () => void; isAdmin: boolean; departmentName: Map<string, string> }) {
  const departments = (workload?.departments ?? []).map((row) => ({ ...row, key: row.departmentId, name: row.name ?? departmentName.get(row.departmentId) ?? 'Unknown' }));
  const people = (workload?.assignees ?? []).map((row) => {
    const person = row.assigneeId ? (row.name ?? 'Unknown') : 'Unassigned';
    return { ...row, key: `${row.departmentId}-${row.assigneeId ?? 'none'}`, name: isAdmin ? `${person} (${departmentName.get(row.departmentId) ?? '…'})` : person };
  });
  return (
    <>
      {isAdmin ? <WorkloadChart title="Open work by department" rows={departments} loading={loading} error={error} onRetry={onRetry} /> : null}
      <WorkloadChart title="Open work by person" rows={people} loading={loading} error={error} onRetry={onRetry} />
    </>
  );
}

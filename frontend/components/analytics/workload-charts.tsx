'use client';

import { useTranslations } from 'next-intl';
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
function WorkloadChart({ by, rows, loading, error, onRetry }: { by: 'department' | 'person'; rows: WorkloadRow[]; loading: boolean; error: unknown; onRetry: () => void }) {
  const t = useTranslations('analytics.workload');
  const format = useFormat();
  const title = by === 'department' ? t('byDepartment') : t('byPerson');
  const data = rows.map((row) => ({ name: row.name, onTime: row.open - row.breached, breached: row.breached }));
  const summary = t('summary', { by, rows: rows.map((row) => t('summaryRow', { name: row.name, open: format.number(row.open), breached: format.number(row.breached) })).join('; ') });
  return (
    <ChartCard
      title={title}
      description={t('description')}
      summary={summary}
      loading={loading}
      error={error}
      onRetry={onRetry}
      height={rows.length > 6 ? 'h-96' : 'h-64'}
      empty={!loading && !error && rows.length === 0 ? t('empty') : undefined}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
            <XAxis type="number" allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(value: number) => format.number(value)} />
            <YAxis type="category" dataKey="name" width={104} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(name: string) => (name.length > 15 ? `${name.slice(0, 14)}…` : name)} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} formatter={(value) => format.number(Number(value))} />
            <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
            <Bar isAnimationActive={false} dataKey="onTime" name={t('onTime')} stackId="open" fill="var(--chart-1)" maxBarSize={22} />
            <Bar isAnimationActive={false} dataKey="breached" name={t('pastTarget')} stackId="open" fill="var(--chart-4)" radius={[0, 3, 3, 0]} maxBarSize={22} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption={title} columns={[t('columnName'), t('columnOpen'), t('columnPastTarget'), t('columnOldest')]} rows={rows.map((row) => ({ key: row.key, cells: [row.name, format.number(row.open), format.number(row.breached), format.duration(row.oldestAgeSeconds)] }))} />}
    />
  );
}

export function WorkloadCharts({ workload, loading, error, onRetry, isAdmin, departmentName }: { workload: AnalyticsWorkload | undefined; loading: boolean; error: unknown; onRetry: () => void; isAdmin: boolean; departmentName: Map<string, string> }) {
  const t = useTranslations('analytics.workload');
  const departments = (workload?.departments ?? []).map((row) => ({ ...row, key: row.departmentId, name: row.name ?? departmentName.get(row.departmentId) ?? t('unknown') }));
  const people = (workload?.assignees ?? []).map((row) => {
    const person = row.assigneeId ? (row.name ?? t('unknown')) : t('unassigned');
    return { ...row, key: `${row.departmentId}-${row.assigneeId ?? 'none'}`, name: isAdmin ? t('personInDepartment', { person, department: departmentName.get(row.departmentId) ?? '…' }) : person };
  });
  return (
    <>
      {isAdmin ? <WorkloadChart by="department" rows={departments} loading={loading} error={error} onRetry={onRetry} /> : null}
      <WorkloadChart by="person" rows={people} loading={loading} error={error} onRetry={onRetry} />
    </>
  );
}

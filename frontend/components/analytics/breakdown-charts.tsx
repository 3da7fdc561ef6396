'use client';

import { useTranslations } from 'next-intl';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type AnalyticsSummary, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { ChartCard, axisTick, tooltipCursor, tooltipStyle } from './chart-card';
import { FigureTable } from './figure-table';
import { useFormat, useLabels } from '@/lib/i18n/use-format';

// Colours that mean something: late-stage statuses calm, urgent priorities warm.
const STATUS_COLOURS: Record<IncidentStatus, string> = { OPEN: 'var(--chart-1)', IN_PROGRESS: 'var(--chart-3)', RESOLVED: 'var(--chart-2)', CLOSED: 'var(--chart-5)', CANCELLED: 'var(--muted-foreground)' };
const PRIORITY_COLOURS: Record<IncidentPriority, string> = { CRITICAL: 'var(--chart-4)', HIGH: 'var(--chart-3)', MEDIUM: 'var(--chart-1)', LOW: 'var(--chart-2)' };

function BreakdownChart({ by, rows, loading }: { by: 'status' | 'priority'; rows: { name: string; count: number; colour: string }[]; loading: boolean }) {
  const t = useTranslations('analytics.breakdown');
  const format = useFormat();
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const title = by === 'status' ? t('byStatus') : t('byPriority');
  const summary = t('summary', { by, rows: rows.map((row) => t('summaryRow', { name: row.name, count: format.number(row.count) })).join(', ') });
  return (
    <ChartCard
      title={title}
      description={t('description')}
      summary={summary}
      loading={loading}
      height="h-56"
      empty={!loading && total === 0 ? t('empty') : undefined}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart accessibilityLayer={false} data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke="var(--border)" />
            <XAxis type="number" allowDecimals={false} tick={axisTick} tickLine={false} axisLine={false} tickFormatter={(value: number) => format.number(value)} />
            <YAxis type="category" dataKey="name" width={84} tick={axisTick} tickLine={false} axisLine={false} />
            <Tooltip cursor={tooltipCursor} contentStyle={tooltipStyle} formatter={(value) => format.number(Number(value))} />
            <Bar isAnimationActive={false} dataKey="count" name={t('incidents')} radius={[0, 3, 3, 0]} maxBarSize={22}>
              {rows.map((row) => (
                <Cell key={row.name} fill={row.colour} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      }
      table={<FigureTable caption={title} columns={[by === 'status' ? t('columnStatus') : t('columnPriority'), t('columnIncidents'), t('columnShare')]} rows={rows.map((row) => ({ key: row.name, cells: [row.name, format.number(row.count), total === 0 ? '–' : format.percent(row.count / total)] }))} />}
    />
  );
}

/** How the window's incidents split by status and by priority. */
export function BreakdownCharts({ summary }: { summary: AnalyticsSummary | undefined }) {
  const labels = useLabels();
  return (
    <>
      <BreakdownChart by="status" loading={!summary} rows={INCIDENT_STATUSES.map((status) => ({ name: labels.status(status), count: summary?.byStatus[status] ?? 0, colour: STATUS_COLOURS[status] }))} />
      <BreakdownChart by="priority" loading={!summary} rows={[...INCIDENT_PRIORITIES].reverse().map((priority) => ({ name: labels.priority(priority), count: summary?.byPriority[priority] ?? 0, colour: PRIORITY_COLOURS[priority] }))} />
    </>
  );
}

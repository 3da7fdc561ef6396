'use client';

import { Download, Loader2, ShieldAlert } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { toast } from 'sonner';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type AnalyticsSummary } from '@desk/contracts';
import { EmptyState, ErrorState, PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { describeError } from '@/lib/api-client';
import { PRIORITY_LABELS, STATUS_LABELS, duration, percent } from '@/lib/format';
import { analyticsQuery, type AnalyticsFilters, useAnalyticsSummary, useAnalyticsTrends, useAnalyticsWorkload, useDepartments } from '@/lib/queries';
import { useApi, useUser } from '@/lib/session';
import { useDebounced } from '@/lib/use-debounced';
import { cn } from '@/lib/utils';

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function AnalyticsPage() {
  const user = useUser();
  if (user.role !== 'manager' && user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title="Analytics are for managers and administrators">
        Ask your department’s manager for the figures you need.
      </EmptyState>
    );
  }
  return <Analytics isAdmin={user.role === 'admin'} />;
}

function Analytics({ isAdmin }: { isAdmin: boolean }) {
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
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `incidents-${filters.from || 'start'}-to-${filters.to || 'now'}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      toast.error(describeError(error).title, { description: describeError(error).detail });
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title="Analytics"
        description="Incidents created in the chosen window: how fast they were answered and solved, and where work piles up."
        actions={
          <Button variant="outline" onClick={() => void exportCsv()} disabled={exporting || backwards}>
            {exporting ? <Loader2 className="animate-spin" /> : <Download />}
            Export CSV
          </Button>
        }
      />
      <div className="mb-6 flex flex-wrap items-end gap-3 rounded-xl border bg-card p-3 shadow-xs">
        <div className="grid gap-1.5">
          <Label htmlFor="from" className="text-xs text-muted-foreground">
            From
          </Label>
          <Input id="from" type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => setFilters({ ...filters, from: event.target.value })} className="w-40" />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="to" className="text-xs text-muted-foreground">
            To
          </Label>
          <Input id="to" type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => setFilters({ ...filters, to: event.target.value })} className="w-40" />
        </div>
        {isAdmin ? (
          <div className="grid gap-1.5">
            <Label className="text-xs text-muted-foreground">Department</Label>
            <Select value={filters.departmentId} onValueChange={(departmentId) => setFilters({ ...filters, departmentId })}>
              <SelectTrigger className="w-44" aria-label="Department">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="all">All departments</SelectItem>
                {(departments.data ?? []).map((department) => (
                  <SelectItem key={department.id} value={department.id}>
                    {department.name}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
        ) : null}
        <div className="grid gap-1.5">
          <Label className="text-xs text-muted-foreground">Trend by</Label>
          <Select value={filters.interval} onValueChange={(interval) => setFilters({ ...filters, interval: interval as 'day' | 'week' })}>
            <SelectTrigger className="w-28" aria-label="Interval">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="day">Day</SelectItem>
              <SelectItem value="week">Week</SelectItem>
            </SelectContent>
          </Select>
        </div>
        {backwards ? (
          <p className="self-center text-sm text-destructive" role="alert">
            “From” must be on or before “To”; the figures shown are for the last range that was.
          </p>
        ) : null}
      </div>

      {summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} className="mb-6" />
      ) : (
        <SummaryCards summary={summary.data} />
      )}

      <div className="mt-6 grid gap-6 xl:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card>
          <CardHeader>
            <CardTitle>Created and resolved</CardTitle>
            <CardDescription>Per {filters.interval === 'day' ? 'day' : 'week (Monday to Sunday, UTC)'}</CardDescription>
          </CardHeader>
          <CardContent className="h-72">
            {trends.isPending ? (
              <Skeleton className="h-full w-full" />
            ) : trends.isError ? (
              <ErrorState error={trends.error} onRetry={() => void trends.refetch()} />
            ) : (
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={trends.data.points} margin={{ top: 4, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="var(--border)" />
                  <XAxis dataKey="start" tickFormatter={(value: string) => value.slice(5)} tick={{ fontSize: 12, fill: 'var(--muted-foreground)' }} tickLine={false} axisLine={false} minTickGap={16} />
                  <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: 'var(--muted-foreground)' }} tickLine={false} axisLine={false} />
                  <Tooltip cursor={{ fill: 'var(--muted)' }} contentStyle={{ borderRadius: 8, border: '1px solid var(--border)', fontSize: 13 }} />
                  <Legend iconType="circle" wrapperStyle={{ fontSize: 13 }} />
                  <Bar dataKey="created" name="Created" fill="var(--chart-1)" radius={[3, 3, 0, 0]} maxBarSize={28} />
                  <Bar dataKey="resolved" name="Resolved" fill="var(--chart-2)" radius={[3, 3, 0, 0]} maxBarSize={28} />
                </BarChart>
              </ResponsiveContainer>
            )}
          </CardContent>
        </Card>
        <Breakdown summary={summary.data} />
      </div>

      <div className="mt-6 grid items-start gap-6 xl:grid-cols-2">
        {isAdmin ? (
          <WorkloadTable
            title="Open work by department"
            loading={workload.isPending}
            error={workload.error}
            rows={(workload.data?.departments ?? []).map((row) => ({ ...row, key: row.departmentId, name: row.name ?? departmentName.get(row.departmentId) ?? 'Unknown' }))}
          />
        ) : null}
        <WorkloadTable
          title="Open work by assignee"
          loading={workload.isPending}
          error={workload.error}
          rows={(workload.data?.assignees ?? []).map((row) => ({
            ...row,
            key: `${row.departmentId}-${row.assigneeId ?? 'none'}`,
            name: row.assigneeId ? (row.name ?? 'Unknown') : 'Unassigned',
            detail: isAdmin ? departmentName.get(row.departmentId) : undefined,
          }))}
        />
      </div>
    </>
  );
}

function Metric({ label, value, detail, tone }: { label: string; value: ReactNode; detail?: ReactNode; tone?: 'good' | 'bad' | undefined }) {
  return (
    <Card className="gap-1 py-5">
      <CardContent>
        <div className="text-sm text-muted-foreground">{label}</div>
        <div className={cn('mt-1 text-2xl font-semibold tracking-tight', tone === 'good' && 'text-emerald-700', tone === 'bad' && 'text-red-700')}>{value}</div>
        {detail ? <div className="mt-1 text-xs text-muted-foreground">{detail}</div> : null}
      </CardContent>
    </Card>
  );
}

function complianceTone(ratio: number | null): 'good' | 'bad' | undefined {
  if (ratio === null) return undefined;
  return ratio >= 0.9 ? 'good' : ratio < 0.75 ? 'bad' : undefined;
}

function SummaryCards({ summary }: { summary: AnalyticsSummary | undefined }) {
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
      <Metric label="MTTA (median)" value={duration(summary.mtta.medianSeconds)} detail={`mean ${duration(summary.mtta.meanSeconds)} · p90 ${duration(summary.mtta.p90Seconds)}`} />
      <Metric label="MTTR (median)" value={duration(summary.mttr.medianSeconds)} detail={`mean ${duration(summary.mttr.meanSeconds)} · p90 ${duration(summary.mttr.p90Seconds)}`} />
      <Metric
        label="Response SLA"
        value={percent(summary.sla.response.compliance)}
        tone={complianceTone(summary.sla.response.compliance)}
        detail={`${summary.sla.response.met} met · ${summary.sla.response.breached} missed · ${summary.sla.response.pending} pending`}
      />
      <Metric
        label="Resolution SLA"
        value={percent(summary.sla.resolution.compliance)}
        tone={complianceTone(summary.sla.resolution.compliance)}
        detail={`${summary.sla.resolution.met} met · ${summary.sla.resolution.breached} missed · ${summary.sla.resolution.pending} pending`}
      />
      <Metric
        label="Reopen rate"
        value={percent(summary.reopen.rate)}
        tone={summary.reopen.rate !== null && summary.reopen.rate > 0.2 ? 'bad' : undefined}
        detail={`${summary.reopen.reopened} of ${summary.reopen.resolved} resolved`}
      />
    </div>
  );
}

function Breakdown({ summary }: { summary: AnalyticsSummary | undefined }) {
  const rows = (entries: [string, number][], total: number, color: string) =>
    entries.map(([label, count]) => (
      <div key={label} className="grid grid-cols-[100px_1fr_36px] items-center gap-3 text-sm">
        <span className="text-muted-foreground">{label}</span>
        <div className="h-2 overflow-hidden rounded-full bg-muted">
          <div className={cn('h-full rounded-full', color)} style={{ width: `${total === 0 ? 0 : (count / total) * 100}%` }} />
        </div>
        <span className="text-right tabular-nums">{count}</span>
      </div>
    ));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Breakdown</CardTitle>
        <CardDescription>By status and by priority</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">
        {!summary ? (
          <Skeleton className="h-48" />
        ) : (
          <>
            <div className="space-y-2">{rows(INCIDENT_STATUSES.map((status) => [STATUS_LABELS[status], summary.byStatus[status]]), summary.total, 'bg-primary')}</div>
            <div className="space-y-2">{rows([...INCIDENT_PRIORITIES].reverse().map((priority) => [PRIORITY_LABELS[priority], summary.byPriority[priority]]), summary.total, 'bg-chart-3')}</div>
          </>
        )}
      </CardContent>
    </Card>
  );
}

interface WorkloadRow {
  key: string;
  name: string;
  detail?: string | undefined;
  open: number;
  breached: number;
  oldestAgeSeconds: number | null;
}

function WorkloadTable({ title, rows, loading, error }: { title: string; rows: WorkloadRow[]; loading: boolean; error: unknown }) {
  return (
    <Card className="gap-3">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent className="px-0">
        {loading ? (
          <div className="px-6">
            <Skeleton className="h-32" />
          </div>
        ) : error ? (
          <div className="px-6">
            <ErrorState error={error} />
          </div>
        ) : rows.length === 0 ? (
          <p className="px-6 py-6 text-sm text-muted-foreground">Nothing open. Well done.</p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="pl-6">Name</TableHead>
                <TableHead className="text-right">Open</TableHead>
                <TableHead className="text-right">Past target</TableHead>
                <TableHead className="pr-6 text-right">Oldest</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.key}>
                  <TableCell className="pl-6">
                    <div className="font-medium">{row.name}</div>
                    {row.detail ? <div className="text-xs text-muted-foreground">{row.detail}</div> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{row.open}</TableCell>
                  <TableCell className={cn('text-right tabular-nums', row.breached > 0 && 'font-medium text-red-700')}>{row.breached}</TableCell>
                  <TableCell className="pr-6 text-right text-muted-foreground">{duration(row.oldestAgeSeconds)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

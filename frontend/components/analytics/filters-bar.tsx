'use client';

import type { Department } from '@desk/contracts';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import type { AnalyticsFilters } from '@/lib/queries';

/** The window, the department (admins) and the trend's step. */
export function FiltersBar({ filters, onChange, departments, isAdmin, backwards }: { filters: AnalyticsFilters; onChange: (filters: AnalyticsFilters) => void; departments: Department[]; isAdmin: boolean; backwards: boolean }) {
  return (
    <div className="mb-6 grid grid-cols-2 items-end gap-3 rounded-xl border bg-card p-3 shadow-xs sm:flex sm:flex-wrap">
      <div className="grid min-w-0 gap-1.5">
        <Label htmlFor="from" className="text-xs text-muted-foreground">
          From
        </Label>
        <Input id="from" type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => onChange({ ...filters, from: event.target.value })} className="w-full sm:w-40" />
      </div>
      <div className="grid min-w-0 gap-1.5">
        <Label htmlFor="to" className="text-xs text-muted-foreground">
          To
        </Label>
        <Input id="to" type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => onChange({ ...filters, to: event.target.value })} className="w-full sm:w-40" />
      </div>
      {isAdmin ? (
        <div className="grid min-w-0 gap-1.5">
          <Label className="text-xs text-muted-foreground">Department</Label>
          <Select value={filters.departmentId} onValueChange={(departmentId) => onChange({ ...filters, departmentId })}>
            <SelectTrigger className="w-full sm:w-44" aria-label="Department">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">All departments</SelectItem>
              {departments.map((department) => (
                <SelectItem key={department.id} value={department.id}>
                  {department.name}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
      ) : null}
      <div className="grid min-w-0 gap-1.5">
        <Label className="text-xs text-muted-foreground">Trend by</Label>
        <Select value={filters.interval} onValueChange={(interval) => onChange({ ...filters, interval: interval as 'day' | 'week' })}>
          <SelectTrigger className="w-full sm:w-28" aria-label="Interval">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="day">Day</SelectItem>
            <SelectItem value="week">Week</SelectItem>
          </SelectContent>
        </Select>
      </div>
      {backwards ? (
        <p className="col-span-2 self-center text-sm text-destructive" role="alert">
          “From” must be on or before “To”; the figures shown are for the last range that was.
        </p>
      ) : null}
    </div>
  );
}

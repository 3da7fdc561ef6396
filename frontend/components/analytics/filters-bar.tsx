'use client';

import { useTranslations } from 'next-intl';
import type { Department } from '@desk/contracts';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import type { AnalyticsFilters } from '@/lib/queries';

/** The window, the department (admins) and the trend's step. */
export function FiltersBar({ filters, onChange, departments, isAdmin, backwards }: { filters: AnalyticsFilters; onChange: (filters: AnalyticsFilters) => void; departments: Department[]; isAdmin: boolean; backwards: boolean }) {
  const t = useTranslations('analytics.filters');
  return (
    <div className="mb-6 grid grid-cols-2 items-end gap-3 rounded-xl border bg-card p-3 shadow-xs sm:flex sm:flex-wrap">
      <div className="grid min-w-0 gap-1.5">
        <Label htmlFor="from" className="text-xs text-muted-foreground">
          {t('from')}
        </Label>
        <Input id="from" type="date" value={filters.from} max={filters.to || undefined} onChange={(event) => onChange({ ...filters, from: event.target.value })} className="w-full sm:w-40" />
      </div>
      <div className="grid min-w-0 gap-1.5">
        <Label htmlFor="to" className="text-xs text-muted-foreground">
          {t('to')}
        </Label>
        <Input id="to" type="date" value={filters.to} min={filters.from || undefined} onChange={(event) => onChange({ ...filters, to: event.target.value })} className="w-full sm:w-40" />
      </div>
      {isAdmin ? (
        <div className="grid min-w-0 gap-1.5">
          <Label className="text-xs text-muted-foreground">{t('department')}</Label>
          <Select value={filters.departmentId} onValueChange={(departmentId) => onChange({ ...filters, departmentId })}>
            <SelectTrigger className="w-full sm:w-44" aria-label={t('department')}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">{t('allDepartments')}</SelectItem>
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
        <Label className="text-xs text-muted-foreground">{t('trendBy')}</Label>
        <Select value={filters.interval} onValueChange={(interval) => onChange({ ...filters, interval: interval as 'day' | 'week' })}>
          <SelectTrigger className="w-full sm:w-28" aria-label={t('interval')}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="day">{t('day')}</SelectItem>
            <SelectItem value="week">{t('week')}</SelectItem>
          </SelectContent>
        </Select>
      </div>
      {backwards ? (
        <p className="col-span-2 self-center text-sm text-destructive" role="alert">
          {t('backwards')}
        </p>
      ) : null}
    </div>
  );
}

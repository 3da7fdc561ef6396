'use client';

import { useTranslations } from 'next-intl';
import { X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { DUE_SOON_HOURS, type IncidentFilters } from '@/lib/queries';

/**
 * The filters a dashboard figure may set that the list's bar has no control for (a department,
 * "due soon"): shown as chips, each removable, so the list never filters by something unseen.
 */
export function ExtraFilterChips({ filters, departmentName, onClear }: { filters: IncidentFilters; departmentName: Map<string, string>; onClear: (change: Partial<IncidentFilters>) => void }) {
  const t = useTranslations('incidents.extraFilterChips');
  if (!filters.department && !filters.dueSoon) return null;
  return (
    <div className="mb-4 flex flex-wrap gap-2" aria-label={t('moreFilters')}>
      {filters.department ? (
        <Chip label={t('department', { value: departmentName.get(filters.department) ?? 'one department' })} onClear={() => onClear({ department: '' })} />
      ) : null}
      {filters.dueSoon ? <Chip label={t('dueWithinHours', { DUE_SOON_HOURS })} onClear={() => onClear({ dueSoon: false })} /> : null}
    </div>
  );
}

function Chip({ label, onClear }: { label: string; onClear: () => void }) {
  const t = useTranslations('incidents.extraFilterChips');
  return (
    <span className="inline-flex items-center gap-1 rounded-full border bg-card py-0.5 pr-1 pl-3 text-sm">
      {label}
      <Button variant="ghost" size="icon" className="size-6 rounded-full" onClick={onClear} aria-label={t('removeTheFilter', { label })}>
        <X className="size-3.5" />
      </Button>
    </span>
  );
}

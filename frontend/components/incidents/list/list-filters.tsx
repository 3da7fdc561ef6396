'use client';

import { useTranslations } from 'next-intl';
import { Filter, X } from 'lucide-react';
import { INCIDENT_STATUSES, type IncidentStatus } from '@desk/contracts';
import { AssigneeFilter, BreachedSwitch, PriorityFilter, SearchBox, WatchingSwitch } from '@/components/incidents/filter-controls';
import { SaveViewButton } from '@/components/saved-views/save-view-button';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { filtersToParams } from '@/lib/incident-filters';
import type { IncidentFilters } from '@/lib/queries';
import { cn } from '@/lib/utils';
import { useLabels } from '@/lib/i18n/use-format';

/** The list's search and filters; every change goes to the address (see incident-filters.ts). */
export function ListFilters({
  filters,
  search,
  onSearch,
  onChange,
  onClear,
  works,
}: {
  filters: IncidentFilters;
  search: string;
  onSearch: (search: string) => void;
  onChange: (change: Partial<IncidentFilters>) => void;
  onClear: () => void;
  /** Staff, managers and admins: they filter by assignee too. */
  works: boolean;
}) {
  const t = useTranslations('incidents.listFilters');
  const filtered = filtersToParams({ ...filters, sort: 'updatedAt' }).toString() !== '';
  return (
    <div className="mb-4 flex flex-col gap-3 rounded-xl border bg-card p-3 shadow-xs 2xl:flex-row 2xl:items-center">
      <SearchBox value={search} onChange={onSearch} />
      <div className="grid grid-cols-2 items-center gap-2 sm:flex sm:flex-wrap">
        <StatusFilter value={filters.status} onChange={(status) => onChange({ status })} />
        <PriorityFilter value={filters.priority} onChange={(priority) => onChange({ priority })} />
        {works ? <AssigneeFilter value={filters.assignee} onChange={(assignee) => onChange({ assignee })} /> : null}
        <Select value={filters.sort} onValueChange={(sort) => onChange({ sort: sort as IncidentFilters['sort'] })}>
          <SelectTrigger className="w-full sm:w-auto sm:min-w-[150px]" aria-label={t('sort')}>
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="updatedAt">{t('lastUpdated')}</SelectItem>
            <SelectItem value="createdAt">{t('newestFirst')}</SelectItem>
            <SelectItem value="priority">{t('byPriority')}</SelectItem>
          </SelectContent>
        </Select>
        <BreachedSwitch id="breached" className="col-span-2 sm:col-span-1" checked={filters.breached} onChange={(breached) => onChange({ breached })} />
        <WatchingSwitch id="watching" className="col-span-2 sm:col-span-1" checked={Boolean(filters.watching)} onChange={(watching) => onChange({ watching })} />
        <SaveViewButton filters={filters} />
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={onClear}>
            <X />{' '}{t('clear')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function StatusFilter({ value, onChange }: { value: IncidentStatus[]; onChange: (status: IncidentStatus[]) => void }) {
  const t = useTranslations('incidents.listFilters');
  const labels = useLabels();
  const label = value.length === 0 ? t('anyStatus') : value.length === 1 ? labels.status(value[0]!) : t('statuses', { count: value.length });
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" className={cn('w-full justify-between font-normal sm:w-[140px]', value.length > 0 && 'border-primary/40 text-primary')} aria-label={t('status', { label })}>
          {label}
          <Filter className="size-3.5 opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-48">
        <DropdownMenuLabel>{t('status2')}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {INCIDENT_STATUSES.map((status) => (
          <DropdownMenuCheckboxItem
            key={status}
            checked={value.includes(status)}
            onSelect={(event) => event.preventDefault()}
            onCheckedChange={(checked) => onChange(checked ? [...value, status] : value.filter((item) => item !== status))}
          >
            {labels.status(status)}
          </DropdownMenuCheckboxItem>
        ))}
        {value.length > 0 ? (
          <>
            <DropdownMenuSeparator />
            <Button variant="ghost" size="sm" className="w-full justify-start" onClick={() => onChange([])}>
              {t('anyStatus')}
            </Button>
          </>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}


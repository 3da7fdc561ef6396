'use client';

import { useTranslations } from 'next-intl';
import { List, X } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { AssigneeFilter, BreachedSwitch, PriorityFilter, SearchBox } from '@/components/incidents/filter-controls';
import { Button } from '@/components/ui/button';
import { filtersToParams } from '@/lib/incident-filters';
import { DEFAULT_INCIDENT_FILTERS, type IncidentFilters } from '@/lib/queries';

/** The list's filters, on the board: the same address parameters, so links between the two keep them. */
export function BoardFilters({ filters, onChange }: { filters: IncidentFilters; onChange: (change: Partial<IncidentFilters>) => void }) {
  const t = useTranslations('incidents.boardFilters');
  const [search, setSearch] = useState(filters.q);
  // Search as the person types, a moment after they stop.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => onChange({ q: search }), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  const filtered = filtersToParams({ ...filters, sort: 'updatedAt', status: [] }).toString() !== '';
  const listQuery = filtersToParams(filters).toString();

  return (
    <div className="mb-4 flex flex-col gap-3 rounded-xl border bg-card p-3 shadow-xs lg:flex-row lg:items-center">
      <SearchBox value={search} onChange={setSearch} />
      <div className="grid grid-cols-2 items-center gap-2 sm:flex sm:flex-wrap">
        <PriorityFilter value={filters.priority} onChange={(priority) => onChange({ priority })} />
        <AssigneeFilter value={filters.assignee} onChange={(assignee) => onChange({ assignee })} />
        <BreachedSwitch id="board-breached" checked={filters.breached} onChange={(breached) => onChange({ breached })} />
        <Button variant="outline" asChild>
          <Link href={listQuery ? `/incidents?${listQuery}` : '/incidents'}>
            <List />{' '}{t('asAList')}
          </Link>
        </Button>
        {filtered || filters.status.length > 0 ? (
          <Button
            variant="ghost"
            size="sm"
            className="col-span-2 sm:col-span-1"
            onClick={() => {
              setSearch('');
              onChange({ ...DEFAULT_INCIDENT_FILTERS, sort: filters.sort });
            }}
          >
            <X />{' '}{t('clearFilters')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

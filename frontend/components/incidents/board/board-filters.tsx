'use client';

import { List, Search, X } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { INCIDENT_PRIORITIES } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { PRIORITY_LABELS } from '@/lib/format';
import { filtersToParams } from '@/lib/incident-filters';
import { DEFAULT_INCIDENT_FILTERS, type IncidentFilters } from '@/lib/queries';

/** The list's filters, on the board: the same address parameters, so links between the two keep them. */
export function BoardFilters({ filters, onChange }: { filters: IncidentFilters; onChange: (change: Partial<IncidentFilters>) => void }) {
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
      <div className="relative flex-1">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
        <Input value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search key, title or description" className="pl-9" aria-label="Search incidents" maxLength={200} />
      </div>
      <div className="grid grid-cols-2 items-center gap-2 sm:flex sm:flex-wrap">
        <Select value={filters.priority} onValueChange={(priority) => onChange({ priority: priority as IncidentFilters['priority'] })}>
          <SelectTrigger className="w-full sm:w-[140px]" aria-label="Priority">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="all">Any priority</SelectItem>
            {[...INCIDENT_PRIORITIES].reverse().map((priority) => (
              <SelectItem key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <Select value={filters.assignee} onValueChange={(assignee) => onChange({ assignee: assignee })}>
          <SelectTrigger className="w-full sm:w-[150px]" aria-label="Assignee">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="anyone">Anyone</SelectItem>
            <SelectItem value="me">Assigned to me</SelectItem>
            <SelectItem value="unassigned">Unassigned</SelectItem>
          </SelectContent>
        </Select>
        <div className="flex h-9 items-center gap-2 rounded-md border px-3 whitespace-nowrap">
          <Switch id="board-breached" checked={filters.breached} onCheckedChange={(breached) => onChange({ breached })} />
          <Label htmlFor="board-breached" className="text-sm font-normal">
            SLA breached
          </Label>
        </div>
        <Button variant="outline" asChild>
          <Link href={listQuery ? `/incidents?${listQuery}` : '/incidents'}>
            <List /> As a list
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
            <X /> Clear filters
          </Button>
        ) : null}
      </div>
    </div>
  );
}

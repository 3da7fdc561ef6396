'use client';

import { Filter, Search, X } from 'lucide-react';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type IncidentStatus } from '@desk/contracts';
import { SaveViewButton } from '@/components/saved-views/save-view-button';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { PRIORITY_LABELS, STATUS_LABELS } from '@/lib/format';
import { filtersToParams } from '@/lib/incident-filters';
import { usePeopleDirectory, type IncidentFilters } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { cn } from '@/lib/utils';

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
  const filtered = filtersToParams({ ...filters, sort: 'updatedAt' }).toString() !== '';
  // Names the viewer may read (managers: their department; admins: everyone), for a person's filter.
  const people = usePeopleDirectory();
  const user = useUser();
  const personFilterLabel = (id: string) => (id === user.id ? 'Assigned to me' : `Assigned to ${people.get(id)?.fullName ?? 'one person'}`);
  return (
    <div className="mb-4 flex flex-col gap-3 rounded-xl border bg-card p-3 shadow-xs 2xl:flex-row 2xl:items-center">
      <div className="relative flex-1">
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
        <Input value={search} onChange={(event) => onSearch(event.target.value)} placeholder="Search key, title or description" className="pl-9" aria-label="Search incidents" maxLength={200} />
      </div>
      <div className="grid grid-cols-2 items-center gap-2 sm:flex sm:flex-wrap">
        <StatusFilter value={filters.status} onChange={(status) => onChange({ status })} />
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
        {works ? (
          <Select value={filters.assignee} onValueChange={(assignee) => onChange({ assignee: assignee })}>
            <SelectTrigger className="w-full sm:w-[150px]" aria-label="Assignee">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="anyone">Anyone</SelectItem>
              <SelectItem value="me">Assigned to me</SelectItem>
              <SelectItem value="unassigned">Unassigned</SelectItem>
              {/* A dashboard's workload figure links to one person's incidents. */}
              {!['anyone', 'me', 'unassigned'].includes(filters.assignee) ? <SelectItem value={filters.assignee}>{personFilterLabel(filters.assignee)}</SelectItem> : null}
            </SelectContent>
          </Select>
        ) : null}
        <Select value={filters.sort} onValueChange={(sort) => onChange({ sort: sort as IncidentFilters['sort'] })}>
          <SelectTrigger className="w-full sm:w-[150px]" aria-label="Sort">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value="updatedAt">Last updated</SelectItem>
            <SelectItem value="createdAt">Newest first</SelectItem>
            <SelectItem value="priority">By priority</SelectItem>
          </SelectContent>
        </Select>
        <div className="col-span-2 flex h-9 items-center gap-2 rounded-md border px-3 whitespace-nowrap sm:col-span-1">
          <Switch id="breached" checked={filters.breached} onCheckedChange={(breached) => onChange({ breached })} />
          <Label htmlFor="breached" className="text-sm font-normal">
            SLA breached
          </Label>
        </div>
        <SaveViewButton filters={filters} />
        {filtered ? (
          <Button variant="ghost" size="sm" onClick={onClear}>
            <X /> Clear
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function StatusFilter({ value, onChange }: { value: IncidentStatus[]; onChange: (status: IncidentStatus[]) => void }) {
  const label = value.length === 0 ? 'Any status' : value.length === 1 ? STATUS_LABELS[value[0]!] : `${value.length} statuses`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" className={cn('w-full justify-between font-normal sm:w-[140px]', value.length > 0 && 'border-primary/40 text-primary')} aria-label={`Status: ${label}`}>
          {label}
          <Filter className="size-3.5 opacity-60" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-48">
        <DropdownMenuLabel>Status</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {INCIDENT_STATUSES.map((status) => (
          <DropdownMenuCheckboxItem
            key={status}
            checked={value.includes(status)}
            onSelect={(event) => event.preventDefault()}
            onCheckedChange={(checked) => onChange(checked ? [...value, status] : value.filter((item) => item !== status))}
          >
            {STATUS_LABELS[status]}
          </DropdownMenuCheckboxItem>
        ))}
        {value.length > 0 ? (
          <>
            <DropdownMenuSeparator />
            <Button variant="ghost" size="sm" className="w-full justify-start" onClick={() => onChange([])}>
              Any status
            </Button>
          </>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}


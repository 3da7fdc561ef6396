'use client';

import { Filter, Loader2, Plus, Search, X } from 'lucide-react';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { INCIDENT_PRIORITIES, INCIDENT_STATUSES, type Incident, type IncidentPriority, type IncidentStatus } from '@desk/contracts';
import { PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import { EmptyState, ErrorState, LoadingRows, PageHeader } from '@/components/states';
import { ExtraFilterChips } from './extra-filter-chips';
import { Button } from '@/components/ui/button';
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Switch } from '@/components/ui/switch';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { PRIORITY_LABELS, STATUS_LABELS, relativeTime } from '@/lib/format';
import { DEFAULT_INCIDENT_FILTERS, type IncidentFilters, useCategories, useDepartments, useIncidents, usePeopleDirectory } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { slaBadge } from '@/lib/sla';
import { useNow } from '@/lib/use-now';
import { cn } from '@/lib/utils';

/** Filters live in the address, so a filtered list can be bookmarked and shared. */
export function filtersFromParams(params: URLSearchParams): IncidentFilters {
  const status = (params.get('status') ?? '').split(',').filter((value): value is IncidentStatus => (INCIDENT_STATUSES as readonly string[]).includes(value));
  const priority = params.get('priority');
  const assignee = params.get('assignee');
  const sort = params.get('sort');
  const department = params.get('department') ?? '';
  return {
    status,
    priority: priority && (INCIDENT_PRIORITIES as readonly string[]).includes(priority) ? (priority as IncidentPriority) : 'all',
    assignee: assignee === 'me' || assignee === 'unassigned' || (assignee && UUID.test(assignee)) ? assignee : 'anyone',
    breached: params.get('breached') === 'true',
    q: params.get('q') ?? '',
    sort: sort === 'createdAt' || sort === 'priority' ? sort : 'updatedAt',
    ...(UUID.test(department) ? { department } : {}),
    ...(params.get('due') === 'soon' ? { dueSoon: true } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function filtersToParams(filters: IncidentFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status.length > 0) params.set('status', filters.status.join(','));
  if (filters.priority !== 'all') params.set('priority', filters.priority);
  if (filters.assignee !== 'anyone') params.set('assignee', filters.assignee);
  if (filters.breached) params.set('breached', 'true');
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.department) params.set('department', filters.department);
  if (filters.dueSoon) params.set('due', 'soon');
  if (filters.sort !== 'updatedAt') params.set('sort', filters.sort);
  return params;
}

export function IncidentList() {
  const user = useUser();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(searchParams.toString())), [searchParams]);
  const [search, setSearch] = useState(filters.q);
  const now = useNow();
  const incidents = useIncidents(filters);
  const categories = useCategories(true);
  const departments = useDepartments();
  const people = usePeopleDirectory();
  const works = user.role !== 'reporter';

  const update = (change: Partial<IncidentFilters>) => {
    const query = filtersToParams({ ...filters, ...change }).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  };

  // Search as the person types, a moment after they stop.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => update({ q: search }), 350);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const categoryName = new Map((categories.data ?? []).map((category) => [category.id, category.name]));
  const departmentName = new Map((departments.data ?? []).map((department) => [department.id, department.name]));
  const items = incidents.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = filtersToParams({ ...filters, sort: 'updatedAt' }).toString() !== '';

  const assigneeLabel = (incident: Incident): string => {
    if (!incident.assigneeId) return 'Unassigned';
    if (incident.assigneeId === user.id) return 'You';
    return people.get(incident.assigneeId)?.fullName ?? 'Assigned';
  };

  return (
    <>
      <PageHeader
        title="Incidents"
        description={
          user.role === 'reporter'
            ? 'The incidents you reported.'
            : user.role === 'admin'
              ? 'Every incident in the organisation.'
              : `Incidents of ${departmentName.get(user.departmentId ?? '') ?? 'your department'}, and those you reported.`
        }
        actions={
          // The header carries this button from the small breakpoint up.
          <Button asChild className="sm:hidden">
            <Link href="/incidents/new">
              <Plus /> Report incident
            </Link>
          </Button>
        }
      />

      <div className="mb-4 flex flex-col gap-3 rounded-xl border bg-card p-3 shadow-xs lg:flex-row lg:items-center">
        <div className="relative flex-1">
          <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
          <Input value={search} onChange={(event) => setSearch(event.target.value)} placeholder="Search key, title or description" className="pl-9" aria-label="Search incidents" maxLength={200} />
        </div>
        <div className="grid grid-cols-2 items-center gap-2 sm:flex sm:flex-wrap">
          <StatusFilter value={filters.status} onChange={(status) => update({ status })} />
          <Select value={filters.priority} onValueChange={(priority) => update({ priority: priority as IncidentFilters['priority'] })}>
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
            <Select value={filters.assignee} onValueChange={(assignee) => update({ assignee: assignee })}>
              <SelectTrigger className="w-full sm:w-[150px]" aria-label="Assignee">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="anyone">Anyone</SelectItem>
                <SelectItem value="me">Assigned to me</SelectItem>
                <SelectItem value="unassigned">Unassigned</SelectItem>
                {UUID.test(filters.assignee) ? <SelectItem value={filters.assignee}>{filters.assignee === user.id ? 'Assigned to me' : `Assigned to ${people.get(filters.assignee)?.fullName ?? 'one person'}`}</SelectItem> : null}
              </SelectContent>
            </Select>
          ) : null}
          <Select value={filters.sort} onValueChange={(sort) => update({ sort: sort as IncidentFilters['sort'] })}>
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
            <Switch id="breached" checked={filters.breached} onCheckedChange={(breached) => update({ breached })} />
            <Label htmlFor="breached" className="text-sm font-normal">
              SLA breached
            </Label>
          </div>
          {filtered ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setSearch('');
                update({ ...DEFAULT_INCIDENT_FILTERS, sort: filters.sort });
              }}
            >
              <X /> Clear
            </Button>
          ) : null}
        </div>
      </div>

      <ExtraFilterChips filters={filters} departmentName={departmentName} onClear={update} />

      {incidents.isPending ? (
        <LoadingRows />
      ) : incidents.isError && items.length === 0 ? (
        <ErrorState error={incidents.error} onRetry={() => void incidents.refetch()} />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState icon={Filter} title="No incidents match these filters" action={<Button variant="outline" onClick={() => { setSearch(''); update({ ...DEFAULT_INCIDENT_FILTERS }); }}>Clear the filters</Button>}>
            Try fewer filters or another search.
          </EmptyState>
        ) : (
          <EmptyState
            title={user.role === 'reporter' ? 'You have not reported anything yet' : 'No incidents yet'}
            action={
              <Button asChild>
                <Link href="/incidents/new">
                  <Plus /> Report an incident
                </Link>
              </Button>
            }
          >
            When something is broken or missing, report it here and follow it until it is solved.
          </EmptyState>
        )
      ) : (
        <>
          <div className="hidden overflow-hidden rounded-xl border bg-card shadow-xs md:block">
            <Table>
              <TableHeader>
                <TableRow className="bg-muted/40 hover:bg-muted/40">
                  <TableHead className="w-28 pl-4">Key</TableHead>
                  <TableHead>Title</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Priority</TableHead>
                  <TableHead>SLA</TableHead>
                  {works ? <TableHead>Assignee</TableHead> : null}
                  <TableHead className="pr-4 text-right">Updated</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {items.map((incident) => (
                  <TableRow key={incident.id} className="group cursor-pointer" onClick={() => router.push(`/incidents/${incident.key}`)} data-testid="incident-row">
                    <TableCell className="pl-4 font-mono text-xs text-muted-foreground">{incident.key}</TableCell>
                    <TableCell className="max-w-[28rem] whitespace-normal">
                      <Link href={`/incidents/${incident.key}`} className="font-medium group-hover:text-primary" onClick={(event) => event.stopPropagation()}>
                        {incident.title}
                      </Link>
                      <div className="mt-0.5 text-xs text-muted-foreground">
                        {categoryName.get(incident.categoryId) ?? 'Category'}
                        {user.role === 'admin' ? ` · ${departmentName.get(incident.departmentId) ?? ''}` : ''}
                      </div>
                    </TableCell>
                    <TableCell>
                      <StatusBadge status={incident.status} />
                    </TableCell>
                    <TableCell>
                      <PriorityBadge priority={incident.priority} />
                    </TableCell>
                    <TableCell>
                      <SlaBadge sla={slaBadge(incident, now)} now={now} />
                    </TableCell>
                    {works ? <TableCell className={cn('text-sm', !incident.assigneeId && 'text-muted-foreground')}>{assigneeLabel(incident)}</TableCell> : null}
                    <TableCell className="pr-4 text-right text-sm text-muted-foreground" title={incident.updatedAt}>
                      {relativeTime(incident.updatedAt, now)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>

          <ul className="space-y-3 md:hidden">
            {items.map((incident) => (
              <li key={incident.id}>
                <Link href={`/incidents/${incident.key}`} className="block rounded-xl border bg-card p-4 shadow-xs transition-colors hover:border-primary/40" data-testid="incident-card">
                  <div className="flex items-center justify-between gap-2">
                    <span className="font-mono text-xs text-muted-foreground">{incident.key}</span>
                    <span className="text-xs text-muted-foreground">{relativeTime(incident.updatedAt, now)}</span>
                  </div>
                  <div className="mt-1 font-medium">{incident.title}</div>
                  <div className="mt-0.5 text-xs text-muted-foreground">{categoryName.get(incident.categoryId) ?? ''}</div>
                  <div className="mt-3 flex flex-wrap gap-1.5">
                    <StatusBadge status={incident.status} />
                    <PriorityBadge priority={incident.priority} />
                    <SlaBadge sla={slaBadge(incident, now)} now={now} />
                  </div>
                  {works ? <div className="mt-2 text-xs text-muted-foreground">Assignee: {assigneeLabel(incident)}</div> : null}
                </Link>
              </li>
            ))}
          </ul>

          <div className="mt-6 flex flex-col items-center gap-2">
            {incidents.hasNextPage ? (
              <Button variant="outline" onClick={() => void incidents.fetchNextPage()} disabled={incidents.isFetchingNextPage}>
                {incidents.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
                Load more
              </Button>
            ) : (
              <p className="text-sm text-muted-foreground">
                {items.length} incident{items.length === 1 ? '' : 's'}
                {filtered ? ' match' : ''}
              </p>
            )}
            {incidents.isError ? <ErrorState error={incidents.error} onRetry={() => void incidents.fetchNextPage()} /> : null}
          </div>
        </>
      )}
    </>
  );
}

function StatusFilter({ value, onChange }: { value: IncidentStatus[]; onChange: (status: IncidentStatus[]) => void }) {
  const label = value.length === 0 ? 'Any status' : value.length === 1 ? STATUS_LABELS[value[0]!] : `${value.length} statuses`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" className={cn('w-full justify-between font-normal sm:w-[140px]', value.length > 0 && 'border-primary/40 text-primary')} aria-label="Status">
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


'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { toast } from 'sonner';
import type { Incident, IncidentCount, User } from '@desk/contracts';
import { PriorityBadge } from '@/components/badges';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { useConflictMessage, useAssignTo } from '@/lib/mutations/incidents';
import { DEFAULT_INCIDENT_FILTERS, useIncidentCounts, useIncidentSample, useUsers } from '@/lib/queries';
import { OPEN_WORK, countText, listHref } from './figure';
import { Panel } from './panel';

const personFilters = (id: string) => ({ ...DEFAULT_INCIDENT_FILTERS, status: OPEN_WORK, assignee: id });

/**
 * Who in the department carries how much open work (each figure links to that person's list),
 * and the unassigned incidents, each assignable from here to someone with their load in view.
 */
export function WorkloadPanel({ departmentId }: { departmentId: string }) {
  const t = useTranslations('dashboard.workloadPanel');
  const users = useUsers({ departmentId, isActive: 'true' }, Boolean(departmentId));
  const people = (users.data ?? []).filter((user) => user.role === 'staff' || user.role === 'manager').sort((a, b) => a.fullName.localeCompare(b.fullName));
  // Counted by the API person by person, with the keys the figures use, so both stay in step.
  const counts = useIncidentCounts(people.map((person) => personFilters(person.id)));
  const loads = people.map((person, index) => ({ person, count: counts[index]?.data }));
  const most = Math.max(1, ...loads.map((load) => load.count?.count ?? 0));
  const unassignedFilters = { ...DEFAULT_INCIDENT_FILTERS, status: OPEN_WORK, assignee: 'unassigned', sort: 'priority' as const };
  const unassigned = useIncidentSample(unassignedFilters, 5);

  return (
    <Panel title={t('workload')} description={t('openAndInProgress')} href="/analytics" hrefLabel="Analytics">
      {users.isPending ? (
        <Skeleton className="h-32 w-full" />
      ) : people.length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('nobodyWorksInThis')}</p>
      ) : (
        <ul className="space-y-2" aria-label={t('openWorkPerPerson')}>
          {loads.map(({ person, count }) => (
            <li key={person.id} className="grid grid-cols-[minmax(0,9rem)_1fr_auto] items-center gap-3 text-sm">
              <span className="truncate" title={person.fullName}>
                {person.fullName}
              </span>
              <div className="h-2 overflow-hidden rounded-full bg-muted" aria-hidden>
                <div className="h-full rounded-full bg-[var(--chart-1)]" style={{ width: `${((count?.count ?? 0) / most) * 100}%` }} />
              </div>
              <Link prefetch={false} href={listHref(personFilters(person.id))} data-testid="workload-count" data-person={person.fullName} className="min-w-10 text-right font-medium tabular-nums hover:text-primary hover:underline" aria-label={t('open', { fullName: person.fullName, value: count ? countText(count) : 'counting' })}>
                {count ? countText(count) : '…'}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <h3 className="mt-6 mb-2 text-sm font-medium">{t('assignUnassignedIncidents')}</h3>
      {unassigned.isPending ? (
        <Skeleton className="h-20 w-full" />
      ) : (unassigned.data ?? []).length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('everyOpenIncidentHas')}</p>
      ) : (
        <ul className="divide-y" aria-label={t('unassignedIncidentsToAssign')}>
          {(unassigned.data ?? []).map((incident) => (
            <AssignRow key={incident.id} incident={incident} loads={loads} />
          ))}
        </ul>
      )}
    </Panel>
  );
}

function AssignRow({ incident, loads }: { incident: Incident; loads: { person: User; count: IncidentCount | undefined }[] }) {
  const t = useTranslations('dashboard.workloadPanel');
  const conflictMessage = useConflictMessage();
  const assign = useAssignTo(incident, {
    onAssigned: (updated, person) => toast.success(t('assignedTo', { key: updated.key, fullName: person.fullName })),
    onError: (error) => {
      const message = conflictMessage(error);
      toast.error(message.title, { description: message.detail });
    },
  });
  return (
    <li className="flex min-w-0 flex-col gap-2 py-2.5 sm:flex-row sm:items-center" data-testid="assign-row">
      <div className="min-w-0 flex-1">
        <Link prefetch={false} href={`/incidents/${incident.key}`} className="block truncate text-sm font-medium hover:text-primary" title={incident.title}>
          <span className="mr-2 font-mono text-xs text-muted-foreground">{incident.key}</span>
          {incident.title}
        </Link>
        <PriorityBadge priority={incident.priority} className="mt-1" />
      </div>
      <Select value="" disabled={assign.isPending} onValueChange={(id) => { const person = loads.find((load) => load.person.id === id)?.person; if (person) assign.mutate(person); }}>
        <SelectTrigger className="w-full sm:w-52" aria-label={t('assignTo', { key: incident.key })}>
          <SelectValue placeholder={assign.isPending ? t('assigning') : t('assignTo2')} />
        </SelectTrigger>
        <SelectContent>
          {loads.map(({ person, count }) => (
            <SelectItem key={person.id} value={person.id}>
              {person.fullName} {count ? t('open2', { countText: countText(count) }) : ''}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </li>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { INCIDENT_PRIORITIES, type Incident } from '@desk/contracts';
import { PageHeader } from '@/components/states';
import { DEFAULT_INCIDENT_FILTERS, DUE_SOON_HOURS, useDepartments, useIncidentSample } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { slaBadge } from '@/lib/sla';
import { useNow } from '@/lib/use-now';
import { Figure, FigureGrid, OPEN_WORK, listHref } from './figure';
import { IncidentRows } from './incident-rows';
import { Panel } from './panel';
import { useFormat } from '@/lib/i18n/use-format';

const rank = (incident: Incident) => INCIDENT_PRIORITIES.indexOf(incident.priority);

/** Highest priority first; within a priority, the target that runs out first. */
export function byPriorityThenDue(incidents: Incident[], now: number): Incident[] {
  const due = (incident: Incident) => Date.parse(slaBadge(incident, now).dueAt ?? '') || Number.POSITIVE_INFINITY;
  return [...incidents].sort((a, b) => rank(b) - rank(a) || due(a) - due(b));
}

/** Staff: their queue in the order to work it, the department's unassigned incidents, what is due or late. */
export function StaffDashboard() {
  const t = useTranslations('dashboard.staffDashboard');
  const format = useFormat();
  const user = useUser();
  const departments = useDepartments();
  const department = departments.data?.find((entry) => entry.id === user.departmentId)?.name ?? 'your department';
  const queueFilters = { ...DEFAULT_INCIDENT_FILTERS, status: OPEN_WORK, assignee: 'me', sort: 'priority' as const };
  const unassignedFilters = { ...DEFAULT_INCIDENT_FILTERS, status: OPEN_WORK, assignee: 'unassigned', sort: 'priority' as const };
  const queue = useIncidentSample(queueFilters, 10);
  const unassigned = useIncidentSample(unassignedFilters, 5);
  const now = useNow();
  return (
    <>
      <PageHeader title={t('myWork')} description={t('yourQueueInThe', { department })} />
      <FigureGrid label={t('myWorkInFigures')}>
        <Figure label={t('assignedToMe')} filters={{ status: OPEN_WORK, assignee: 'me' }} hint={t('openOrInProgress')} />
        <Figure label={t('unassignedIn', { department })} filters={{ status: OPEN_WORK, assignee: 'unassigned' }} tone="warn" />
        <Figure label={t('dueWithinH', { DUE_SOON_HOURS })} filters={{ dueSoon: true }} tone="warn" hint={t('in', { department })} />
        <Figure label={t('slaBreachedStillOpen')} filters={{ status: OPEN_WORK, breached: true }} tone="bad" hint={t('in', { department })} />
      </FigureGrid>
      <div className="mt-6 grid gap-6 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Panel title={t('myQueue')} description={t('highestPriorityFirstThen')} href={listHref(queueFilters)}>
          <IncidentRows label={t('myQueue')} incidents={queue.data && byPriorityThenDue(queue.data, now)} loading={queue.isPending} error={queue.error} empty="Nothing assigned to you is open. Pick one from the unassigned incidents." />
        </Panel>
        <Panel title={t('unassigned')} description={t('openIncidentsOfNobody', { department })} href={listHref(unassignedFilters)}>
          <IncidentRows label={t('unassignedIncidents')} incidents={unassigned.data} loading={unassigned.isPending} error={unassigned.error} empty="Every open incident has someone on it." detail={(incident, now) => `Reported ${format.relativeTime(incident.createdAt, now)}`} />
        </Panel>
      </div>
    </>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { INCIDENT_PRIORITIES } from '@desk/contracts';
import { PageHeader } from '@/components/states';
import { DUE_SOON_HOURS, useDepartments } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { Figure, FigureGrid, OPEN_WORK } from './figure';
import { TeamAvailabilityPanel } from './team-availability-panel';
import { TrendPanel } from './trend-panel';
import { WorkloadPanel } from './workload-panel';
import { useLabels } from '@/lib/i18n/use-format';

/** A manager's home: the department's open work, what is at risk, who carries what, and the last two weeks. */
export function ManagerDashboard() {
  const t = useTranslations('dashboard.managerDashboard');
  const labels = useLabels();
  const user = useUser();
  const departments = useDepartments();
  const department = departments.data?.find((entry) => entry.id === user.departmentId)?.name ?? 'your department';
  return (
    <>
      <PageHeader title={department} description={t('openWorkWhatIs')} />
      <FigureGrid label={t('openByStatusAnd')} className="lg:grid-cols-5">
        <Figure label={labels.status('OPEN')} filters={{ status: ['OPEN'] }} hint={t('notStarted')} />
        <Figure label={labels.status('IN_PROGRESS')} filters={{ status: ['IN_PROGRESS'] }} />
        <Figure label={t('unassigned')} filters={{ status: OPEN_WORK, assignee: 'unassigned' }} tone="warn" />
        <Figure label={t('dueWithinH', { DUE_SOON_HOURS })} filters={{ dueSoon: true }} tone="warn" hint={t('slaAtRisk')} />
        <Figure label={t('slaBreached')} filters={{ status: OPEN_WORK, breached: true }} tone="bad" hint={t('stillOpen')} className="col-span-2 lg:col-span-1" />
      </FigureGrid>
      <FigureGrid label={t('openByPriority')} className="mt-3">
        {[...INCIDENT_PRIORITIES].reverse().map((priority) => (
          <Figure key={priority} label={labels.priority(priority)} filters={{ status: OPEN_WORK, priority }} hint={t('openOrInProgress')} tone={priority === 'CRITICAL' ? 'bad' : undefined} />
        ))}
      </FigureGrid>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <WorkloadPanel departmentId={user.departmentId ?? ''} />
        <TrendPanel />
        <TeamAvailabilityPanel />
      </div>
    </>
  );
}

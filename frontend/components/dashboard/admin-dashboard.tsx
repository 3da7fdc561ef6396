'use client';

import { useTranslations } from 'next-intl';
import { PageHeader } from '@/components/states';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Skeleton } from '@/components/ui/skeleton';
import { DEFAULT_INCIDENT_FILTERS, DUE_SOON_HOURS, useDepartments, useIncidentCount, type IncidentFilters } from '@/lib/queries';
import Link from 'next/link';
import { AdminHealth, RecentChanges } from './admin-health';
import { Figure, FigureGrid, OPEN_WORK, countText, listHref } from './figure';
import { Panel } from './panel';

/** An administrator's home: the organisation's open and late work per department, its people, and the platform's health. */
export function AdminDashboard() {
  const t = useTranslations('dashboard.adminDashboard');
  const departments = useDepartments();
  return (
    <>
      <PageHeader title={t('organisation')} description={t('openAndLateWork')} />
      <FigureGrid label={t('theOrganisationSOpen')}>
        <Figure label={t('openOrInProgress')} filters={{ status: OPEN_WORK }} />
        <Figure label={t('unassigned')} filters={{ status: OPEN_WORK, assignee: 'unassigned' }} tone="warn" />
        <Figure label={t('dueWithinH', { DUE_SOON_HOURS })} filters={{ dueSoon: true }} tone="warn" />
        <Figure label={t('slaBreached')} filters={{ status: OPEN_WORK, breached: true }} tone="bad" hint={t('stillOpen')} />
      </FigureGrid>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Panel title={t('perDepartment')} description={t('openOrInProgress2')} href="/analytics" hrefLabel="Analytics">
          {departments.isPending ? (
            <Skeleton className="h-28 w-full" />
          ) : (
            <div className="max-w-full overflow-x-auto">
              <Table aria-label={t('openAndBreachedPer')}>
                <TableHeader>
                  <TableRow>
                    <TableHead>{t('department')}</TableHead>
                    <TableHead className="text-right">{t('open')}</TableHead>
                    <TableHead className="text-right">{t('breached')}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {(departments.data ?? []).map((department) => (
                    <TableRow key={department.id} data-testid="department-row" data-department={department.name}>
                      <TableCell className="font-medium">{department.name}</TableCell>
                      <TableCell className="text-right">
                        <CountLink label={t('openIn', { name: department.name })} filters={{ status: OPEN_WORK, department: department.id }} />
                      </TableCell>
                      <TableCell className="text-right">
                        <CountLink label={t('breachedIn', { name: department.name })} filters={{ status: OPEN_WORK, breached: true, department: department.id }} bad />
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </Panel>
        <AdminHealth />
      </div>
      <RecentChanges className="mt-6" />
    </>
  );
}

function CountLink({ label, filters, bad }: { label: string; filters: Partial<IncidentFilters>; bad?: boolean }) {
  const t = useTranslations('dashboard.adminDashboard');
  const full = { ...DEFAULT_INCIDENT_FILTERS, ...filters };
  const count = useIncidentCount(full);
  const late = bad && (count.data?.count ?? 0) > 0;
  return (
    <Link prefetch={false} href={listHref(full)} aria-label={t('text', { label, value: count.data ? countText(count.data) : 'counting' })} data-testid="department-count" className={`font-medium tabular-nums hover:text-primary hover:underline ${late ? 'text-red-700 dark:text-red-400' : ''}`}>
      {count.data ? countText(count.data) : '…'}
    </Link>
  );
}

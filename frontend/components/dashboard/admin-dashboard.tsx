'use client';

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
  const departments = useDepartments();
  return (
    <>
      <PageHeader title="Organisation" description="Open and late work per department, people and integrations, and how events and mail are flowing." />
      <FigureGrid label="The organisation's open work">
        <Figure label="Open or in progress" filters={{ status: OPEN_WORK }} />
        <Figure label="Unassigned" filters={{ status: OPEN_WORK, assignee: 'unassigned' }} tone="warn" />
        <Figure label={`Due within ${DUE_SOON_HOURS} h`} filters={{ dueSoon: true }} tone="warn" />
        <Figure label="SLA breached" filters={{ status: OPEN_WORK, breached: true }} tone="bad" hint="Still open" />
      </FigureGrid>
      <div className="mt-6 grid gap-6 xl:grid-cols-2">
        <Panel title="Per department" description="Open or in progress, and of those past an SLA target." href="/analytics" hrefLabel="Analytics">
          {departments.isPending ? (
            <Skeleton className="h-28 w-full" />
          ) : (
            <div className="max-w-full overflow-x-auto">
              <Table aria-label="Open and breached per department">
                <TableHeader>
                  <TableRow>
                    <TableHead>Department</TableHead>
                    <TableHead className="text-right">Open</TableHead>
                    <TableHead className="text-right">Breached</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {(departments.data ?? []).map((department) => (
                    <TableRow key={department.id} data-testid="department-row" data-department={department.name}>
                      <TableCell className="font-medium">{department.name}</TableCell>
                      <TableCell className="text-right">
                        <CountLink label={`Open in ${department.name}`} filters={{ status: OPEN_WORK, department: department.id }} />
                      </TableCell>
                      <TableCell className="text-right">
                        <CountLink label={`Breached in ${department.name}`} filters={{ status: OPEN_WORK, breached: true, department: department.id }} bad />
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
  const full = { ...DEFAULT_INCIDENT_FILTERS, ...filters };
  const count = useIncidentCount(full);
  const late = bad && (count.data?.count ?? 0) > 0;
  return (
    <Link prefetch={false} href={listHref(full)} aria-label={`${label}: ${count.data ? countText(count.data) : 'counting'}`} data-testid="department-count" className={`font-medium tabular-nums hover:text-primary hover:underline ${late ? 'text-red-700 dark:text-red-400' : ''}`}>
      {count.data ? countText(count.data) : '…'}
    </Link>
  );
}

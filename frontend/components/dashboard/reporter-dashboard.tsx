'use client';

import { Plus } from 'lucide-react';
import Link from 'next/link';
import { PageHeader } from '@/components/states';
import { Button } from '@/components/ui/button';
import { DEFAULT_INCIDENT_FILTERS, useIncidentSample } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { Figure, FigureGrid, listHref } from './figure';
import { IncidentRows } from './incident-rows';
import { Panel } from './panel';
import { useFormat, useLabels } from '@/lib/i18n/use-format';

const STILL_OPEN: typeof DEFAULT_INCIDENT_FILTERS.status = ['OPEN', 'IN_PROGRESS', 'RESOLVED'];

/** A reporter's home: their incidents still under way, what changed on them lately, and the way to report. */
export function ReporterDashboard() {
  const labels = useLabels();
  const format = useFormat();
  const user = useUser();
  const latest = useIncidentSample({ ...DEFAULT_INCIDENT_FILTERS, status: STILL_OPEN }, 6);
  return (
    <>
      <PageHeader
        title={`Hello, ${user.fullName.split(' ')[0]}`}
        description="Your incidents that are not finished yet, and what happened on them lately."
        actions={
          <Button asChild size="lg">
            <Link prefetch={false} href="/incidents/new">
              <Plus /> Report an incident
            </Link>
          </Button>
        }
      />
      <FigureGrid label="My open incidents by status" className="lg:grid-cols-3">
        <Figure label="Waiting for someone" filters={{ status: ['OPEN'] }} hint={`${labels.status('OPEN')}: not picked up yet`} />
        <Figure label="Being worked on" filters={{ status: ['IN_PROGRESS'] }} hint={labels.status('IN_PROGRESS')} />
        <Figure label="Solved, waiting for you" filters={{ status: ['RESOLVED'] }} hint="Confirm the fix, or re-open" tone="warn" className="col-span-2 lg:col-span-1" />
      </FigureGrid>
      <Panel title="Latest updates" description="Your unfinished incidents, most recently changed first." href={listHref({ status: STILL_OPEN })} className="mt-6">
        <IncidentRows
          label="Latest updates on my incidents"
          incidents={latest.data}
          loading={latest.isPending}
          error={latest.error}
          empty="Nothing under way. When something is broken or missing, report it and follow it here."
          detail={(incident, now) => `${incident.assigneeName ? `${incident.assigneeName} is on it · ` : ''}updated ${format.relativeTime(incident.updatedAt, now)}`}
        />
      </Panel>
    </>
  );
}

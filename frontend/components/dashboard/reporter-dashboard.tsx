'use client';

import { useTranslations } from 'next-intl';
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
  const t = useTranslations('dashboard.reporterDashboard');
  const labels = useLabels();
  const format = useFormat();
  const user = useUser();
  const latest = useIncidentSample({ ...DEFAULT_INCIDENT_FILTERS, status: STILL_OPEN }, 6);
  return (
    <>
      <PageHeader
        title={t('hello', { value: user.fullName.split(' ')[0] ?? user.fullName })}
        description={t('yourIncidentsThatAre')}
        actions={
          <Button asChild size="lg">
            <Link prefetch={false} href="/incidents/new">
              <Plus />{' '}{t('reportAnIncident')}
            </Link>
          </Button>
        }
      />
      <FigureGrid label={t('myOpenIncidentsBy')} className="lg:grid-cols-3">
        <Figure label={t('waitingForSomeone')} filters={{ status: ['OPEN'] }} hint={t('notPickedUpYet', { status: labels.status('OPEN') })} />
        <Figure label={t('beingWorkedOn')} filters={{ status: ['IN_PROGRESS'] }} hint={labels.status('IN_PROGRESS')} />
        <Figure label={t('solvedWaitingForYou')} filters={{ status: ['RESOLVED'] }} hint={t('confirmTheFixOr')} tone="warn" className="col-span-2 lg:col-span-1" />
      </FigureGrid>
      <Panel title={t('latestUpdates')} description={t('yourUnfinishedIncidentsMost')} href={listHref({ status: STILL_OPEN })} className="mt-6">
        <IncidentRows
          label={t('latestUpdatesOnMy')}
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

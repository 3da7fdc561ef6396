'use client';

import { useTranslations } from 'next-intl';
import { ArrowLeft, XCircle } from 'lucide-react';
import Link from 'next/link';
import type { Incident } from '@desk/contracts';
import { EmptyState, ErrorState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiError } from '@/lib/api-client';
import type { Viewer } from '@/lib/lifecycle';
import { useIncident } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { useNow } from '@/lib/use-now';
import { ActionsColumn } from './actions-column';
import { ConversationColumn } from './conversation-column';
import { DetailsColumn } from './details-column';
import { IncidentHeader } from './incident-header';
import { WaitingBanner } from './waiting';

// The incident page. At wide widths three columns: details and metadata | the conversation
// (description, comments, internal notes, the timeline) | what the viewer may do. On narrow
// screens one column in the order a person needs it: where it stands and what they can do
// (header, actions), then the conversation they come to read or answer, then the reference
// details (the SLA state is already a badge in the header). Every part reads the incident,
// comments, timeline and people from their queries, so an invalidation refreshes it.

export function IncidentDetail({ incidentKey }: { incidentKey: string }) {
  const t = useTranslations('incidents.incidentDetail');
  const user = useUser();
  const incident = useIncident(incidentKey);
  const now = useNow();

  if (incident.isPending) return <DetailSkeleton />;
  if (incident.isError) {
    const notFound = incident.error instanceof ApiError && incident.error.status === 404;
    return (
      <div className="mx-auto max-w-2xl">
        <BackLink />
        {notFound ? (
          <EmptyState icon={XCircle} title={t('wasNotFound', { incidentKey })} action={<Button asChild variant="outline"><Link href="/incidents">{t('backToTheIncidents')}</Link></Button>}>
            {t('itDoesNotExist')}
          </EmptyState>
        ) : (
          <ErrorState error={incident.error} onRetry={() => void incident.refetch()} />
        )}
      </div>
    );
  }
  return <IncidentView incident={incident.data} viewer={{ id: user.id, role: user.role, departmentId: user.departmentId }} now={now} />;
}

function BackLink() {
  const t = useTranslations('incidents.incidentDetail');
  return (
    <Link href="/incidents" className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground hover:text-foreground">
      <ArrowLeft className="size-4" />{' '}{t('incidents')}
    </Link>
  );
}

/**
 * One grid, three placements, by the width of the page's own container (so a sidebar, open or
 * collapsed, is taken into account): one column (actions, conversation, details); two (the
 * conversation, and beside it actions over details); three (details, conversation, actions).
 */
function IncidentView({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const t = useTranslations('incidents.incidentDetail');
  return (
    <div className="@container min-w-0">
      <BackLink />
      <IncidentHeader incident={incident} viewer={viewer} now={now} />
      <WaitingBanner incident={incident} viewer={viewer} now={now} />
      <div className="mt-6 grid grid-cols-1 items-start gap-6 @3xl:grid-cols-[minmax(0,1fr)_300px] @3xl:grid-rows-[auto_1fr] @5xl:grid-cols-[280px_minmax(0,1fr)_280px] @5xl:grid-rows-1">
        <section aria-label={t('actions')} data-testid="incident-actions" className="min-w-0 @3xl:col-start-2 @3xl:row-start-1 @5xl:col-start-3">
          <ActionsColumn incident={incident} viewer={viewer} />
        </section>
        <section aria-label={t('conversation')} data-testid="incident-conversation" className="min-w-0 @3xl:col-start-1 @3xl:row-span-2 @3xl:row-start-1 @5xl:col-start-2 @5xl:row-span-1">
          <ConversationColumn incident={incident} viewer={viewer} now={now} />
        </section>
        <section aria-label={t('details')} data-testid="incident-details" className="min-w-0 @3xl:col-start-2 @3xl:row-start-2 @5xl:col-start-1 @5xl:row-start-1">
          <DetailsColumn incident={incident} viewer={viewer} now={now} />
        </section>
      </div>
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div aria-busy="true" className="@container">
      <Skeleton className="mb-4 h-4 w-24" />
      <Skeleton className="h-5 w-64" />
      <Skeleton className="mt-3 h-8 w-2/3" />
      <div className="mt-8 grid gap-6 @5xl:grid-cols-[280px_minmax(0,1fr)_280px]">
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
        <Skeleton className="h-72" />
      </div>
    </div>
  );
}

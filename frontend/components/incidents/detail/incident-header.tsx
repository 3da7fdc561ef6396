'use client';

import { useTranslations } from 'next-intl';
import type { Incident } from '@desk/contracts';
import { MajorBadge, PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import type { Viewer } from '@/lib/lifecycle';
import { slaBadge } from '@/lib/sla';
import { useNameOf } from './people';
import { useFormat } from '@/lib/i18n/use-format';

/** Key, status, priority, SLA and title: full width above the columns. */
export function IncidentHeader({ incident, viewer, now }: { incident: Incident; viewer: Viewer; now: number }) {
  const t = useTranslations('incidents.incidentHeader');
  const format = useFormat();
  const nameOf = useNameOf(incident, viewer);
  return (
    <header className="min-w-0">
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-sm text-muted-foreground">{incident.key}</span>
        <StatusBadge status={incident.status} />
        <PriorityBadge priority={incident.priority} />
        <SlaBadge sla={slaBadge(incident, now)} now={now} />
        {incident.isMajor ? <MajorBadge /> : null}
      </div>
      {/* A title without spaces (a pasted URL, say) breaks anywhere rather than widening the page. */}
      <h1 className="mt-2 text-2xl font-semibold tracking-tight [overflow-wrap:anywhere]" data-testid="incident-title">
        {incident.title}
      </h1>
      <p className="mt-1 text-sm text-muted-foreground">
        {t('reportedBy', { created: format.relativeTime(incident.createdAt, now), self: String(incident.reporterId === viewer.id), name: nameOf(incident.reporterId), updated: format.relativeTime(incident.updatedAt, now) })}
      </p>
    </header>
  );
}

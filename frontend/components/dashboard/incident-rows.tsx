'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import type { Incident } from '@desk/contracts';
import { PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import { Skeleton } from '@/components/ui/skeleton';
import { ErrorState } from '@/components/states';
import { slaBadge } from '@/lib/sla';
import { useNow } from '@/lib/use-now';
import { useFormat } from '@/lib/i18n/use-format';

/** A short list of incidents on a dashboard: key, title, and what state each is in. */
export function IncidentRows({
  incidents,
  loading,
  error,
  empty,
  detail,
  label,
}: {
  incidents: Incident[] | undefined;
  loading: boolean;
  error: unknown;
  empty: string;
  /** A line under the title; by default when it last changed. */
  detail?: (incident: Incident, now: number) => string;
  label: string;
}) {
  const t = useTranslations('dashboard.incidentRows');
  const format = useFormat();
  const now = useNow();
  if (loading) return <Skeleton className="h-32 w-full" />;
  if (error) return <ErrorState error={error} />;
  if (!incidents || incidents.length === 0) return <p className="py-4 text-sm text-muted-foreground">{empty}</p>;
  return (
    <ul className="divide-y" aria-label={label}>
      {incidents.map((incident) => (
        <li key={incident.id} className="flex min-w-0 flex-col gap-1.5 py-2.5 2xl:flex-row 2xl:items-center 2xl:gap-3">
          <div className="min-w-0 flex-1">
            <Link prefetch={false} href={`/incidents/${incident.key}`} className="block truncate font-medium hover:text-primary" title={incident.title}>
              <span className="mr-2 font-mono text-xs text-muted-foreground">{incident.key}</span>
              {incident.title}
            </Link>
            <div className="truncate text-xs text-muted-foreground">{detail ? detail(incident, now) : t('updated', { relativeTime: format.relativeTime(incident.updatedAt, now) })}</div>
          </div>
          <div className="flex shrink-0 flex-wrap items-center gap-1.5">
            <StatusBadge status={incident.status} />
            <PriorityBadge priority={incident.priority} />
            <SlaBadge sla={slaBadge(incident, now)} now={now} />
          </div>
        </li>
      ))}
    </ul>
  );
}

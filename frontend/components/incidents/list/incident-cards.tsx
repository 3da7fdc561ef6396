'use client';

import { useTranslations } from 'next-intl';
import type { Incident } from '@desk/contracts';
import Link from 'next/link';
import { MajorBadge, PriorityBadge, SlaBadge, StatusBadge } from '@/components/badges';
import { Checkbox } from '@/components/ui/checkbox';
import { slaBadge } from '@/lib/sla';
import { cn } from '@/lib/utils';
import { rowDetails, type ListContext } from './incident-table';
import { Assignee } from './person';
import type { Selection } from './selection';
import { useFormat } from '@/lib/i18n/use-format';

/** The list on phones: one card per incident; a title of any length wraps inside the card. */
export function IncidentCards({ items, context, selection }: { items: Incident[]; context: ListContext; selection: Selection | null }) {
  const t = useTranslations('incidents.incidentCards');
  const format = useFormat();
  const { now, works } = context;
  return (
    <ul className="space-y-3 md:hidden">
      {items.map((incident) => {
        const checked = selection?.selected.has(incident.id) ?? false;
        return (
          <li key={incident.id} className="relative">
            {selection ? (
              // Beside the card's link, not inside it: a control within a link is neither valid nor reachable.
              <Checkbox
                checked={checked}
                onCheckedChange={(on) => selection.toggle(incident.id, on === true)}
                aria-label={t('select', { key: incident.key })}
                className="absolute top-4 left-4 z-10 size-5"
              />
            ) : null}
            <Link prefetch={false}
              href={`/incidents/${incident.key}`}
              className={cn('block min-w-0 rounded-xl border bg-card p-4 shadow-xs transition-colors hover:border-primary/40', selection && 'pl-12', checked && 'border-primary/50 bg-primary/5')}
              data-testid="incident-card"
            >
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono text-xs text-muted-foreground">{incident.key}</span>
                <span className="text-xs text-muted-foreground">{format.relativeTime(incident.updatedAt, now)}</span>
              </div>
              <div className="mt-1 line-clamp-3 font-medium [overflow-wrap:anywhere]">{incident.title}</div>
              <div className="mt-0.5 truncate text-xs text-muted-foreground">{rowDetails(incident, context)}</div>
              <div className="mt-3 flex flex-wrap gap-1.5">
                <StatusBadge status={incident.status} />
                <PriorityBadge priority={incident.priority} />
                <SlaBadge sla={slaBadge(incident, now)} now={now} />
                {incident.isMajor ? <MajorBadge /> : null}
              </div>
              {works ? (
                <div className="mt-2 text-xs">
                  <Assignee incident={incident} viewer={context.viewer} />
                </div>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

'use client';

import type { ReactNode } from 'react';
import type { IncidentPriority, IncidentStatus, TimelineEntry } from '@desk/contracts';
import { sentence } from '@/lib/form-errors';
import { PRIORITY_LABELS, STATUS_LABELS, dateTime, relativeTime } from '@/lib/format';
import { cn } from '@/lib/utils';
import type { NameOf } from './people';

function describeEntry(entry: TimelineEntry, nameOf: NameOf): { text: ReactNode; note?: string | undefined; tone?: 'danger' | 'note' } {
  const actor = sentence(nameOf(entry.actorId));
  const value = (entry.newValue ?? {}) as Record<string, unknown>;
  switch (entry.action) {
    case 'created':
      return { text: <>{actor} reported the incident</> };
    case 'status_changed': {
      const to = (typeof entry.newValue === 'string' ? entry.newValue : value.status) as IncidentStatus;
      return {
        text: (
          <>
            {actor} changed the status from <strong>{STATUS_LABELS[entry.oldValue as IncidentStatus] ?? String(entry.oldValue)}</strong> to <strong>{STATUS_LABELS[to] ?? String(to)}</strong>
          </>
        ),
        note: typeof value.reason === 'string' ? value.reason : undefined,
      };
    }
    case 'priority_changed':
      return {
        text: (
          <>
            {actor} changed the priority from <strong>{PRIORITY_LABELS[entry.oldValue as IncidentPriority] ?? String(entry.oldValue)}</strong> to{' '}
            <strong>{PRIORITY_LABELS[entry.newValue as IncidentPriority] ?? String(entry.newValue)}</strong>
          </>
        ),
      };
    case 'assigned':
      return {
        text: entry.newValue && entry.newValue === entry.actorId ? (
          <>{actor} took it on</>
        ) : entry.newValue ? (
          <>
            {actor} assigned it to <strong>{nameOf(entry.newValue as string)}</strong>
          </>
        ) : (
          <>{actor} removed the assignee</>
        ),
      };
    case 'updated':
      return { text: <>{actor} edited the {Object.keys(value).join(' and ') || 'incident'}</> };
    case 'commented':
      return value.isInternal ? { text: <>{actor} added an internal note</>, tone: 'note' } : { text: <>{actor} commented</> };
    case 'sla_breached':
      return { text: <>The {value.target === 'resolution' ? 'resolution' : 'response'} target was missed</>, tone: 'danger' };
    default:
      return { text: <>{actor} changed the incident</> };
  }
}

/** One change in the incident's history, as a line in the conversation. */
export function TimelineItem({ entry, nameOf, now }: { entry: TimelineEntry; nameOf: NameOf; now: number }) {
  const { text, note, tone } = describeEntry(entry, nameOf);
  return (
    <li className="relative flex gap-3 px-4 py-2.5 sm:px-6" data-testid="timeline-entry">
      <span className="flex w-8 shrink-0 justify-center pt-1.5" aria-hidden>
        <span
          className={cn(
            'size-2.5 rounded-full',
            tone === 'danger' ? 'bg-red-500' : tone === 'note' ? 'bg-amber-500' : entry.action === 'status_changed' ? 'bg-primary' : 'bg-slate-300 dark:bg-slate-600',
          )}
        />
      </span>
      <div className="min-w-0 flex-1 text-sm text-muted-foreground">
        <span className="text-foreground [overflow-wrap:anywhere]">{text}</span>
        <span className="ml-2 text-xs" title={dateTime(entry.createdAt)}>
          {relativeTime(entry.createdAt, now)}
        </span>
        {note ? <div className="mt-1 rounded-md bg-muted px-3 py-2 whitespace-pre-wrap [overflow-wrap:anywhere]">“{note}”</div> : null}
      </div>
    </li>
  );
}

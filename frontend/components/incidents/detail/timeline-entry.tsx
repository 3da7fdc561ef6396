'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import type { IncidentLevel, IncidentPriority, IncidentStatus, TimelineEntry } from '@desk/contracts';
import { sentence } from '@/lib/form-errors';
import { PRIORITY_LABELS, STATUS_LABELS, dateTime, relativeTime } from '@/lib/format';
import { cn } from '@/lib/utils';
import type { NameOf } from './people';

/** A value of a timeline entry as words (numbers too); nothing for anything else. */
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

const LEVEL_LABELS: Record<IncidentLevel, string> = { LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };
/** How a link reads from the incident whose timeline it is in: "marked it … INC-42". */
const LINK_SENTENCES: Record<string, string> = {
  related: 'related to',
  duplicate_of: 'a duplicate of',
  duplicated_by: 'the original of',
  parent_of: 'the parent of',
  child_of: 'a child of',
};
const RULE_LABELS: Record<string, string> = { round_robin: 'round robin', least_loaded: 'least loaded', default_assignee: 'the default assignee', escalation: 'the escalation rule' };

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
    case 'priority_changed': {
      // A plain priority; or { priority, reason } set by hand; or { priority, rule } by the matrix or an escalation.
      const to = (typeof entry.newValue === 'string' ? entry.newValue : value.priority) as IncidentPriority;
      const from = <strong>{PRIORITY_LABELS[entry.oldValue as IncidentPriority] ?? String(entry.oldValue)}</strong>;
      const toLabel = <strong>{PRIORITY_LABELS[to] ?? String(to)}</strong>;
      if (value.rule === 'matrix') {
        return { text: <>The priority became {toLabel} (was {from}) from impact {LEVEL_LABELS[value.impact as IncidentLevel]} × urgency {LEVEL_LABELS[value.urgency as IncidentLevel]}</> };
      }
      if (value.rule === 'escalation') return { text: <>The escalation rule “{text(value.ruleName)}” raised the priority from {from} to {toLabel}</>, tone: 'danger' };
      return { text: <>{actor} changed the priority from {from} to {toLabel}{typeof value.reason === 'string' ? ' by hand' : ''}</>, note: typeof value.reason === 'string' ? value.reason : undefined };
    }
    case 'rated': {
      const before = (entry.oldValue ?? {}) as Record<string, unknown>;
      return {
        text: (
          <>
            {actor} set impact <strong>{LEVEL_LABELS[value.impact as IncidentLevel]}</strong> and urgency <strong>{LEVEL_LABELS[value.urgency as IncidentLevel]}</strong>
            {before.impact ? <> (were {LEVEL_LABELS[before.impact as IncidentLevel]} and {LEVEL_LABELS[before.urgency as IncidentLevel]})</> : null}
          </>
        ),
      };
    }
    case 'sla_recalculated': {
      const calendar = (value.calendar ?? {}) as { name?: string };
      const due = typeof value.resolutionDueAt === 'string' ? value.resolutionDueAt : typeof value.responseDueAt === 'string' ? value.responseDueAt : null;
      return { text: <>The SLA was counted again on the calendar <strong>{calendar.name ?? 'of the department'}</strong>{due ? <>; now due {dateTime(due)}</> : null}</> };
    }
    case 'waiting_started':
      return { text: <>{actor} asked the reporter; the resolution clock is paused until they answer</>, note: typeof value.message === 'string' ? value.message : undefined };
    case 'waiting_ended':
      return {
        text:
          value.reason === 'replied' ? <>The reporter replied; the resolution clock runs again</>
          : value.reason === 'expired' ? <>No reply came in time; the incident was resolved</>
          : value.reason === 'status_changed' ? <>Waiting on the reporter ended with the status change</>
          : <>{actor} stopped waiting on the reporter; the resolution clock runs again</>,
      };
    case 'escalated':
      return {
        text: <>Escalated by the rule “{text(value.ruleName)}”{Number(value.thresholdPercent) >= 100 ? ` as the ${text(value.target)} target was missed` : ` at ${text(value.thresholdPercent)} % of the ${text(value.target)} time`}</>,
        tone: 'danger',
      };
    case 'assigned': {
      // By the platform: { assigneeId, rule, categoryName, reason?, skipped? }.
      if (entry.actorId === null && typeof entry.newValue === 'object' && entry.newValue !== null) {
        const rule = RULE_LABELS[text(value.rule)] ?? text(value.rule);
        if (!value.assigneeId) {
          return { text: <>No one could take it by {rule}{value.categoryName ? ` (${text(value.categoryName)})` : ''}: {text(value.skipped) || text(value.reason) || 'nobody available'}</> };
        }
        return {
          text: <>Assigned to <strong>{nameOf(value.assigneeId as string)}</strong> by {rule}{value.ruleName ? ` “${text(value.ruleName)}”` : value.categoryName ? ` (${text(value.categoryName)})` : ''}</>,
          note: typeof value.reason === 'string' ? `Because ${value.reason}.` : undefined,
        };
      }
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
    }
    case 'updated':
      return { text: <>{actor} edited the {Object.keys(value).join(' and ') || 'incident'}</> };
    case 'commented':
      return value.isInternal ? { text: <>{actor} added an internal note</>, tone: 'note' } : { text: <>{actor} commented</> };
    case 'sla_breached':
      return { text: <>The {value.target === 'resolution' ? 'resolution' : 'response'} target was missed</>, tone: 'danger' };
    case 'attachment_added':
      return { text: <>{actor} attached {text(value.fileName)}{value.isInternal ? ' (internal)' : ''}</>, ...(value.isInternal ? { tone: 'note' as const } : {}) };
    case 'attachment_removed': {
      const removed = (entry.oldValue ?? {}) as Record<string, unknown>;
      return value.reason === 'infected'
        ? { text: <>{text(removed.fileName)} was removed: the malware scanner found {text(value.signature) || 'something'} in it</>, tone: 'danger' }
        : { text: <>{actor} deleted the file {text(removed.fileName)}</> };
    }
    case 'watcher_added': {
      const watcher = text(value.userId);
      return { text: watcher === entry.actorId ? <>{actor} started watching</> : <>{actor} added <strong>{nameOf(watcher)}</strong> as a watcher</> };
    }
    case 'watcher_removed': {
      const watcher = text(value.userId);
      return { text: watcher === entry.actorId ? <>{actor} stopped watching</> : <>{actor} removed <strong>{nameOf(watcher)}</strong> from the watchers</> };
    }
    case 'linked':
    case 'unlinked': {
      const link = ((entry.action === 'linked' ? entry.newValue : entry.oldValue) ?? {}) as Record<string, unknown>;
      const key = <Link href={`/incidents/${text(link.key)}`} className="font-medium text-primary hover:underline">{text(link.key)}</Link>;
      const as = LINK_SENTENCES[text(link.type)] ?? 'related to';
      return { text: entry.action === 'linked' ? <>{actor} marked it {as} {key}</> : <>{actor} removed the link to {key} ({as})</> };
    }
    case 'major_declared':
      return { text: <>{actor} declared a <strong>major incident</strong></>, note: text(value.summary) || undefined, tone: 'danger' };
    case 'major_update_posted':
      return { text: <>{actor} posted a status update to everyone affected</>, note: text(value.message) || undefined };
    case 'review_written':
      return { text: <>{actor} wrote the post-incident review</> };
    case 'satisfaction_rated':
      return {
        text: entry.oldValue ? <>{actor} changed their rating to <strong>{text(value.rating)} of 5</strong></> : <>{actor} rated it <strong>{text(value.rating)} of 5</strong></>,
        note: text(value.comment) || undefined,
      };
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

'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import type { IncidentLevel, IncidentPriority, IncidentStatus, TimelineEntry } from '@desk/contracts';
import { sentence } from '@/lib/form-errors';
import { cn } from '@/lib/utils';
import type { NameOf } from './people';
import { useFormat, useLabels, type Format, type Labels } from '@/lib/i18n/use-format';
import type { Words } from '@/lib/i18n/words';

/** A value of a timeline entry as words (numbers too); nothing for anything else. */
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

const LINK_TYPES = ['related', 'duplicate_of', 'duplicated_by', 'parent_of', 'child_of'] as const;
const RULES = ['round_robin', 'least_loaded', 'default_assignee', 'escalation'] as const;
const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;

interface EntryWords {
  t: Words<'incidents'>;
  labels: Labels;
  format: Format;
}

function describeEntry(entry: TimelineEntry, nameOf: NameOf, viewerId: string, { t, labels, format }: EntryWords): { text: ReactNode; note?: string | undefined; tone?: 'danger' | 'note' } {
  // Sentences about the viewer say "you" ("Sie haben…"): the catalogue chooses by `self`.
  const who = { self: String(entry.actorId !== null && entry.actorId === viewerId), actor: sentence(nameOf(entry.actorId)) };
  const value = (entry.newValue ?? {}) as Record<string, unknown>;
  const status = (of: unknown) => (typeof of === 'string' && of in STATUS_KEYS ? labels.status(of as IncidentStatus) : String(of));
  const priority = (of: unknown) => (typeof of === 'string' && of in PRIORITY_KEYS ? labels.priority(of as IncidentPriority) : String(of));
  const level = (of: unknown) => (typeof of === 'string' && of in LEVEL_KEYS ? labels.level(of as IncidentLevel) : String(of));
  const reason = typeof value.reason === 'string' ? value.reason : undefined;
  switch (entry.action) {
    case 'created':
      return { text: t('timeline.created', who) };
    case 'status_changed': {
      const to = typeof entry.newValue === 'string' ? entry.newValue : value.status;
      return { text: t.rich('timeline.statusChanged', { ...who, from: status(entry.oldValue), to: status(to), strong }), note: reason };
    }
    case 'priority_changed': {
      // A plain priority; or { priority, reason } set by hand; or { priority, rule } by the matrix or an escalation.
      const to = typeof entry.newValue === 'string' ? entry.newValue : value.priority;
      const change = { from: priority(entry.oldValue), to: priority(to), strong };
      if (value.rule === 'matrix') return { text: t.rich('timeline.priorityByMatrix', { ...change, impact: level(value.impact), urgency: level(value.urgency) }) };
      if (value.rule === 'escalation') return { text: t.rich('timeline.priorityByEscalation', { ...change, rule: text(value.ruleName) }), tone: 'danger' };
      return { text: t.rich('timeline.priorityChanged', { ...who, ...change, byHand: String(reason !== undefined) }), note: reason };
    }
    case 'rated': {
      const before = (entry.oldValue ?? {}) as Record<string, unknown>;
      const now = { ...who, impact: level(value.impact), urgency: level(value.urgency), strong };
      return { text: before.impact ? t.rich('timeline.ratedAgain', { ...now, impactBefore: level(before.impact), urgencyBefore: level(before.urgency) }) : t.rich('timeline.rated', now) };
    }
    case 'sla_recalculated': {
      const calendar = (value.calendar ?? {}) as { name?: string };
      const due = typeof value.resolutionDueAt === 'string' ? value.resolutionDueAt : typeof value.responseDueAt === 'string' ? value.responseDueAt : null;
      const name = calendar.name ?? t('timeline.departmentCalendar');
      return { text: due ? t.rich('timeline.slaRecalculatedDue', { calendar: name, due: format.dateTime(due), strong }) : t.rich('timeline.slaRecalculated', { calendar: name, strong }) };
    }
    case 'waiting_started':
      return { text: t('timeline.waitingStarted', who), note: typeof value.message === 'string' ? value.message : undefined };
    case 'waiting_ended':
      return {
        text:
          value.reason === 'replied' ? t('timeline.waitingReplied')
          : value.reason === 'expired' ? t('timeline.waitingExpired')
          : value.reason === 'status_changed' ? t('timeline.waitingStatusChanged')
          : t('timeline.waitingStopped', who),
      };
    case 'escalated':
      return {
        text: t(Number(value.thresholdPercent) >= 100 ? 'timeline.escalatedMissed' : 'timeline.escalatedAt', {
          rule: text(value.ruleName),
          target: value.target === 'response' ? 'response' : 'resolution',
          percent: format.number(Number(value.thresholdPercent) / 100, { style: 'percent' }),
        }),
        tone: 'danger',
      };
    case 'assigned': {
      // By the platform: { assigneeId, rule, categoryName, reason?, skipped? }.
      if (entry.actorId === null && typeof entry.newValue === 'object' && entry.newValue !== null) {
        const ruleKey = (RULES as readonly string[]).includes(text(value.rule)) ? (text(value.rule) as (typeof RULES)[number]) : null;
        const rule = ruleKey ? t(`timeline.rule.${ruleKey}`) : text(value.rule);
        const detail = value.ruleName ? `“${text(value.ruleName)}”` : value.categoryName ? `(${text(value.categoryName)})` : '';
        if (!value.assigneeId) {
          return { text: t('timeline.assignNobody', { rule, category: value.categoryName ? `(${text(value.categoryName)})` : '', why: text(value.skipped) || text(value.reason) || t('timeline.nobodyAvailable') }) };
        }
        return { text: t.rich('timeline.assignedByRule', { name: nameOf(value.assigneeId as string), rule, detail, strong }), note: reason ? t('timeline.because', { reason }) : undefined };
      }
      if (entry.newValue && entry.newValue === entry.actorId) return { text: t('timeline.tookItOn', who) };
      if (entry.newValue) return { text: t.rich('timeline.assignedTo', { ...who, name: nameOf(entry.newValue as string), strong }) };
      return { text: t('timeline.unassigned', who) };
    }
    case 'updated': {
      const fields = Object.keys(value);
      return { text: t('timeline.edited', { ...who, fields: fields.includes('title') && fields.includes('description') ? 'both' : fields.includes('title') ? 'title' : fields.includes('description') ? 'description' : 'other' }) };
    }
    case 'commented':
      return value.isInternal ? { text: t('timeline.internalNote', who), tone: 'note' } : { text: t('timeline.commented', who) };
    case 'sla_breached':
      return { text: t('timeline.slaBreached', { target: value.target === 'resolution' ? 'resolution' : 'response' }), tone: 'danger' };
    case 'attachment_added':
      return { text: t('timeline.attached', { ...who, file: text(value.fileName), internal: String(Boolean(value.isInternal)) }), ...(value.isInternal ? { tone: 'note' as const } : {}) };
    case 'attachment_removed': {
      const removed = (entry.oldValue ?? {}) as Record<string, unknown>;
      return value.reason === 'infected'
        ? { text: t('timeline.infected', { file: text(removed.fileName), signature: text(value.signature) || t('timeline.something') }), tone: 'danger' }
        : { text: t('timeline.fileDeleted', { ...who, file: text(removed.fileName) }) };
    }
    case 'watcher_added': {
      const watcher = text(value.userId);
      return { text: watcher === entry.actorId ? t('timeline.startedWatching', who) : t.rich('timeline.addedWatcher', { ...who, name: nameOf(watcher), strong }) };
    }
    case 'watcher_removed': {
      const watcher = text(value.userId);
      return { text: watcher === entry.actorId ? t('timeline.stoppedWatching', who) : t.rich('timeline.removedWatcher', { ...who, name: nameOf(watcher), strong }) };
    }
    case 'linked':
    case 'unlinked': {
      const link = ((entry.action === 'linked' ? entry.newValue : entry.oldValue) ?? {}) as Record<string, unknown>;
      const type = (LINK_TYPES as readonly string[]).includes(text(link.type)) ? (text(link.type) as (typeof LINK_TYPES)[number]) : 'related';
      const key = () => (
        <Link href={`/incidents/${text(link.key)}`} className="font-medium text-primary hover:underline">
          {text(link.key)}
        </Link>
      );
      return { text: t.rich(entry.action === 'linked' ? 'timeline.linked' : 'timeline.unlinked', { ...who, as: t(`timeline.linkAs.${type}`), key: text(link.key), link: key }) };
    }
    case 'major_declared':
      return { text: t.rich('timeline.majorDeclared', { ...who, strong }), note: text(value.summary) || undefined, tone: 'danger' };
    case 'major_update_posted':
      return { text: t('timeline.majorUpdate', who), note: text(value.message) || undefined };
    case 'review_written':
      return { text: t('timeline.reviewWritten', who) };
    case 'satisfaction_rated':
      return { text: t.rich(entry.oldValue ? 'timeline.ratingChanged' : 'timeline.ratingGiven', { ...who, rating: Number(value.rating), strong }), note: text(value.comment) || undefined };
    default:
      return { text: t('timeline.changed', who) };
  }
}

const STATUS_KEYS: Record<IncidentStatus, true> = { OPEN: true, IN_PROGRESS: true, RESOLVED: true, CLOSED: true, CANCELLED: true };
const PRIORITY_KEYS: Record<IncidentPriority, true> = { LOW: true, MEDIUM: true, HIGH: true, CRITICAL: true };
const LEVEL_KEYS: Record<IncidentLevel, true> = { LOW: true, MEDIUM: true, HIGH: true };

/** One change in the incident's history, as a line in the conversation. */
export function TimelineItem({ entry, nameOf, viewerId, now }: { entry: TimelineEntry; nameOf: NameOf; viewerId: string; now: number }) {
  const format = useFormat();
  const labels = useLabels();
  const t = useTranslations('incidents');
  const { text, note, tone } = describeEntry(entry, nameOf, viewerId, { t, labels, format });
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
        <span className="ml-2 text-xs" title={format.dateTime(entry.createdAt)}>
          {format.relativeTime(entry.createdAt, now)}
        </span>
        {note ? <div className="mt-1 rounded-md bg-muted px-3 py-2 whitespace-pre-wrap [overflow-wrap:anywhere]">{t('timeline.quoted', { note })}</div> : null}
      </div>
    </li>
  );
}

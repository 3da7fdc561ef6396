import { useTranslations } from 'next-intl';
import type { IncidentPriority, IncidentStatus } from '@desk/contracts';
import { AlertTriangle, ArrowDown, ArrowUp, CheckCircle2, ChevronsUp, Clock, Minus, PauseCircle, Siren } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import type { SlaBadge as SlaBadgeState } from '@/lib/sla';
import { cn } from '@/lib/utils';
import { useFormat, useLabels } from '@/lib/i18n/use-format';

const STATUS_STYLES: Record<IncidentStatus, string> = {
  OPEN: 'bg-sky-50 text-sky-700 border-sky-200 dark:bg-sky-950/60 dark:text-sky-300 dark:border-sky-800',
  IN_PROGRESS: 'bg-amber-50 text-amber-800 border-amber-200 dark:bg-amber-950/60 dark:text-amber-300 dark:border-amber-800',
  RESOLVED: 'bg-emerald-50 text-emerald-700 border-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-300 dark:border-emerald-800',
  CLOSED: 'bg-slate-100 text-slate-600 border-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:border-slate-700',
  CANCELLED: 'bg-slate-50 text-slate-500 border-slate-200 line-through decoration-slate-400/60 dark:bg-slate-900 dark:text-slate-400 dark:border-slate-700',
};

const STATUS_DOTS: Record<IncidentStatus, string> = {
  OPEN: 'bg-sky-500',
  IN_PROGRESS: 'bg-amber-500',
  RESOLVED: 'bg-emerald-500',
  CLOSED: 'bg-slate-400',
  CANCELLED: 'bg-slate-300',
};

export function StatusBadge({ status, className }: { status: IncidentStatus; className?: string }) {
  const labels = useLabels();
  return (
    <Badge variant="outline" className={cn('gap-1.5 font-medium', STATUS_STYLES[status], className)} data-status={status}>
      <span className={cn('size-1.5 rounded-full', STATUS_DOTS[status])} aria-hidden />
      {labels.status(status)}
    </Badge>
  );
}

const PRIORITY_STYLES: Record<IncidentPriority, string> = {
  LOW: 'text-slate-600 border-slate-200 bg-white dark:bg-transparent dark:text-slate-300 dark:border-slate-700',
  MEDIUM: 'text-blue-700 border-blue-200 bg-blue-50 dark:bg-blue-950/60 dark:text-blue-300 dark:border-blue-800',
  HIGH: 'text-orange-700 border-orange-200 bg-orange-50 dark:bg-orange-950/60 dark:text-orange-300 dark:border-orange-800',
  CRITICAL: 'text-white border-red-600 bg-red-600',
};

const PRIORITY_ICONS = { LOW: ArrowDown, MEDIUM: Minus, HIGH: ArrowUp, CRITICAL: ChevronsUp } as const;

export function PriorityBadge({ priority, className }: { priority: IncidentPriority; className?: string }) {
  const labels = useLabels();
  const Icon = PRIORITY_ICONS[priority];
  return (
    <Badge variant="outline" className={cn('gap-1', PRIORITY_STYLES[priority], className)}>
      <Icon aria-hidden />
      {labels.priority(priority)}
    </Badge>
  );
}

export function SlaBadge({ sla, now, className }: { sla: SlaBadgeState; now: number; className?: string }) {
  const t = useTranslations('shell.badges');
  const format = useFormat();
  if (sla.tone === 'none') return null;
  const target = t(sla.target === 'response' ? 'response' : 'resolution');
  if (sla.tone === 'breached') {
    return (
      <Badge variant="outline" className={cn('gap-1 border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300', className)} title={sla.dueAt ? t('wasDue', { target, relativeTime: format.relativeTime(sla.dueAt, now) }) : undefined}>
        <AlertTriangle aria-hidden />
        {t('slaBreached')}
      </Badge>
    );
  }
  if (sla.tone === 'waiting') {
    return (
      <Badge variant="outline" className={cn('gap-1 border-violet-200 bg-violet-50 text-violet-700 dark:border-violet-800 dark:bg-violet-950/60 dark:text-violet-300', className)} title={t('theResolutionClockIs')}>
        <PauseCircle aria-hidden />
        {t('waitingOnReporter')}
      </Badge>
    );
  }
  if (sla.tone === 'met') {
    return (
      <Badge variant="outline" className={cn('gap-1 border-emerald-200 bg-white text-emerald-700 dark:border-emerald-800 dark:bg-transparent dark:text-emerald-300', className)}>
        <CheckCircle2 aria-hidden />
        {t('slaMet')}
      </Badge>
    );
  }
  return (
    <Badge
      variant="outline"
      className={cn('gap-1', sla.tone === 'due-soon' ? 'border-amber-300 bg-amber-50 text-amber-800 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300' : 'border-slate-200 bg-white text-slate-600 dark:border-slate-700 dark:bg-transparent dark:text-slate-300', className)}
      title={t('target', { target })}
    >
      <Clock aria-hidden />
      {sla.dueAt ? t('dueWhen', { target, when: format.relativeTime(sla.dueAt, now) }) : t('due', { target })}
    </Badge>
  );
}

/** A major incident: one that stands for many. */
export function MajorBadge({ className }: { className?: string }) {
  const t = useTranslations('shell.badges');
  return (
    <Badge variant="outline" className={cn('gap-1 border-red-300 bg-red-50 font-medium text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200', className)} data-testid="major-badge">
      <Siren aria-hidden />{' '}{t('majorIncident')}
    </Badge>
  );
}

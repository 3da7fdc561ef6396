'use client';

import { useTranslations } from 'next-intl';
import { AlertTriangle, CheckCircle2 } from 'lucide-react';
import type { ReactNode } from 'react';
import type { Incident } from '@desk/contracts';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { DUE_SOON_MS } from '@/lib/sla';
import { cn } from '@/lib/utils';
import { useFormat } from '@/lib/i18n/use-format';

function SlaRow({ label, dueAt, metAt, breachedAt, paused = false, now }: { label: string; dueAt: string | null; metAt: string | null; breachedAt: string | null; paused?: boolean; now: number }) {
  const t = useTranslations('incidents.slaCard');
  const format = useFormat();
  let state: ReactNode;
  if (breachedAt) {
    state = (
      <span className="flex items-center gap-1 text-red-700 dark:text-red-400">
        <AlertTriangle className="size-3.5" />{' '}{metAt ? t('missedMet', { when: format.relativeTime(metAt, now) }) : t('missed')}
      </span>
    );
  } else if (metAt) {
    state = (
      <span className="flex items-center gap-1 text-emerald-700 dark:text-emerald-400">
        <CheckCircle2 className="size-3.5" />{' '}{t('met', { when: format.relativeTime(metAt, now) })}
      </span>
    );
  } else if (dueAt) {
    const overdue = Date.parse(dueAt) <= now;
    state = <span className={cn(overdue ? 'text-red-700 dark:text-red-400' : Date.parse(dueAt) - now < DUE_SOON_MS ? 'text-amber-700 dark:text-amber-400' : 'text-foreground')}>{t('due', { when: format.relativeTime(dueAt, now) })}</span>;
  } else if (paused) {
    state = <span className="text-violet-700 dark:text-violet-300">{t('pausedWaitingOnThe')}</span>;
  } else {
    state = <span className="text-muted-foreground">{t('noTarget')}</span>;
  }
  return (
    <div className="py-2 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-x-2">
        <span className="text-muted-foreground">{label}</span>
        {state}
      </div>
      {dueAt ? <div className="mt-0.5 text-right text-xs text-muted-foreground">{t('target', { when: format.dateTime(dueAt) })}</div> : null}
    </div>
  );
}

/** The two targets: first response and resolution, each due, met, missed, or (resolution) paused while waiting on the reporter. Counted in the department's working hours. */
export function SlaCard({ incident, now }: { incident: Incident; now: number }) {
  const t = useTranslations('incidents.slaCard');
  const cancelled = incident.status === 'CANCELLED';
  return (
    <Card className="gap-2">
      <CardHeader>
        <CardTitle>{t('serviceLevel')}</CardTitle>
      </CardHeader>
      <CardContent className="divide-y">
        {cancelled ? (
          <p className="py-2 text-sm text-muted-foreground">{t('cancelledNoTargetsApply')}</p>
        ) : (
          <>
            <SlaRow label={t('firstResponse')} dueAt={incident.responseDueAt} metAt={incident.respondedAt} breachedAt={incident.responseBreachedAt} now={now} />
            <SlaRow label={t('resolution')} dueAt={incident.resolutionDueAt} metAt={incident.resolvedAt} breachedAt={incident.resolutionBreachedAt} paused={Boolean(incident.waiting)} now={now} />
          </>
        )}
      </CardContent>
    </Card>
  );
}

'use client';

import { FileJson, Loader2, RotateCcw, Trash2 } from 'lucide-react';
import Link from 'next/link';
import type { ParkedEventStatus, ParkedEventView } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useTranslations } from 'next-intl';
import { useEventLabels } from './helpers';
import { useFormat } from '@/lib/i18n/use-format';

/** Parked events in one status: what each is, why it failed, and showing, replaying or discarding it. */
export function ParkedEventsTable({
  events,
  status,
  now,
  replayingId,
  onView,
  onReplay,
  onDiscard,
}: {
  events: ParkedEventView[];
  status: ParkedEventStatus;
  now: number;
  /** The event whose replay is under way, if any. */
  replayingId: string | undefined;
  onView: (event: ParkedEventView) => void;
  onReplay: (event: ParkedEventView) => void;
  onDiscard: (event: ParkedEventView) => void;
}) {
  const t = useTranslations('integrations.events');
  const labels = useEventLabels();
  const format = useFormat();
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-4">{t('table.event')}</TableHead>
          <TableHead className="hidden md:table-cell">{t('table.why')}</TableHead>
          <TableHead className="hidden sm:table-cell">{status === 'parked' ? t('table.parked') : labels.status(status)}</TableHead>
          <TableHead className="pr-4 text-right">
            <span className="sr-only">{t('table.actions')}</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((event) => (
          <TableRow key={event.id}>
            <TableCell className="max-w-[14rem] pl-4 align-top whitespace-normal sm:max-w-xs">
              <div className="font-medium break-all">{event.eventType ?? t('unreadable')}</div>
              <div className="text-xs text-muted-foreground">
                {labels.consumer(event.consumer)}
                {event.subject && event.eventType?.startsWith('incident.') ? (
                  <>
                    {' · '}
                    <Link prefetch={false} href={`/incidents/${event.subject}`} className="hover:text-primary">
                      {t('table.incident')}
                    </Link>
                  </>
                ) : null}
              </div>
              <p className="mt-1 text-xs break-words text-destructive md:hidden">{event.reason}</p>
            </TableCell>
            <TableCell className="hidden max-w-md align-top whitespace-normal md:table-cell">
              <p className="text-sm break-words text-destructive">{event.reason}</p>
              <p className="mt-1 text-xs text-muted-foreground">
                {t('table.attempts', { count: event.attempts, firstFailed: format.relativeTime(event.firstFailedAt, now) })}
                {event.discardReason ? ` · ${t('table.discardedBecause', { reason: event.discardReason })}` : ''}
              </p>
            </TableCell>
            <TableCell className="hidden align-top text-muted-foreground sm:table-cell" title={format.dateTime(event.resolvedAt ?? event.parkedAt)}>
              {format.relativeTime(event.resolvedAt ?? event.parkedAt, now)}
            </TableCell>
            <TableCell className="pr-4 text-right align-top">
              <div className="flex justify-end gap-1">
                <Button variant="ghost" size="icon" aria-label={t('table.show')} title={t('table.show')} onClick={() => onView(event)}>
                  <FileJson />
                </Button>
                {event.status === 'parked' ? (
                  <>
                    <Button variant="outline" size="sm" onClick={() => onReplay(event)} disabled={replayingId === event.id} aria-label={event.eventType ? t('table.replayType', { type: event.eventType }) : t('table.replayUnknown')}>
                      {replayingId === event.id ? <Loader2 className="animate-spin" /> : <RotateCcw />}
                      <span className="hidden sm:inline">{t('table.replay')}</span>
                    </Button>
                    <Button variant="ghost" size="icon" aria-label={t('table.discard')} title={t('table.discard')} onClick={() => onDiscard(event)}>
                      <Trash2 />
                    </Button>
                  </>
                ) : null}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

'use client';

import type { ParkedEventView } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { useParkedEvent } from '@/lib/queries';
import { useTranslations } from 'next-intl';
import { useEventLabels } from './helpers';
import { useFormat } from '@/lib/i18n/use-format';

/** One parked event: for whom, when and why it failed, and the event itself. */
export function EventDialog({ event, onClose }: { event: ParkedEventView; onClose: () => void }) {
  const t = useTranslations('integrations.events');
  const labels = useEventLabels();
  const format = useFormat();
  const detail = useParkedEvent(event.id);
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{event.eventType ?? t('unreadable')}</DialogTitle>
          <DialogDescription>
            {t('dialog.history', {
              consumer: labels.consumer(event.consumer),
              firstFailed: format.dateTime(event.firstFailedAt),
              parked: format.dateTime(event.parkedAt),
              attempts: event.attempts,
            })}
            {event.resolvedBy ? ` ${t('dialog.resolved', { status: labels.status(event.status), at: event.resolvedAt ? format.dateTime(event.resolvedAt) : '' })}` : ''}
          </DialogDescription>
        </DialogHeader>
        <p className="text-sm break-words text-destructive">{event.reason}</p>
        <QueryStates query={detail}>
          {(data) => <pre className="max-h-96 overflow-auto rounded-md bg-muted p-3 text-xs">{JSON.stringify(data.event, null, 2)}</pre>}
        </QueryStates>
      </DialogContent>
    </Dialog>
  );
}

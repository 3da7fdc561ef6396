'use client';

import { Loader2, RotateCcw } from 'lucide-react';
import type { EventConsumer } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { useTranslations } from 'next-intl';
import { useEventLabels } from './helpers';

/** Asks before replaying every waiting event, of one service or all, and says what becomes of them. */
export function ReplayAllDialog({
  consumer,
  waiting,
  pending,
  onConfirm,
  onClose,
}: {
  consumer: EventConsumer | 'all';
  /** How many events wait, as the list last counted them. */
  waiting: number;
  pending: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useTranslations('integrations.events.replayAll');
  const labels = useEventLabels();
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{consumer === 'all' ? t('titleAll') : t('titleOne', { consumer: labels.consumer(consumer) })}</DialogTitle>
          <DialogDescription>
            {consumer === 'all' ? t('descriptionAll', { count: waiting }) : t('descriptionOne', { count: waiting, consumer: labels.consumer(consumer) })}
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t('cancel')}
          </Button>
          <Button onClick={onConfirm} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" /> : <RotateCcw />} {t('confirm')}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

'use client';

import { Loader2, RotateCcw } from 'lucide-react';
import type { EventConsumer } from '@desk/contracts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { CONSUMER_LABELS } from './helpers';

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
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Replay {consumer === 'all' ? 'every waiting event' : `every waiting event of ${CONSUMER_LABELS[consumer]}`}?</DialogTitle>
          <DialogDescription>
            {waiting === 1 ? 'One event goes' : `${waiting} events go`} back to {consumer === 'all' ? 'the services that could not handle them' : CONSUMER_LABELS[consumer]}. If the cause is not fixed yet they fail
            again and, after their retries, wait here once more.
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={onConfirm} disabled={pending}>
            {pending ? <Loader2 className="animate-spin" /> : <RotateCcw />} Replay
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

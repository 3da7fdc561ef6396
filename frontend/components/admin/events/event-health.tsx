'use client';

import { RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { EVENT_CONSUMERS, PARKED_EVENT_STATUSES, type EventConsumer, type ParkedEventStatus, type ParkedEventView } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useReplayAllParkedEvents, useReplayParkedEvent } from '@/lib/mutations/events';
import { useParkedEvents } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { ConsumerStates } from './consumer-states';
import { DiscardDialog } from './discard-dialog';
import { EventDialog } from './event-dialog';
import { useTranslations } from 'next-intl';
import { useEventLabels } from './helpers';
import { ParkedEventsTable } from './parked-events-table';
import { ReplayAllDialog } from './replay-all-dialog';
import { useErrorToast } from '@/lib/i18n/errors';

/**
 * Events a service could not handle after all its retries, or could never handle: what they
 * are, why they failed, and replay or discard. Replaying is safe: a service ignores an event it
 * has already handled.
 */
export function EventHealthTab() {
  const t = useTranslations('integrations.events');
  const labels = useEventLabels();
  const failed = useErrorToast();
  const now = useNow();
  const [status, setStatus] = useState<ParkedEventStatus>('parked');
  const [consumer, setConsumer] = useState<EventConsumer | 'all'>('all');
  const [discarding, setDiscarding] = useState<ParkedEventView | null>(null);
  const [viewing, setViewing] = useState<ParkedEventView | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const parked = useParkedEvents({ status, consumer });
  const replay = useReplayParkedEvent();
  const replayAll = useReplayAllParkedEvents();
  // Several events may be replayed at once, and each says how it went: mutate's own callbacks
  // would follow only the latest.
  const replayOne = (event: ParkedEventView) =>
    void replay.mutateAsync(event).then((replayed) => toast.success(t('replayed', { type: replayed.eventType ?? t('event'), consumer: labels.consumer(replayed.consumer) })), failed);
  const replayEveryOne = () =>
    replayAll.mutate(consumer, {
      onSuccess: (result) => {
        setConfirmAll(false);
        toast.success(t('replayingAll', { count: result.requested }), {
          description: result.unavailable.length > 0 ? t('notReached', { consumers: result.unavailable.map(labels.consumer).join(', ') }) : t('handedOver'),
        });
      },
      onError: failed,
    });

  const waiting = parked.data ? Object.values(parked.data.consumers).reduce((sum, state) => sum + state.waiting, 0) : 0;

  return (
    <div className="space-y-4">
      <ConsumerStates onPick={(picked) => setConsumer(picked)} />
      <Card className="py-0">
        <CardContent className="px-0">
          <div className="flex flex-col gap-3 border-b p-4 lg:flex-row lg:items-center">
            <p className="flex-1 text-sm text-muted-foreground">
              {t('intro')}
            </p>
            <div className="flex flex-wrap gap-2">
              <Select value={consumer} onValueChange={(value) => setConsumer(value as EventConsumer | 'all')}>
                <SelectTrigger className="w-40" aria-label={t('service')}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="all">{t('everyService')}</SelectItem>
                  {EVENT_CONSUMERS.map((value) => (
                    <SelectItem key={value} value={value}>
                      {labels.consumer(value)}
                      {parked.data?.consumers[value]?.waiting ? ` (${parked.data.consumers[value].waiting})` : ''}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <Select value={status} onValueChange={(value) => setStatus(value as ParkedEventStatus)}>
                <SelectTrigger className="w-40" aria-label={t('statusFilter')}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {PARKED_EVENT_STATUSES.map((value) => (
                    <SelectItem key={value} value={value}>
                      {labels.status(value)}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              {status === 'parked' ? (
                <Button onClick={() => setConfirmAll(true)} disabled={!parked.data || parked.data.items.length === 0}>
                  <RotateCcw /> {t('replayAll.button')}
                </Button>
              ) : null}
            </div>
          </div>
          {parked.data && parked.data.unavailable.length > 0 ? (
            <p className="border-b bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status">
              {t('unavailable', { consumers: parked.data.unavailable.map(labels.consumer).join(', ') })}
            </p>
          ) : null}
          <QueryStates query={parked}>
            {(data) =>
              data.items.length === 0 ? (
                <p className="p-8 text-center text-sm text-muted-foreground">
                  {status === 'parked' ? t('noneWaiting') : t(`none.${status}`)}
                </p>
              ) : (
                <ParkedEventsTable
                  events={data.items}
                  status={status}
                  now={now}
                  replayingId={replay.isPending ? replay.variables?.id : undefined}
                  onView={setViewing}
                  onReplay={replayOne}
                  onDiscard={setDiscarding}
                />
              )
            }
          </QueryStates>
        </CardContent>
      </Card>
      {confirmAll ? <ReplayAllDialog consumer={consumer} waiting={waiting} pending={replayAll.isPending} onConfirm={replayEveryOne} onClose={() => setConfirmAll(false)} /> : null}
      {discarding ? <DiscardDialog event={discarding} onClose={() => setDiscarding(null)} /> : null}
      {viewing ? <EventDialog event={viewing} onClose={() => setViewing(null)} /> : null}
    </div>
  );
}

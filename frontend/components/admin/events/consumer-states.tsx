'use client';

import { CircleAlert, CircleCheck, Loader2 } from 'lucide-react';
import { EVENT_CONSUMERS, type EventConsumer } from '@desk/contracts';
import { useTranslations } from 'next-intl';
import { useEventConsumerStates } from '@/lib/queries';
import { useEventLabels } from './helpers';

/** How each consuming service stands: its link to the broker and its events waiting. */
export function ConsumerStates({ onPick }: { onPick: (consumer: EventConsumer) => void }) {
  const t = useTranslations('integrations.events.consumers');
  const labels = useEventLabels();
  const summary = useEventConsumerStates();
  return (
    <ul className="grid gap-2 sm:grid-cols-3" aria-label={t('label')}>
      {EVENT_CONSUMERS.map((consumer) => {
        const state = summary.data?.consumers[consumer];
        const unavailable = summary.data?.unavailable.includes(consumer) ?? false;
        const connected = state?.eventBus.status === 'up';
        const status = summary.isPending
          ? t('checking')
          : !state
            ? unavailable
              ? t('notAnswering')
              : t('unknown')
            : !connected
              ? state.eventBus.detail
                ? t('notConnectedBecause', { detail: state.eventBus.detail })
                : t('notConnected')
              : t('receiving');
        return (
          <li key={consumer}>
            <button type="button" onClick={() => onPick(consumer)} className="flex w-full items-start gap-2 rounded-md border p-3 text-left text-sm hover:bg-muted/50">
              {summary.isPending ? (
                <Loader2 className="mt-0.5 size-4 shrink-0 animate-spin text-muted-foreground" />
              ) : state && connected ? (
                <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden />
              ) : (
                <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
              )}
              <div className="min-w-0 flex-1">
                <div className="flex items-center justify-between gap-2 font-medium">
                  {labels.consumer(consumer)}
                  {state ? (
                    <span className={state.waiting > 0 ? 'text-destructive' : 'text-muted-foreground'}>
                      {t('waiting', { count: state.waiting })}
                    </span>
                  ) : null}
                </div>
                <div className="truncate text-xs text-muted-foreground" title={status}>
                  {status}
                </div>
              </div>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

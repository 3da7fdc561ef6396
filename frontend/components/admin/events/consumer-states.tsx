'use client';

import { CircleAlert, CircleCheck, Loader2 } from 'lucide-react';
import { EVENT_CONSUMERS, type EventConsumer } from '@desk/contracts';
import { useEventConsumerStates } from '@/lib/queries';
import { CONSUMER_LABELS } from './helpers';

/** How each consuming service stands: its link to the broker and its events waiting. */
export function ConsumerStates({ onPick }: { onPick: (consumer: EventConsumer) => void }) {
  const summary = useEventConsumerStates();
  return (
    <ul className="grid gap-2 sm:grid-cols-3" aria-label="Event consumers">
      {EVENT_CONSUMERS.map((consumer) => {
        const state = summary.data?.consumers[consumer];
        const unavailable = summary.data?.unavailable.includes(consumer) ?? false;
        const connected = state?.eventBus.status === 'up';
        const status = summary.isPending
          ? 'Checking…'
          : !state
            ? unavailable
              ? 'Not answering'
              : 'Unknown'
            : !connected
              ? `Not connected to the broker${state.eventBus.detail ? `: ${state.eventBus.detail}` : ''}`
              : 'Receiving events';
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
                  {CONSUMER_LABELS[consumer]}
                  {state ? (
                    <span className={state.waiting > 0 ? 'text-destructive' : 'text-muted-foreground'}>
                      {state.waiting === 1 ? '1 waiting' : `${state.waiting} waiting`}
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

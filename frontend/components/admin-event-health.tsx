'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CircleAlert, CircleCheck, FileJson, Loader2, RotateCcw, Trash2 } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import {
  EVENT_CONSUMERS,
  PARKED_EVENT_STATUSES,
  discardParkedEventBodySchema,
  type DiscardParkedEventBody,
  type EventConsumer,
  type ParkedEventDetail,
  type ParkedEventList,
  type ParkedEventStatus,
  type ParkedEventView,
  type ReplayParkedEventsResult,
} from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Form, FormControl, FormField, FormItem, FormLabel, FormMessage } from '@/components/ui/form';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Textarea } from '@/components/ui/textarea';
import { describeError } from '@/lib/api-client';
import { dateTime, relativeTime } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import { useApi } from '@/lib/session';
import { useNow } from '@/lib/use-now';

const keys = {
  all: ['admin', 'parked-events'] as const,
  list: (status: ParkedEventStatus, consumer: EventConsumer | 'all') => ['admin', 'parked-events', status, consumer] as const,
  summary: ['admin', 'parked-events', 'summary'] as const,
};

const STATUS_LABELS: Record<ParkedEventStatus, string> = {
  parked: 'Waiting',
  replay_requested: 'Replay requested',
  replayed: 'Replayed',
  discarded: 'Discarded',
};

const CONSUMER_LABELS: Record<EventConsumer, string> = {
  'identity-service': 'Identity (audit trail)',
  'incident-service': 'Incidents',
  'notification-service': 'Notifications',
  'analytics-service': 'Analytics',
};

const consumerLabel = (consumer: string) => CONSUMER_LABELS[consumer as EventConsumer] ?? consumer;

function failed(error: unknown) {
  const { title, detail } = describeError(error);
  toast.error(title, { description: detail });
}

/** How each consuming service stands: its link to the broker and its events waiting. */
function ConsumerStates({ onPick }: { onPick: (consumer: EventConsumer) => void }) {
  const api = useApi();
  const summary = useQuery({
    queryKey: keys.summary,
    queryFn: ({ signal }) => api.json<ParkedEventList>('/admin/events/parked', { query: { limit: 1 }, signal }),
    refetchInterval: 10_000,
  });
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

/**
 * Events a service could not handle after all its retries, or could never handle: what they
 * are, why they failed, and replay or discard. Replaying is safe: a service ignores an event it
 * has already handled.
 */
export function EventHealthTab() {
  const api = useApi();
  const now = useNow();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<ParkedEventStatus>('parked');
  const [consumer, setConsumer] = useState<EventConsumer | 'all'>('all');
  const [discarding, setDiscarding] = useState<ParkedEventView | null>(null);
  const [viewing, setViewing] = useState<ParkedEventView | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);
  const parked = useQuery({
    queryKey: keys.list(status, consumer),
    queryFn: ({ signal }) =>
      api.json<ParkedEventList>('/admin/events/parked', { query: { status, consumer: consumer === 'all' ? undefined : consumer, limit: 200 }, signal }),
    refetchInterval: 10_000,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: keys.all });
  const replay = useMutation({
    mutationFn: (event: ParkedEventView) => api.json<ParkedEventView>(`/admin/events/parked/${event.id}/replay`, { method: 'POST' }),
    onSuccess: (event) => {
      refresh();
      toast.success(`${event.eventType ?? 'Event'} handed back to ${consumerLabel(event.consumer)}`);
    },
    onError: (error) => {
      refresh();
      failed(error);
    },
  });
  const replayAll = useMutation({
    mutationFn: () => api.json<ReplayParkedEventsResult>('/admin/events/parked/replay', { method: 'POST', body: consumer === 'all' ? {} : { consumer } }),
    onSuccess: (result) => {
      setConfirmAll(false);
      toast.success(result.requested === 1 ? '1 event is being replayed' : `${result.requested} events are being replayed`, {
        description: result.unavailable.length > 0 ? `Not reached: ${result.unavailable.map(consumerLabel).join(', ')}.` : 'They are handed over within a second.',
      });
      setTimeout(refresh, 1_500);
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
              Events a service could not handle after about three hours of retries, or could not read at all, wait here. Replaying is safe: a service ignores an
              event it has already handled.
            </p>
            <div className="flex flex-wrap gap-2">
              <Select value={consumer} onValueChange={(value) => setConsumer(value as EventConsumer | 'all')}>
                <SelectTrigger className="w-40" aria-label="Service">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="all">Every service</SelectItem>
                  {EVENT_CONSUMERS.map((value) => (
                    <SelectItem key={value} value={value}>
                      {CONSUMER_LABELS[value]}
                      {parked.data?.consumers[value]?.waiting ? ` (${parked.data.consumers[value].waiting})` : ''}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              <Select value={status} onValueChange={(value) => setStatus(value as ParkedEventStatus)}>
                <SelectTrigger className="w-40" aria-label="Status">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {PARKED_EVENT_STATUSES.map((value) => (
                    <SelectItem key={value} value={value}>
                      {STATUS_LABELS[value]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
              {status === 'parked' ? (
                <Button onClick={() => setConfirmAll(true)} disabled={!parked.data || parked.data.items.length === 0}>
                  <RotateCcw /> Replay all
                </Button>
              ) : null}
            </div>
          </div>
          {parked.data && parked.data.unavailable.length > 0 ? (
            <p className="border-b bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200" role="status">
              Not answering right now, so not listed: {parked.data.unavailable.map(consumerLabel).join(', ')}. Try again shortly.
            </p>
          ) : null}
          <QueryStates query={parked}>
            {(data) => {
              if (data.items.length === 0) {
                return (
                  <p className="p-8 text-center text-sm text-muted-foreground">
                    {status === 'parked' ? 'No events are waiting: every service has handled everything it was sent.' : `No ${STATUS_LABELS[status].toLowerCase()} events.`}
                  </p>
                );
              }
              return (
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">Event</TableHead>
                      <TableHead className="hidden md:table-cell">Why</TableHead>
                      <TableHead className="hidden sm:table-cell">{status === 'parked' ? 'Parked' : STATUS_LABELS[status]}</TableHead>
                      <TableHead className="pr-4 text-right">
                        <span className="sr-only">Actions</span>
                      </TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {data.items.map((event) => (
                      <TableRow key={event.id}>
                        <TableCell className="max-w-[14rem] pl-4 align-top whitespace-normal sm:max-w-xs">
                          <div className="font-medium break-all">{event.eventType ?? 'Unreadable event'}</div>
                          <div className="text-xs text-muted-foreground">
                            {consumerLabel(event.consumer)}
                            {event.subject && event.eventType?.startsWith('incident.') ? (
                              <>
                                {' · '}
                                <Link href={`/incidents/${event.subject}`} className="hover:text-primary">
                                  incident
                                </Link>
                              </>
                            ) : null}
                          </div>
                          <p className="mt-1 text-xs break-words text-destructive md:hidden">{event.reason}</p>
                        </TableCell>
                        <TableCell className="hidden max-w-md align-top whitespace-normal md:table-cell">
                          <p className="text-sm break-words text-destructive">{event.reason}</p>
                          <p className="mt-1 text-xs text-muted-foreground">
                            {event.attempts === 1 ? '1 attempt' : `${event.attempts} attempts`}, first failed {relativeTime(event.firstFailedAt, now)}
                            {event.discardReason ? ` · discarded: ${event.discardReason}` : ''}
                          </p>
                        </TableCell>
                        <TableCell className="hidden align-top text-muted-foreground sm:table-cell" title={dateTime(event.resolvedAt ?? event.parkedAt)}>
                          {relativeTime(event.resolvedAt ?? event.parkedAt, now)}
                        </TableCell>
                        <TableCell className="pr-4 text-right align-top">
                          <div className="flex justify-end gap-1">
                            <Button variant="ghost" size="icon" aria-label="Show the event" title="Show the event" onClick={() => setViewing(event)}>
                              <FileJson />
                            </Button>
                            {event.status === 'parked' ? (
                              <>
                                <Button
                                  variant="outline"
                                  size="sm"
                                  onClick={() => replay.mutate(event)}
                                  disabled={replay.isPending && replay.variables?.id === event.id}
                                  aria-label={`Replay ${event.eventType ?? 'event'}`}
                                >
                                  {replay.isPending && replay.variables?.id === event.id ? <Loader2 className="animate-spin" /> : <RotateCcw />}
                                  <span className="hidden sm:inline">Replay</span>
                                </Button>
                                <Button variant="ghost" size="icon" aria-label="Discard" title="Discard" onClick={() => setDiscarding(event)}>
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
            }}
          </QueryStates>
        </CardContent>
      </Card>
      {confirmAll ? (
        <Dialog open onOpenChange={(open) => !open && setConfirmAll(false)}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Replay {consumer === 'all' ? 'every waiting event' : `every waiting event of ${CONSUMER_LABELS[consumer]}`}?</DialogTitle>
              <DialogDescription>
                {waiting === 1 ? 'One event goes' : `${waiting} events go`} back to {consumer === 'all' ? 'the services that could not handle them' : CONSUMER_LABELS[consumer]}. If the cause is not fixed yet they fail
                again and, after their retries, wait here once more.
              </DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={() => setConfirmAll(false)}>
                Cancel
              </Button>
              <Button onClick={() => replayAll.mutate()} disabled={replayAll.isPending}>
                {replayAll.isPending ? <Loader2 className="animate-spin" /> : <RotateCcw />} Replay
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      ) : null}
      {discarding ? <DiscardDialog event={discarding} onClose={() => setDiscarding(null)} onDone={refresh} /> : null}
      {viewing ? <EventDialog event={viewing} onClose={() => setViewing(null)} /> : null}
    </div>
  );
}

function EventDialog({ event, onClose }: { event: ParkedEventView; onClose: () => void }) {
  const api = useApi();
  const detail = useQuery({
    queryKey: ['admin', 'parked-event', event.id],
    queryFn: ({ signal }) => api.json<ParkedEventDetail>(`/admin/events/parked/${event.id}`, { signal }),
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{event.eventType ?? 'Unreadable event'}</DialogTitle>
          <DialogDescription>
            For {consumerLabel(event.consumer)}, first failed {dateTime(event.firstFailedAt)}, parked {dateTime(event.parkedAt)} after{' '}
            {event.attempts === 1 ? '1 attempt' : `${event.attempts} attempts`}.
            {event.resolvedBy ? ` ${STATUS_LABELS[event.status]} ${event.resolvedAt ? dateTime(event.resolvedAt) : ''}.` : ''}
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

function DiscardDialog({ event, onClose, onDone }: { event: ParkedEventView; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const form = useForm<DiscardParkedEventBody>({ resolver: zodResolver(discardParkedEventBodySchema), defaultValues: { reason: '' } });
  const discard = useMutation({
    mutationFn: (body: DiscardParkedEventBody) => api.json<ParkedEventView>(`/admin/events/parked/${event.id}`, { method: 'DELETE', body }),
    onSuccess: () => {
      onDone();
      onClose();
      toast.success('Event discarded; the reason is kept with it');
    },
    onError: (error) => {
      const { byField, other } = mapFieldErrors(error, ['reason'] as const);
      if (byField.reason) form.setError('reason', { message: byField.reason });
      if (!byField.reason || other.length > 0) failed(error);
    },
  });
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Discard {event.eventType ?? 'this event'}?</DialogTitle>
          <DialogDescription>
            {consumerLabel(event.consumer)} will not handle it. It stays listed under Discarded with your reason.
          </DialogDescription>
        </DialogHeader>
        <Form {...form}>
          <form onSubmit={form.handleSubmit((values) => discard.mutate(values))} className="space-y-4" noValidate>
            <FormField
              control={form.control}
              name="reason"
              render={({ field }) => (
                <FormItem>
                  <FormLabel>Why</FormLabel>
                  <FormControl>
                    <Textarea {...field} rows={3} placeholder="The incident was merged into another one by hand." />
                  </FormControl>
                  <FormMessage />
                </FormItem>
              )}
            />
            <DialogFooter>
              <Button type="button" variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" variant="destructive" disabled={discard.isPending}>
                {discard.isPending ? <Loader2 className="animate-spin" /> : <Trash2 />} Discard
              </Button>
            </DialogFooter>
          </form>
        </Form>
      </DialogContent>
    </Dialog>
  );
}

'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ArrowLeft, ChevronDown, ChevronRight, KeyRound, Loader2, Pause, Pencil, Play, RotateCw, Trash2, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { WEBHOOK_DELIVERY_STATUSES, type Webhook, type WebhookDelivery, type WebhookDeliveryStatus, type WebhookWithSecret } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Checkbox } from '@/components/ui/checkbox';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { useDeleteWebhook, useRedeliver, useRotateWebhookSecret, useUpdateWebhook } from '@/lib/mutations/webhooks';
import { useWebhook, useWebhookDeliveries } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { LoadMore } from '../load-more';
import { WEBHOOK_EVENT_LABELS } from './event-types';
import { WebhookSecretShownOnce } from './secret-shown-once';
import { WebhookFormDialog } from './webhook-form-dialog';
import { DELIVERY_STATUS_LABELS, DeliveryStatusBadge, WebhookStatusBadge } from './webhook-status';
import { useFormat } from '@/lib/i18n/use-format';
import { useErrorToast } from '@/lib/i18n/errors';

/** One endpoint: its settings, its state, and every delivery with each attempt. */
export function WebhookDetail({ id }: { id: string }) {
  const webhook = useWebhook(id);
  return (
    <div className="space-y-4">
      <Link href="/admin/webhooks" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" /> Every endpoint
      </Link>
      <QueryStates query={webhook} rows={3}>
        {(data) => (
          <>
            <EndpointCard webhook={data} />
            <DeliveryLog webhook={data} />
          </>
        )}
      </QueryStates>
    </div>
  );
}

function EndpointCard({ webhook }: { webhook: Webhook }) {
  const toastError = useErrorToast();
  const format = useFormat();
  const now = useNow();
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const update = useUpdateWebhook(webhook.id);
  const remove = useDeleteWebhook();
  const setStatus = (status: Webhook['status']) =>
    update.mutate({ status }, { onSuccess: () => toast.success(status === 'ACTIVE' ? 'Endpoint enabled: waiting deliveries go out now' : 'Endpoint disabled'), onError: toastError });
  return (
    <Card>
      <CardHeader className="gap-3">
        <div className="flex flex-wrap items-center gap-2">
          <CardTitle className="font-mono text-sm break-all">{webhook.url}</CardTitle>
          <WebhookStatusBadge webhook={webhook} />
        </div>
        {webhook.description ? <p className="text-sm text-muted-foreground">{webhook.description}</p> : null}
        <div className="flex flex-wrap gap-2">
          {webhook.status === 'ACTIVE' ? (
            <Button variant="outline" size="sm" onClick={() => setStatus('DISABLED')} disabled={update.isPending}>
              <Pause /> Disable
            </Button>
          ) : (
            <Button size="sm" onClick={() => setStatus('ACTIVE')} disabled={update.isPending}>
              <Play /> Enable
            </Button>
          )}
          <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
            <Pencil /> Change
          </Button>
          <Button variant="outline" size="sm" onClick={() => setRotating(true)}>
            <KeyRound /> Rotate secret
          </Button>
          <Button variant="outline" size="sm" className="text-destructive" onClick={() => setDeleting(true)}>
            <Trash2 /> Delete
          </Button>
        </div>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        {webhook.status === 'DISABLED' ? (
          <Alert variant="destructive">
            <TriangleAlert />
            <AlertTitle>Disabled {webhook.disabledAt ? format.relativeTime(webhook.disabledAt, now) : ''}</AlertTitle>
            <AlertDescription>
              {webhook.disabledReason}. Events that happen meanwhile are not sent to it; enable it once the receiver works again.
            </AlertDescription>
          </Alert>
        ) : webhook.failingSince ? (
          <Alert>
            <TriangleAlert />
            <AlertTitle>Every attempt has failed since {format.dateTime(webhook.failingSince)}</AlertTitle>
            <AlertDescription>Deliveries are retried with growing pauses; the endpoint is disabled if it keeps failing for 3 days. The log below says why they fail.</AlertDescription>
          </Alert>
        ) : null}
        {webhook.previousSecretExpiresAt ? (
          <p className="text-muted-foreground">The previous secret also signs deliveries until {format.dateTime(webhook.previousSecretExpiresAt)}.</p>
        ) : null}
        <div>
          <h3 className="mb-1 font-medium">Events</h3>
          <ul className="grid gap-x-6 gap-y-1 sm:grid-cols-2">
            {webhook.events.map((type) => (
              <li key={type}>
                {WEBHOOK_EVENT_LABELS[type]} <span className="font-mono text-xs text-muted-foreground">{type}</span>
              </li>
            ))}
          </ul>
        </div>
        <p className="text-muted-foreground">Registered {format.dateTime(webhook.createdAt)}</p>
      </CardContent>
      {editing ? <WebhookFormDialog webhook={webhook} onClose={() => setEditing(false)} /> : null}
      {rotating ? <RotateDialog webhook={webhook} onClose={() => setRotating(false)} /> : null}
      {deleting ? (
        <Dialog open onOpenChange={(open) => !open && setDeleting(false)}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>Delete this endpoint?</DialogTitle>
              <DialogDescription>Nothing more is sent to it, and its delivery log is deleted. This cannot be undone.</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={() => setDeleting(false)}>
                Keep it
              </Button>
              <Button
                variant="destructive"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(webhook, {
                    onSuccess: () => {
                      toast.success('Endpoint deleted');
                      router.push('/admin/webhooks');
                    },
                    onError: toastError,
                  })
                }
              >
                {remove.isPending ? <Loader2 className="animate-spin" /> : null}
                Delete
              </Button>
            </DialogFooter>
          </DialogContent>
        </Dialog>
      ) : null}
    </Card>
  );
}

/** A new signing secret; by default the previous one keeps signing for a day, so the receiver can switch without losing a delivery. */
function RotateDialog({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const toastError = useErrorToast();
  const format = useFormat();
  const [overlap, setOverlap] = useState(true);
  const [rotated, setRotated] = useState<WebhookWithSecret | null>(null);
  const rotate = useRotateWebhookSecret(webhook.id);
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        {rotated ? (
          <WebhookSecretShownOnce
            secret={rotated.secret}
            title="The endpoint has a new secret"
            note={rotated.previousSecretExpiresAt ? `Deliveries carry both signatures until ${format.dateTime(rotated.previousSecretExpiresAt)}.` : 'The previous secret no longer signs anything.'}
            onClose={onClose}
          />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>Rotate the signing secret?</DialogTitle>
              <DialogDescription>Deliveries are signed with a new secret, which is shown once.</DialogDescription>
            </DialogHeader>
            <label className="flex items-start gap-2 text-sm">
              <Checkbox className="mt-0.5" checked={overlap} onCheckedChange={(checked) => setOverlap(checked === true)} />
              <span>
                Keep the current secret working for 24 hours
                <span className="block text-muted-foreground">Each delivery carries both signatures meanwhile. Clear this if the secret leaked.</span>
              </span>
            </label>
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                Cancel
              </Button>
              <Button disabled={rotate.isPending} onClick={() => rotate.mutate(overlap ? 86_400 : 0, { onSuccess: setRotated, onError: toastError })}>
                {rotate.isPending ? <Loader2 className="animate-spin" /> : <KeyRound />}
                Rotate
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const [status, setStatus] = useState<WebhookDeliveryStatus | 'all'>('all');
  const deliveries = useWebhookDeliveries(webhook.id, status);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <h2 className="font-medium">Deliveries</h2>
          <Select value={status} onValueChange={(value) => setStatus(value as WebhookDeliveryStatus | 'all')}>
            <SelectTrigger className="w-40" aria-label="Delivery status">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">Every status</SelectItem>
              {WEBHOOK_DELIVERY_STATUSES.map((value) => (
                <SelectItem key={value} value={value}>
                  {DELIVERY_STATUS_LABELS[value]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <QueryStates query={deliveries}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">No deliveries {status === 'all' ? 'yet' : 'with this status'}.</p>;
            return (
              <>
                <ul className="divide-y">
                  {items.map((delivery) => (
                    <DeliveryRow key={delivery.id} webhook={webhook} delivery={delivery} />
                  ))}
                </ul>
                <LoadMore query={deliveries} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

function DeliveryRow({ webhook, delivery }: { webhook: Webhook; delivery: WebhookDelivery }) {
  const toastError = useErrorToast();
  const format = useFormat();
  const now = useNow();
  const [open, setOpen] = useState(false);
  const redeliver = useRedeliver(webhook.id);
  const last = delivery.attemptLog[0];
  return (
    <li className="p-4">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <button type="button" className="flex min-w-0 flex-1 items-start gap-2 text-left" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? <ChevronDown className="mt-0.5 size-4 shrink-0" /> : <ChevronRight className="mt-0.5 size-4 shrink-0" />}
          <span className="min-w-0">
            <span className="block font-mono text-xs">{delivery.eventType}</span>
            <span className="block text-xs text-muted-foreground" title={format.dateTime(delivery.createdAt)}>
              {format.relativeTime(delivery.createdAt, now)} · {delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`}
              {last ? ` · last ${last.responseStatus ?? 'no answer'} in ${last.durationMs} ms` : ''}
              {delivery.status === 'PENDING' && delivery.nextAttemptAt ? ` · next ${format.relativeTime(delivery.nextAttemptAt, now)}` : ''}
            </span>
            {delivery.status !== 'SUCCEEDED' && last?.error ? <span className="mt-1 block text-xs break-words text-destructive">{last.error}</span> : null}
          </span>
        </button>
        <DeliveryStatusBadge status={delivery.status} />
        <Button
          variant="outline"
          size="sm"
          disabled={redeliver.isPending || delivery.status === 'SENDING' || webhook.status === 'DISABLED'}
          title={webhook.status === 'DISABLED' ? 'Enable the endpoint to redeliver' : undefined}
          onClick={() => redeliver.mutate(delivery, { onSuccess: () => toast.success('Sending it again'), onError: toastError })}
        >
          {redeliver.isPending ? <Loader2 className="animate-spin" /> : <RotateCw />}
          Redeliver
        </Button>
      </div>
      {open ? (
        <div className="mt-3 space-y-3 pl-6 text-xs">
          <div>
            <h3 className="mb-1 font-medium">Request</h3>
            <pre className="overflow-x-auto rounded-md border bg-muted/50 p-2 whitespace-pre-wrap break-all">
              {`POST ${delivery.request.url}\n${Object.entries(delivery.request.headers)
                .map(([name, value]) => `${name}: ${value}`)
                .join('\n')}\n\n${delivery.request.body}`}
            </pre>
          </div>
          <div>
            <h3 className="mb-1 font-medium">Attempts</h3>
            {delivery.attemptLog.length === 0 ? (
              <p className="text-muted-foreground">None yet.</p>
            ) : (
              <ol className="space-y-2">
                {delivery.attemptLog.map((attempt) => (
                  <li key={attempt.attempt} className="rounded-md border p-2">
                    <p>
                      #{attempt.attempt} · {format.dateTime(attempt.at)} · {attempt.responseStatus ? `answered ${attempt.responseStatus}` : 'no answer'} · {attempt.durationMs} ms
                      {attempt.remoteAddress ? ` · ${attempt.remoteAddress}` : ''}
                    </p>
                    {attempt.error ? <p className="text-destructive">{attempt.error}</p> : null}
                    {attempt.responseBodyExcerpt ? <pre className="mt-1 overflow-x-auto whitespace-pre-wrap break-all text-muted-foreground">{attempt.responseBodyExcerpt}</pre> : null}
                  </li>
                ))}
              </ol>
            )}
          </div>
        </div>
      ) : null}
    </li>
  );
}

'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ArrowLeft, ChevronDown, ChevronRight, KeyRound, Loader2, Pause, Pencil, Play, RotateCw, Trash2, TriangleAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
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
import { useWebhookEventLabel } from './event-types';
import { WebhookSecretShownOnce } from './secret-shown-once';
import { WebhookFormDialog } from './webhook-form-dialog';
import { DeliveryStatusBadge, WebhookStatusBadge } from './webhook-status';
import { useFormat } from '@/lib/i18n/use-format';
import { useErrorToast } from '@/lib/i18n/errors';

/** One endpoint: its settings, its state, and every delivery with each attempt. */
export function WebhookDetail({ id }: { id: string }) {
  const t = useTranslations('integrations.webhooks.detail');
  const webhook = useWebhook(id);
  return (
    <div className="space-y-4">
      <Link href="/admin/webhooks" className="inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ArrowLeft className="size-4" /> {t('back')}
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
  const t = useTranslations('integrations.webhooks.detail');
  const eventLabel = useWebhookEventLabel();
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
    update.mutate({ status }, { onSuccess: () => toast.success(status === 'ACTIVE' ? t('enabled') : t('disabled')), onError: toastError });
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
              <Pause /> {t('disable')}
            </Button>
          ) : (
            <Button size="sm" onClick={() => setStatus('ACTIVE')} disabled={update.isPending}>
              <Play /> {t('enable')}
            </Button>
          )}
          <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
            <Pencil /> {t('change')}
          </Button>
          <Button variant="outline" size="sm" onClick={() => setRotating(true)}>
            <KeyRound /> {t('rotateSecret')}
          </Button>
          <Button variant="outline" size="sm" className="text-destructive" onClick={() => setDeleting(true)}>
            <Trash2 /> {t('delete')}
          </Button>
        </div>
      </CardHeader>
      <CardContent className="space-y-4 text-sm">
        {webhook.status === 'DISABLED' ? (
          <Alert variant="destructive">
            <TriangleAlert />
            <AlertTitle>{webhook.disabledAt ? t('disabledAt', { when: format.relativeTime(webhook.disabledAt, now) }) : t('disabledTitle')}</AlertTitle>
            <AlertDescription>
              {t('disabledDetail', { reason: webhook.disabledReason ?? '' })}
            </AlertDescription>
          </Alert>
        ) : webhook.failingSince ? (
          <Alert>
            <TriangleAlert />
            <AlertTitle>{t('failingSince', { since: format.dateTime(webhook.failingSince) })}</AlertTitle>
            <AlertDescription>{t('failingDetail')}</AlertDescription>
          </Alert>
        ) : null}
        {webhook.previousSecretExpiresAt ? (
          <p className="text-muted-foreground">{t('previousSecret', { until: format.dateTime(webhook.previousSecretExpiresAt) })}</p>
        ) : null}
        <div>
          <h3 className="mb-1 font-medium">{t('events')}</h3>
          <ul className="grid gap-x-6 gap-y-1 sm:grid-cols-2">
            {webhook.events.map((type) => (
              <li key={type}>
                {eventLabel(type)} <span className="font-mono text-xs text-muted-foreground">{type}</span>
              </li>
            ))}
          </ul>
        </div>
        <p className="text-muted-foreground">{t('registered', { at: format.dateTime(webhook.createdAt) })}</p>
      </CardContent>
      {editing ? <WebhookFormDialog webhook={webhook} onClose={() => setEditing(false)} /> : null}
      {rotating ? <RotateDialog webhook={webhook} onClose={() => setRotating(false)} /> : null}
      {deleting ? (
        <Dialog open onOpenChange={(open) => !open && setDeleting(false)}>
          <DialogContent>
            <DialogHeader>
              <DialogTitle>{t('deleteTitle')}</DialogTitle>
              <DialogDescription>{t('deleteDescription')}</DialogDescription>
            </DialogHeader>
            <DialogFooter>
              <Button variant="outline" onClick={() => setDeleting(false)}>
                {t('keep')}
              </Button>
              <Button
                variant="destructive"
                disabled={remove.isPending}
                onClick={() =>
                  remove.mutate(webhook, {
                    onSuccess: () => {
                      toast.success(t('deleted'));
                      router.push('/admin/webhooks');
                    },
                    onError: toastError,
                  })
                }
              >
                {remove.isPending ? <Loader2 className="animate-spin" /> : null}
                {t('delete')}
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
  const t = useTranslations('integrations.webhooks.rotate');
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
            title={t('done')}
            note={rotated.previousSecretExpiresAt ? t('bothUntil', { until: format.dateTime(rotated.previousSecretExpiresAt) }) : t('previousGone')}
            onClose={onClose}
          />
        ) : (
          <>
            <DialogHeader>
              <DialogTitle>{t('title')}</DialogTitle>
              <DialogDescription>{t('description')}</DialogDescription>
            </DialogHeader>
            <label className="flex items-start gap-2 text-sm">
              <Checkbox className="mt-0.5" checked={overlap} onCheckedChange={(checked) => setOverlap(checked === true)} />
              <span>
                {t('overlap')}
                <span className="block text-muted-foreground">{t('overlapHint')}</span>
              </span>
            </label>
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                {t('cancel')}
              </Button>
              <Button disabled={rotate.isPending} onClick={() => rotate.mutate(overlap ? 86_400 : 0, { onSuccess: setRotated, onError: toastError })}>
                {rotate.isPending ? <Loader2 className="animate-spin" /> : <KeyRound />}
                {t('confirm')}
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const t = useTranslations('integrations.webhooks.delivery');
  const [status, setStatus] = useState<WebhookDeliveryStatus | 'all'>('all');
  const deliveries = useWebhookDeliveries(webhook.id, status);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <h2 className="font-medium">{t('title')}</h2>
          <Select value={status} onValueChange={(value) => setStatus(value as WebhookDeliveryStatus | 'all')}>
            <SelectTrigger className="w-40" aria-label={t('statusFilter')}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">{t('everyStatus')}</SelectItem>
              {WEBHOOK_DELIVERY_STATUSES.map((value) => (
                <SelectItem key={value} value={value}>
                  {t(`status.${value}`)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <QueryStates query={deliveries}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">{status === 'all' ? t('noneYet') : t('noneWithStatus')}</p>;
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
  const t = useTranslations('integrations.webhooks.delivery');
  const toastError = useErrorToast();
  const format = useFormat();
  const now = useNow();
  const [open, setOpen] = useState(false);
  const redeliver = useRedeliver(webhook.id);
  const last = delivery.attemptLog[0];
  // The request as sent over the wire, the same in every language.
  const request = [`POST ${delivery.request.url}`, ...Object.entries(delivery.request.headers).map(([name, value]) => `${name}: ${value}`), '', delivery.request.body].join('\n');
  return (
    <li className="p-4">
      <div className="flex flex-wrap items-start gap-x-4 gap-y-2">
        <button type="button" className="flex min-w-0 flex-1 items-start gap-2 text-left" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? <ChevronDown className="mt-0.5 size-4 shrink-0" /> : <ChevronRight className="mt-0.5 size-4 shrink-0" />}
          <span className="min-w-0">
            <span className="block font-mono text-xs">{delivery.eventType}</span>
            <span className="block text-xs text-muted-foreground" title={format.dateTime(delivery.createdAt)}>
              {format.relativeTime(delivery.createdAt, now)} · {t('attempts', { count: delivery.attempts })}
              {last ? ` · ${last.responseStatus ? t('last', { status: last.responseStatus, ms: last.durationMs }) : t('lastNoAnswer', { ms: last.durationMs })}` : ''}
              {delivery.status === 'PENDING' && delivery.nextAttemptAt ? ` · ${t('next', { when: format.relativeTime(delivery.nextAttemptAt, now) })}` : ''}
            </span>
            {delivery.status !== 'SUCCEEDED' && last?.error ? <span className="mt-1 block text-xs break-words text-destructive">{last.error}</span> : null}
          </span>
        </button>
        <DeliveryStatusBadge status={delivery.status} />
        <Button
          variant="outline"
          size="sm"
          disabled={redeliver.isPending || delivery.status === 'SENDING' || webhook.status === 'DISABLED'}
          title={webhook.status === 'DISABLED' ? t('enableToRedeliver') : undefined}
          onClick={() => redeliver.mutate(delivery, { onSuccess: () => toast.success(t('redelivering')), onError: toastError })}
        >
          {redeliver.isPending ? <Loader2 className="animate-spin" /> : <RotateCw />}
          {t('redeliver')}
        </Button>
      </div>
      {open ? (
        <div className="mt-3 space-y-3 pl-6 text-xs">
          <div>
            <h3 className="mb-1 font-medium">{t('request')}</h3>
            <pre className="overflow-x-auto rounded-md border bg-muted/50 p-2 whitespace-pre-wrap break-all">
              {request}
            </pre>
          </div>
          <div>
            <h3 className="mb-1 font-medium">{t('attemptsTitle')}</h3>
            {delivery.attemptLog.length === 0 ? (
              <p className="text-muted-foreground">{t('noAttempts')}</p>
            ) : (
              <ol className="space-y-2">
                {delivery.attemptLog.map((attempt) => (
                  <li key={attempt.attempt} className="rounded-md border p-2">
                    <p>
                      #{attempt.attempt} · {format.dateTime(attempt.at)} · {attempt.responseStatus ? t('answered', { status: attempt.responseStatus }) : t('noAnswer')} · {attempt.durationMs} ms
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

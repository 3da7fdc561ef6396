'use client';

import { useTranslations } from 'next-intl';
import type { Webhook, WebhookDeliveryStatus } from '@desk/contracts';
import { Badge } from '@/components/ui/badge';

const STYLES = {
  ok: 'border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  waiting: 'border-amber-200 bg-amber-50 text-amber-700 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300',
  busy: 'border-sky-200 bg-sky-50 text-sky-700 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300',
  bad: 'border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
  off: 'border-muted-foreground/30 bg-muted text-muted-foreground',
};

/** Active, failing (every attempt since some time failed) or disabled. */
export function WebhookStatusBadge({ webhook }: { webhook: Webhook }) {
  const t = useTranslations('integrations.webhooks.status');
  if (webhook.status === 'DISABLED') return <Badge variant="outline" className={STYLES.off}>{t('disabled')}</Badge>;
  if (webhook.failingSince) return <Badge variant="outline" className={STYLES.bad}>{t('failing')}</Badge>;
  return <Badge variant="outline" className={STYLES.ok}>{t('active')}</Badge>;
}

/** A delivery's status is called `integrations.webhooks.delivery.status.<STATUS>` on screen. */
const DELIVERY_STYLES: Record<WebhookDeliveryStatus, string> = {
  PENDING: STYLES.waiting,
  SENDING: STYLES.busy,
  SUCCEEDED: STYLES.ok,
  FAILED: STYLES.bad,
};

export function DeliveryStatusBadge({ status }: { status: WebhookDeliveryStatus }) {
  const t = useTranslations('integrations.webhooks.delivery');
  return <Badge variant="outline" className={DELIVERY_STYLES[status]}>{t(`status.${status}`)}</Badge>;
}

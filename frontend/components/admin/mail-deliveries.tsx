'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useMailDeliveries } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { LoadMore } from './load-more';
import { useFormat } from '@/lib/i18n/use-format';

const STATUS_STYLES: Record<DeliveryStatus, string> = {
  PENDING: 'border-amber-200 bg-amber-50 text-amber-700 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300',
  SENDING: 'border-sky-200 bg-sky-50 text-sky-700 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300',
  SENT: 'border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  FAILED: 'border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
};

/** Every email the desk sent or tried to send, newest first: what went out, and why one did not. */
export function MailDeliveriesTab() {
  const t = useTranslations('integrations.mail.sent');
  const format = useFormat();
  const now = useNow();
  const [status, setStatus] = useState<DeliveryStatus | 'all'>('all');
  const deliveries = useMailDeliveries(status);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex items-center justify-between gap-4 border-b p-4">
          <p className="text-sm text-muted-foreground">{t('intro')}</p>
          <Select value={status} onValueChange={(value) => setStatus(value as DeliveryStatus | 'all')}>
            <SelectTrigger className="w-40" aria-label={t('statusFilter')}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">{t('everyStatus')}</SelectItem>
              {DELIVERY_STATUSES.map((value) => (
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
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t('to')}</TableHead>
                      <TableHead>{t('subject')}</TableHead>
                      <TableHead>{t('statusColumn')}</TableHead>
                      <TableHead className="pr-4 text-right">{t('created')}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((delivery) => (
                      <TableRow key={delivery.id}>
                        <TableCell className="pl-4 align-top">{delivery.to}</TableCell>
                        <TableCell className="max-w-md align-top whitespace-normal">
                          <Link prefetch={false} href={`/incidents/${delivery.incidentKey}`} className="hover:text-primary">
                            {delivery.subject}
                          </Link>
                          {delivery.lastError ? <p className="mt-1 text-xs text-destructive">{delivery.lastError}</p> : null}
                        </TableCell>
                        <TableCell className="align-top">
                          <Badge variant="outline" className={STATUS_STYLES[delivery.status]}>
                            {t(`status.${delivery.status}`)}
                          </Badge>
                          <div className="mt-1 text-xs text-muted-foreground">
                            {delivery.status === 'PENDING' && delivery.nextAttemptAt
                              ? t('attemptsNext', { count: delivery.attempts, next: format.relativeTime(delivery.nextAttemptAt, now) })
                              : t('attempts', { count: delivery.attempts })}
                          </div>
                        </TableCell>
                        <TableCell className="pr-4 text-right align-top text-muted-foreground" title={format.dateTime(delivery.createdAt)}>
                          {format.relativeTime(delivery.createdAt, now)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <LoadMore query={deliveries} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

'use client';

import Link from 'next/link';
import { Plus } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useWebhooks } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { WebhookFormDialog } from './webhook-form-dialog';
import { WebhookStatusBadge } from './webhook-status';
import { useFormat } from '@/lib/i18n/use-format';

/** The registered endpoints: where each sends, what it receives and how it is doing. */
export function WebhooksTab() {
  const t = useTranslations('integrations.webhooks.list');
  const format = useFormat();
  const now = useNow();
  const [creating, setCreating] = useState(false);
  const webhooks = useWebhooks();
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-muted-foreground">
            {t.rich('intro', {
              link: (chunks) => (
                <a className="underline underline-offset-2" href="https://www.standardwebhooks.com" target="_blank" rel="noreferrer">
                  {chunks}
                </a>
              ),
            })}
          </p>
          <Button onClick={() => setCreating(true)} className="shrink-0">
            <Plus /> {t('new')}
          </Button>
        </div>
        <QueryStates query={webhooks} rows={3}>
          {({ items }) => {
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">{t('none')}</p>;
            return (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead className="pl-4">{t('endpoint')}</TableHead>
                    <TableHead className="hidden sm:table-cell">{t('events')}</TableHead>
                    <TableHead>{t('status')}</TableHead>
                    <TableHead className="hidden pr-4 text-right sm:table-cell">{t('registered')}</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {items.map((webhook) => (
                    <TableRow key={webhook.id}>
                      <TableCell className="max-w-[14rem] pl-4 align-top whitespace-normal sm:max-w-md">
                        <Link href={`/admin/webhooks/${webhook.id}`} className="font-mono text-xs break-all hover:text-primary">
                          {webhook.url}
                        </Link>
                        {webhook.description ? <p className="mt-1 text-xs text-muted-foreground">{webhook.description}</p> : null}
                      </TableCell>
                      <TableCell className="hidden align-top text-sm sm:table-cell">{webhook.events.length === 1 ? webhook.events[0] : t('types', { count: webhook.events.length })}</TableCell>
                      <TableCell className="align-top">
                        <WebhookStatusBadge webhook={webhook} />
                      </TableCell>
                      <TableCell className="hidden pr-4 text-right align-top text-muted-foreground sm:table-cell" title={format.dateTime(webhook.createdAt)}>
                        {format.relativeTime(webhook.createdAt, now)}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            );
          }}
        </QueryStates>
      </CardContent>
      {creating ? <WebhookFormDialog onClose={() => setCreating(false)} /> : null}
    </Card>
  );
}

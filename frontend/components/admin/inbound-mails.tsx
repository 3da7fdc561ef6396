'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { INBOUND_MAIL_STATUSES, type InboundMail, type InboundMailStatus } from '@desk/contracts';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent } from '@/components/ui/card';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useInboundMails } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { LoadMore } from './load-more';
import { useFormat } from '@/lib/i18n/use-format';
import type { Words } from '@/lib/i18n/words';

const STATUS_STYLES: Record<InboundMailStatus, string> = {
  received: 'border-sky-200 bg-sky-50 text-sky-700 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300',
  awaiting_sender: 'border-amber-200 bg-amber-50 text-amber-700 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300',
  filed: 'border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  ignored: 'border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900/60 dark:text-slate-300',
  rejected: 'border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
};

/** Why a mail was not filed, in words (the catalogue's `outcome.*`); one the portal does not know keeps its code. */
const OUTCOMES = ['bounce', 'auto-submitted', 'auto-reply', 'bulk', 'own-mail', 'no-category', 'sender-has-no-active-account', 'sender-never-registered', 'empty-reply'] as const;
const isOutcome = (outcome: string): outcome is (typeof OUTCOMES)[number] => (OUTCOMES as readonly string[]).includes(outcome);

function what(mail: InboundMail, t: Words<'integrations'>): string {
  if (mail.status === 'filed') return mail.outcome === 'comment' ? t('mail.received.commentOn') : t('mail.received.incident');
  if (mail.outcome) return isOutcome(mail.outcome) ? t(`mail.received.outcome.${mail.outcome}`) : mail.outcome;
  return '';
}

/** Mail to the desk, newest first: what became of each, and why one was not filed. */
export function InboundMailsTab() {
  const words = useTranslations('integrations');
  const t = useTranslations('integrations.mail.received');
  const format = useFormat();
  const now = useNow();
  const [status, setStatus] = useState<InboundMailStatus | 'all'>('all');
  const mails = useInboundMails(status);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-muted-foreground">
            {t('intro')}
          </p>
          <Select value={status} onValueChange={(value) => setStatus(value as InboundMailStatus | 'all')}>
            <SelectTrigger className="w-48 shrink-0" aria-label={t('statusFilter')}>
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">{t('everyStatus')}</SelectItem>
              {INBOUND_MAIL_STATUSES.map((value) => (
                <SelectItem key={value} value={value}>
                  {t(`status.${value}`)}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <QueryStates query={mails}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">{status === 'all' ? t('noneYet') : t('noneWithStatus')}</p>;
            return (
              <>
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">{t('from')}</TableHead>
                      <TableHead>{t('subject')}</TableHead>
                      <TableHead>{t('outcomeColumn')}</TableHead>
                      <TableHead className="pr-4 text-right">{t('receivedColumn')}</TableHead>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {items.map((mail) => (
                      <TableRow key={mail.id}>
                        <TableCell className="max-w-56 pl-4 align-top whitespace-normal break-all">
                          {mail.senderName ? <div className="break-normal">{mail.senderName}</div> : null}
                          <div className="text-xs text-muted-foreground">{mail.sender}</div>
                        </TableCell>
                        <TableCell className="max-w-md align-top whitespace-normal">
                          {mail.subject || <span className="text-muted-foreground">{t('noSubject')}</span>}
                          <div className="text-xs text-muted-foreground">{t('recipient', { recipient: mail.recipient })}</div>
                        </TableCell>
                        <TableCell className="max-w-sm align-top whitespace-normal">
                          <Badge variant="outline" className={STATUS_STYLES[mail.status]}>
                            {t(`status.${mail.status}`)}
                          </Badge>
                          <div className="mt-1 text-xs text-muted-foreground">
                            {what(mail, words)}
                            {mail.incidentKey ? (
                              <>
                                {' '}
                                <Link prefetch={false} href={`/incidents/${mail.incidentKey}`} className="font-medium text-foreground hover:text-primary">
                                  {mail.incidentKey}
                                </Link>
                              </>
                            ) : null}
                          </div>
                          {mail.skippedAttachments.map((skipped, index) => (
                            <p key={index} className="mt-1 text-xs text-destructive">
                              {skipped.fileName ? t('notAttached', { file: skipped.fileName, detail: skipped.detail ?? skipped.code }) : t('attachmentNotAttached', { detail: skipped.detail ?? skipped.code })}
                            </p>
                          ))}
                          {mail.lastError ? <p className="mt-1 text-xs text-destructive">{t('retrying', { error: mail.lastError })}</p> : null}
                        </TableCell>
                        <TableCell className="pr-4 text-right align-top text-muted-foreground" title={format.dateTime(mail.receivedAt)}>
                          {format.relativeTime(mail.receivedAt, now)}
                        </TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
                <LoadMore query={mails} />
              </>
            );
          }}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

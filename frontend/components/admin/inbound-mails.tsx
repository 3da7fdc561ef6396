'use client';

import Link from 'next/link';
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

const STATUS_LABELS: Record<InboundMailStatus, string> = {
  received: 'Being filed',
  awaiting_sender: 'Sender registering',
  filed: 'Filed',
  ignored: 'Ignored',
  rejected: 'Not filed',
};

const STATUS_STYLES: Record<InboundMailStatus, string> = {
  received: 'border-sky-200 bg-sky-50 text-sky-700 dark:border-sky-800 dark:bg-sky-950/60 dark:text-sky-300',
  awaiting_sender: 'border-amber-200 bg-amber-50 text-amber-700 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-300',
  filed: 'border-emerald-200 bg-emerald-50 text-emerald-700 dark:border-emerald-800 dark:bg-emerald-950/60 dark:text-emerald-300',
  ignored: 'border-slate-200 bg-slate-50 text-slate-700 dark:border-slate-700 dark:bg-slate-900/60 dark:text-slate-300',
  rejected: 'border-red-200 bg-red-50 text-red-700 dark:border-red-800 dark:bg-red-950/60 dark:text-red-300',
};

/** Why a mail was not filed, in words. */
const OUTCOMES: Record<string, string> = {
  bounce: 'A bounce or delivery report',
  'auto-submitted': 'Sent automatically (Auto-Submitted)',
  'auto-reply': 'An out-of-office or other automatic reply',
  bulk: 'Bulk or list mail',
  'own-mail': 'One of the desk’s own mails',
  'no-category': 'No active category to file it in: check INBOUND_CATEGORY and INBOUND_ROUTES',
  'sender-has-no-active-account': 'The sender’s account was deactivated',
  'sender-never-registered': 'The sender never finished registering',
  'empty-reply': 'A reply with nothing in it but the quoted mail',
};

function what(mail: InboundMail): string {
  if (mail.status === 'filed') return mail.outcome === 'comment' ? 'Comment on' : 'Incident';
  if (mail.outcome) return OUTCOMES[mail.outcome] ?? mail.outcome;
  return '';
}

/** Mail to the desk, newest first: what became of each, and why one was not filed. */
export function InboundMailsTab() {
  const format = useFormat();
  const now = useNow();
  const [status, setStatus] = useState<InboundMailStatus | 'all'>('all');
  const mails = useInboundMails(status);
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-muted-foreground">
            Mail from known people becomes incidents, and replies comments. Bounces and automatic replies are kept here but never filed; mail refused at the door (unknown senders, too many mails) is not kept.
          </p>
          <Select value={status} onValueChange={(value) => setStatus(value as InboundMailStatus | 'all')}>
            <SelectTrigger className="w-48 shrink-0" aria-label="Inbound mail status">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              <SelectItem value="all">Every status</SelectItem>
              {INBOUND_MAIL_STATUSES.map((value) => (
                <SelectItem key={value} value={value}>
                  {STATUS_LABELS[value]}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </div>
        <QueryStates query={mails}>
          {(data) => {
            const items = data.pages.flatMap((page) => page.items);
            if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">No mails {status === 'all' ? 'to the desk yet' : 'with this status'}.</p>;
            return (
              <>
                <Table>
                  <TableHeader>
                    <TableRow>
                      <TableHead className="pl-4">From</TableHead>
                      <TableHead>Subject</TableHead>
                      <TableHead>Outcome</TableHead>
                      <TableHead className="pr-4 text-right">Received</TableHead>
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
                          {mail.subject || <span className="text-muted-foreground">(no subject)</span>}
                          <div className="text-xs text-muted-foreground">to {mail.recipient}</div>
                        </TableCell>
                        <TableCell className="max-w-sm align-top whitespace-normal">
                          <Badge variant="outline" className={STATUS_STYLES[mail.status]}>
                            {STATUS_LABELS[mail.status]}
                          </Badge>
                          <div className="mt-1 text-xs text-muted-foreground">
                            {what(mail)}
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
                              {skipped.fileName ?? 'An attachment'} not attached: {skipped.detail ?? skipped.code}
                            </p>
                          ))}
                          {mail.lastError ? <p className="mt-1 text-xs text-destructive">Retrying: {mail.lastError}</p> : null}
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

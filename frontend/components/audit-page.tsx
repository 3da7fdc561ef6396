'use client';

import { Loader2, ShieldAlert } from 'lucide-react';
import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '@desk/contracts';
import { AdminNav } from '@/components/admin/admin-nav';
import { EmptyState, PageHeader, QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { changesOf, shownValue } from '@/lib/audit-diff';
import { useAuditTrail, useUsers, type AuditQuery } from '@/lib/queries';
import { useUser } from '@/lib/session';
import { useDebounced } from '@/lib/use-debounced';
import { useFormat } from '@/lib/i18n/use-format';

/** An audit action's name from the catalogue (`audit.action`). */
export function useActionLabel() {
  const t = useTranslations('audit.action');
  return useCallback((action: AuditAction) => t(action), [t]);
}

interface AuditFilters {
  actorId: string;
  targetId: string;
  action: AuditAction | 'all';
  /** `YYYY-MM-DD` from the date inputs, read as whole days in the viewer's time zone. */
  from: string;
  to: string;
}

const NO_FILTERS: AuditFilters = { actorId: 'anyone', targetId: '', action: 'all', from: '', to: '' };

function startOfDay(date: string, plusDays = 0): string | undefined {
  if (!date) return undefined;
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + plusDays);
  return day.toISOString();
}

/** `/admin/audit`: who changed what in the organisation, when and from where. Admins only (the API refuses others too). */
export function AuditPage() {
  const t = useTranslations('audit');
  const user = useUser();
  if (user.role !== 'admin') {
    return (
      <EmptyState icon={ShieldAlert} title={t('forbiddenTitle')}>
        {t('forbiddenBody')}
      </EmptyState>
    );
  }
  return <AuditTrail />;
}

function AuditTrail() {
  const t = useTranslations('audit');
  const actionLabel = useActionLabel();
  const format = useFormat();
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const targetId = useDebounced(filters.targetId.trim(), 300);
  const people = useUsers({});
  const names = new Map((people.data ?? []).map((user) => [user.id, user.fullName]));
  const query: AuditQuery = {
    actorId: filters.actorId === 'anyone' ? undefined : filters.actorId,
    targetId: targetId || undefined,
    action: filters.action === 'all' ? undefined : filters.action,
    from: startOfDay(filters.from),
    to: startOfDay(filters.to, 1),
  };
  const entries = useAuditTrail(query);
  const set = (change: Partial<AuditFilters>) => setFilters((current) => ({ ...current, ...change }));
  const actorName = (entry: AuditEntry) =>
    entry.actor.kind === 'system' ? t('thePlatform') : (names.get(entry.actor.id ?? '') ?? (entry.actor.kind === 'service' ? t('aServiceAccount') : t('unknownPerson')));
  const targetName = (entry: AuditEntry) =>
    (typeof entry.after?.fullName === 'string' && entry.after.fullName) || (typeof entry.after?.name === 'string' && entry.after.name) || entry.target.id;

  return (
    <div>
      <PageHeader title={t('title')} description={t('description')} />
      <AdminNav />
      <Card className="mb-4 py-0">
        <CardContent className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label={t('filtersLabel')}>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-actor">{t('actor')}</Label>
            <Select value={filters.actorId} onValueChange={(actorId) => set({ actorId })}>
              <SelectTrigger id="audit-actor" className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="anyone">{t('anyone')}</SelectItem>
                {(people.data ?? [])
                  .filter((user) => user.role === 'admin')
                  .map((user) => (
                    <SelectItem key={user.id} value={user.id}>
                      {user.fullName}
                    </SelectItem>
                  ))}
              </SelectContent>
            </Select>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-target">{t('targetId')}</Label>
            <Input id="audit-target" placeholder={t('targetIdPlaceholder')} value={filters.targetId} onChange={(event) => set({ targetId: event.target.value })} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-action">{t('actionLabel')}</Label>
            <Select value={filters.action} onValueChange={(action) => set({ action: action as AuditFilters['action'] })}>
              <SelectTrigger id="audit-action" className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="all">{t('anyAction')}</SelectItem>
                {AUDIT_ACTIONS.map((action) => (
                  <SelectItem key={action} value={action}>
                    {actionLabel(action)}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-from">{t('from')}</Label>
            <Input id="audit-from" type="date" value={filters.from} onChange={(event) => set({ from: event.target.value })} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="audit-to">{t('to')}</Label>
            <Input id="audit-to" type="date" value={filters.to} onChange={(event) => set({ to: event.target.value })} />
          </div>
        </CardContent>
      </Card>
      <Card className="py-0">
        <CardContent className="px-0">
          <QueryStates query={entries}>
            {(data) => {
              const items = data.pages.flatMap((page) => page.items);
              if (items.length === 0) return <p className="p-8 text-center text-sm text-muted-foreground">{t('noMatches')}</p>;
              return (
                <>
                  {/* Phones: one card per change. */}
                  <ul className="divide-y md:hidden" aria-label={t('entriesLabel')}>
                    {items.map((entry) => (
                      <li key={entry.id} className="grid gap-1.5 p-4 text-sm" data-audit-entry={entry.id}>
                        <div className="flex items-center justify-between gap-2">
                          <Badge variant="outline">{actionLabel(entry.action)}</Badge>
                          <span className="text-xs text-muted-foreground">{format.dateTime(entry.occurredAt)}</span>
                        </div>
                        <div className="font-medium">{targetName(entry)}</div>
                        <div className="text-xs text-muted-foreground">
                          {t('byActor', { actor: actorName(entry) })}
                          {entry.sourceAddress ? t('fromAddress', { address: entry.sourceAddress }) : ''}
                        </div>
                        <Changes entry={entry} />
                      </li>
                    ))}
                  </ul>
                  {/* Wider screens: a table. */}
                  <div className="hidden md:block">
                    <Table>
                      <TableHeader>
                        <TableRow>
                          <TableHead className="pl-4">{t('columnWhen')}</TableHead>
                          <TableHead>{t('columnActor')}</TableHead>
                          <TableHead>{t('columnAction')}</TableHead>
                          <TableHead>{t('columnTarget')}</TableHead>
                          <TableHead className="pr-4">{t('columnChanges')}</TableHead>
                        </TableRow>
                      </TableHeader>
                      <TableBody>
                        {items.map((entry) => (
                          <TableRow key={entry.id} className="align-top" data-audit-entry={entry.id}>
                            <TableCell className="pl-4 text-muted-foreground">{format.dateTime(entry.occurredAt)}</TableCell>
                            <TableCell>
                              <div>{actorName(entry)}</div>
                              {entry.sourceAddress ? <div className="font-mono text-xs text-muted-foreground">{entry.sourceAddress}</div> : null}
                            </TableCell>
                            <TableCell>
                              <Badge variant="outline">{actionLabel(entry.action)}</Badge>
                            </TableCell>
                            <TableCell className="whitespace-normal">
                              <div className="font-medium">{targetName(entry)}</div>
                              <div className="font-mono text-xs text-muted-foreground">{entry.target.id}</div>
                            </TableCell>
                            <TableCell className="pr-4 whitespace-normal">
                              <Changes entry={entry} />
                            </TableCell>
                          </TableRow>
                        ))}
                      </TableBody>
                    </Table>
                  </div>
                  {entries.hasNextPage ? (
                    <div className="border-t p-3 text-center">
                      <Button variant="outline" size="sm" onClick={() => void entries.fetchNextPage()} disabled={entries.isFetchingNextPage}>
                        {entries.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
                        {t('loadMore')}
                      </Button>
                    </div>
                  ) : null}
                </>
              );
            }}
          </QueryStates>
        </CardContent>
      </Card>
    </div>
  );
}

/** The fields a change touched: old value struck through, new value beside it. */
function Changes({ entry }: { entry: AuditEntry }) {
  const t = useTranslations('audit');
  const changes = changesOf(entry);
  if (changes.length === 0) return <span className="text-xs text-muted-foreground">{t('noVisibleChange')}</span>;
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
      {changes.map((change) => (
        <div key={change.field} className="contents">
          <dt className="text-muted-foreground">{change.field}</dt>
          <dd className="break-all">
            {change.before !== undefined ? (
              <>
                <del className="text-red-700 dark:text-red-300">{shownValue(change.before)}</del> →{' '}
              </>
            ) : null}
            <ins className="text-emerald-700 no-underline dark:text-emerald-300">{shownValue(change.after)}</ins>
          </dd>
        </div>
      ))}
    </dl>
  );
}

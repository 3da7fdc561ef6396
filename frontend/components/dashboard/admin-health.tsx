'use client';

import { useTranslations } from 'next-intl';
import { CircleAlert, CircleCheck } from 'lucide-react';
import Link from 'next/link';
import type { AuditEntry, Page } from '@desk/contracts';
import { useActionLabel } from '@/components/audit-page';
import { Badge } from '@/components/ui/badge';
import { Skeleton } from '@/components/ui/skeleton';
import { useActiveUserCount, useEventHealth, useFailedMailPage, useRecentChanges, useServiceAccountPage, useUsers } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { countText } from './figure';
import { Panel } from './panel';
import { useFormat } from '@/lib/i18n/use-format';

// A figure read from a page is that page's length, with "+" when there are more.
const pageCount = (page: Page<unknown> | undefined) => (page ? `${page.items.length}${page.nextCursor ? '+' : ''}` : '…');

/** People and integrations, and whether events and mail flow: what an administrator checks first. */
export function AdminHealth() {
  const t = useTranslations('dashboard.adminHealth');
  const people = useActiveUserCount();
  const accounts = useServiceAccountPage();
  const events = useEventHealth();
  const failed = useFailedMailPage();
  const consumers = Object.values(events.data?.consumers ?? {});
  const waiting = consumers.reduce((sum, consumer) => sum + consumer.waiting, 0);
  const disconnected = consumers.filter((consumer) => consumer.eventBus.status !== 'up').length + (events.data?.unavailable.length ?? 0);
  const failedCount = failed.data?.items.length ?? 0;
  return (
    <Panel title={t('peopleAndPlatform')} description={t('accountsAndWhetherEvents')}>
      <ul className="grid grid-cols-2 gap-3">
        <Stat label={t('activePeople')} value={people.data ? countText(people.data) : '…'} href="/admin/users" />
        <Stat label={t('serviceAccounts')} value={pageCount(accounts.data)} href="/admin/integrations" />
      </ul>
      <ul className="mt-4 space-y-2 text-sm" aria-label={t('eventAndMailHealth')}>
        <Health
          loading={events.isPending}
          ok={!events.isError && disconnected === 0 && waiting === 0}
          text={events.isError ? t('eventsUnreadable') : disconnected > 0 ? t('servicesDisconnected', { count: disconnected }) : waiting > 0 ? t('eventsParked', { count: waiting }) : t('eventsFine')}
          href="/admin/events"
        />
        <Health
          loading={failed.isPending}
          ok={!failed.isError && failedCount === 0}
          text={failed.isError ? t('mailUnreadable') : failedCount > 0 ? t('mailFailed', { count: pageCount(failed.data) }) : t('mailFine')}
          href="/admin/mail"
        />
      </ul>
    </Panel>
  );
}

function Stat({ label, value, href }: { label: string; value: string; href: string }) {
  return (
    <li>
      <Link href={href} className="block rounded-lg border p-3 hover:border-primary/60 hover:bg-muted/30" data-testid="admin-stat">
        <span className="block text-sm text-muted-foreground">{label}</span>
        <span className="block text-2xl font-semibold tabular-nums">{value}</span>
      </Link>
    </li>
  );
}

function Health({ loading, ok, text, href }: { loading: boolean; ok: boolean; text: string; href: string }) {
  if (loading) return <Skeleton className="h-5 w-2/3" />;
  return (
    <li className="flex items-start gap-2">
      {ok ? <CircleCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden /> : <CircleAlert className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />}
      <Link href={href} className="hover:underline">
        {text}
      </Link>
    </li>
  );
}

/** The last administrative changes: who changed what, when. */
export function RecentChanges({ className }: { className?: string }) {
  const t = useTranslations('dashboard.adminHealth');
  const actionLabel = useActionLabel();
  const format = useFormat();
  const now = useNow();
  const people = useUsers({});
  const names = new Map((people.data ?? []).map((user) => [user.id, user.fullName]));
  const entries = useRecentChanges();
  const actor = (entry: AuditEntry) => (entry.actor.kind === 'system' ? t('thePlatform') : (names.get(entry.actor.id ?? '') ?? (entry.actor.kind === 'service' ? t('aServiceAccount') : t('someone'))));
  const target = (entry: AuditEntry) => (typeof entry.after?.fullName === 'string' && entry.after.fullName) || (typeof entry.after?.name === 'string' && entry.after.name) || (typeof entry.before?.name === 'string' && entry.before.name) || '';
  return (
    <Panel title={t('recentAdministrativeChanges')} href="/admin/audit" hrefLabel="Audit trail" {...(className ? { className } : {})}>
      {entries.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : (entries.data?.items ?? []).length === 0 ? (
        <p className="text-sm text-muted-foreground">{t('noAdministrativeChangeYet')}</p>
      ) : (
        <ul className="divide-y text-sm" aria-label={t('recentAdministrativeChanges')}>
          {entries.data?.items.map((entry) => (
            <li key={entry.id} className="flex min-w-0 flex-wrap items-center gap-x-2 gap-y-1 py-2">
              <Badge variant="outline">{actionLabel(entry.action)}</Badge>
              <span className="min-w-0 truncate font-medium">{target(entry)}</span>
              <span className="text-muted-foreground">
                {t('byWhen', { actor: actor(entry), when: format.relativeTime(entry.occurredAt, now) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

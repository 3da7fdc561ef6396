'use client';

import { useTranslations } from 'next-intl';
import { AlertTriangle, ArrowRightLeft, Bell, BellOff, CheckCheck, Eye, Loader2, Megaphone, MessageSquare, Paperclip, PlusCircle, Settings2, Siren, UserPlus, Zap } from 'lucide-react';
import Link from 'next/link';
import { useState } from 'react';
import { toast } from 'sonner';
import type { Notification, NotifiableEventType } from '@desk/contracts';
import { NotificationSettings } from '@/components/notification-settings';
import { EmptyState, ErrorState, LoadingRows, PageHeader, StaleNotice } from '@/components/states';
import { Button } from '@/components/ui/button';
import { SegmentedControl } from '@/components/ui/segmented-control';
import { useNotificationReads } from '@/lib/mutations/notifications';
import { useNotifications } from '@/lib/queries';
import { useNow } from '@/lib/use-now';
import { cn } from '@/lib/utils';
import { useFormat } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';

const ICONS: Record<NotifiableEventType, typeof Bell> = {
  'incident.created': PlusCircle,
  'incident.assigned': UserPlus,
  'incident.status_changed': ArrowRightLeft,
  'incident.commented': MessageSquare,
  'incident.priority_changed': Zap,
  'incident.sla_breached': AlertTriangle,
  'incident.escalated': Siren,
  'incident.attachment_added': Paperclip,
  'incident.watcher_added': Eye,
  'incident.major_declared': Siren,
  'incident.major_update_posted': Megaphone,
};

export function NotificationsPage() {
  const t = useTranslations('account.notifications');
  const describe = useDescribeError();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const notifications = useNotifications(unreadOnly);
  const now = useNow();
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];
  const unreadCount = notifications.data?.pages[0]?.unreadCount ?? 0;

  const reads = useNotificationReads();
  const showError = (error: unknown) => toast.error(describe(error).title, { description: describe(error).detail });
  const markRead = { isPending: reads.markRead.isPending, mutate: (id: string) => reads.markRead.mutate(id, { onError: showError }) };
  const markAll = {
    isPending: reads.markAll.isPending,
    mutate: () =>
      reads.markAll.mutate(undefined, {
        onSuccess: (result) => toast.success(result.updated === 1 ? t('oneNotificationMarkedAs') : t('notificationsMarkedAsRead', { updated: result.updated })),
        onError: showError,
      }),
  };

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title={t('notifications')}
        description={unreadCount > 0 ? t('unread', { unreadCount }) : t('youAreAllCaught')}
        actions={
          <div className="flex gap-2">
            <Button variant="outline" onClick={() => setSettingsOpen(true)}>
              <Settings2 />{' '}{t('settings')}
            </Button>
            <Button variant="outline" onClick={() => markAll.mutate()} disabled={markAll.isPending || unreadCount === 0}>
              {markAll.isPending ? <Loader2 className="animate-spin" /> : <CheckCheck />}
              {t('markAllAsRead')}
            </Button>
          </div>
        }
      />
      <SegmentedControl
        label={t('show')}
        className="mb-4"
        value={unreadOnly ? 'unread' : 'all'}
        onChange={(value) => setUnreadOnly(value === 'unread')}
        options={[
          { value: 'all', label: 'All' },
          { value: 'unread', label: `Unread${unreadCount > 0 ? ` (${unreadCount})` : ''}` },
        ]}
      />
      {settingsOpen ? <NotificationSettings onClose={() => setSettingsOpen(false)} /> : null}
      {notifications.isPending ? (
        <LoadingRows rows={4} />
      ) : notifications.isError && !notifications.data ? (
        <ErrorState error={notifications.error} onRetry={() => void notifications.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState icon={unreadOnly ? CheckCheck : BellOff} title={unreadOnly ? t('nothingUnread') : t('noNotificationsYet')}>
          {unreadOnly ? t('youHaveReadEverything') : t('whenSomethingHappensOn')}
        </EmptyState>
      ) : (
        <>
          <ul className="divide-y overflow-hidden rounded-xl border bg-card shadow-xs">
            {items.map((notification) => (
              <NotificationRow key={notification.id} notification={notification} now={now} onRead={() => markRead.mutate(notification.id)} />
            ))}
          </ul>
          {notifications.isError ? <StaleNotice error={notifications.error} onRetry={() => void notifications.refetch()} /> : null}
          {notifications.hasNextPage ? (
            <div className="mt-4 text-center">
              <Button variant="outline" onClick={() => void notifications.fetchNextPage()} disabled={notifications.isFetchingNextPage}>
                {notifications.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
                {t('loadMore')}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}

function NotificationRow({ notification, now, onRead }: { notification: Notification; now: number; onRead: () => void }) {
  const t = useTranslations('account.notifications');
  const format = useFormat();
  const Icon = ICONS[notification.type] ?? Bell;
  const unread = notification.readAt === null;
  return (
    <li className={cn('flex gap-4 px-4 py-4 sm:px-5', unread && 'bg-primary/[0.035]')} data-testid="notification">
      <span className={cn('mt-0.5 flex size-9 shrink-0 items-center justify-center rounded-full', notification.type === 'incident.sla_breached' || notification.type === 'incident.escalated' ? 'bg-red-50 text-red-600 dark:bg-red-950/60 dark:text-red-300' : 'bg-primary/10 text-primary')}>
        <Icon className="size-4" aria-hidden />
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex items-start justify-between gap-3">
          <Link prefetch={false} href={`/incidents/${notification.incidentKey}`} onClick={() => unread && onRead()} className={cn('text-sm hover:text-primary', unread ? 'font-semibold' : 'font-medium')}>
            {notification.headline}
          </Link>
          {unread ? <span className="mt-1.5 size-2 shrink-0 rounded-full bg-primary" role="img" aria-label={t('unread2')} /> : null}
        </div>
        {notification.detail ? <p className="mt-0.5 line-clamp-2 text-sm text-muted-foreground">{notification.detail}</p> : null}
        <div className="mt-1.5 flex items-center gap-3 text-xs text-muted-foreground">
          <span className="font-mono">{notification.incidentKey}</span>
          <span title={format.dateTime(notification.createdAt)}>{format.relativeTime(notification.createdAt, now)}</span>
          {unread ? (
            <button type="button" className="font-medium text-primary hover:underline" onClick={onRead}>
              {t('markAsRead')}
            </button>
          ) : null}
        </div>
      </div>
    </li>
  );
}

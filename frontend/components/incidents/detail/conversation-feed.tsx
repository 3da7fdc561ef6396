'use client';

import { useTranslations } from 'next-intl';
import { Loader2 } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { Attachment, Comment, Incident, TimelineEntry } from '@desk/contracts';
import { ErrorState, StaleNotice } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import type { Viewer } from '@/lib/lifecycle';
import { useComments, useTimeline } from '@/lib/queries';
import { useAttachments } from '@/lib/queries/attachments';
import { cn } from '@/lib/utils';
import { CommentItem } from './comment-item';
import { useNameOf } from './people';
import { TimelineItem } from './timeline-entry';

type Show = 'everything' | 'comments' | 'history';
const SHOW: Show[] = ['everything', 'comments', 'history'];

type FeedItem = { kind: 'comment'; at: string; comment: Comment } | { kind: 'entry'; at: string; entry: TimelineEntry };

/**
 * Comments, internal notes and the history of changes in one stream, oldest first, as they
 * happened; a filter narrows it to the words or to the changes. A comment's own timeline entry
 * is left out: the comment itself stands in its place.
 */
export function ConversationFeed({ incident, viewer, now, composer }: { incident: Incident; viewer: Viewer; now: number; composer: ReactNode }) {
  const t = useTranslations('incidents.conversationFeed');
  const [show, setShow] = useState<Show>('everything');
  const comments = useComments(incident.id);
  const timeline = useTimeline(incident.id);
  const attachments = useAttachments(incident.id);
  const nameOf = useNameOf(incident, viewer);
  const filesOf = new Map<string, Attachment[]>();
  for (const file of attachments.data?.items ?? []) if (file.commentId) filesOf.set(file.commentId, [...(filesOf.get(file.commentId) ?? []), file]);

  const items: FeedItem[] = [];
  if (show !== 'history') for (const comment of comments.data?.pages.flatMap((page) => page.items) ?? []) items.push({ kind: 'comment', at: comment.createdAt, comment });
  if (show !== 'comments') {
    // A comment, and a file attached to one, show as the comment itself, except in the history alone.
    const withComment = (entry: TimelineEntry) => entry.action === 'commented' || (entry.action === 'attachment_added' && Boolean((entry.newValue as { commentId?: string } | null)?.commentId));
    for (const entry of timeline.data?.pages.flatMap((page) => page.items) ?? []) if (!withComment(entry) || show === 'history') items.push({ kind: 'entry', at: entry.createdAt, entry });
  }
  items.sort((left, right) => Date.parse(left.at) - Date.parse(right.at));

  const pending = (show !== 'history' && comments.isPending) || (show !== 'comments' && timeline.isPending);
  const failed = [comments, timeline].find((query) => query.isError && !query.data);
  const stale = [comments, timeline].find((query) => query.isError && query.data);

  return (
    <Card className="gap-0 py-0">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b px-4 py-3 sm:px-6">
        <h2 className="font-semibold">{t('conversation')}</h2>
        {/* A filter of one list, not tabs of separate panels: pressed buttons say which is on. */}
        <div role="group" aria-label={t('show')} className="inline-flex rounded-lg bg-muted p-[3px]">
          {SHOW.map((value) => (
            <button
              key={value}
              type="button"
              aria-pressed={show === value}
              onClick={() => setShow(value)}
              className={cn(
                'rounded-md px-2.5 py-1 text-sm font-medium text-muted-foreground transition-colors focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none',
                show === value && 'bg-background text-foreground shadow-sm',
              )}
            >
              {t(`filter.${value}`)}
            </button>
          ))}
        </div>
      </div>
      <CardContent className="px-0">
        {pending ? (
          <div className="space-y-3 p-6">
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-16 w-3/4" />
          </div>
        ) : failed ? (
          <div className="p-6">
            <ErrorState error={failed.error} onRetry={() => void failed.refetch()} />
          </div>
        ) : items.length === 0 ? (
          <div className="px-6 py-10 text-center text-sm text-muted-foreground">
            {show === 'history' ? t('noChangesYet') : t('noCommentsYetAsk')}
          </div>
        ) : (
          <ol className="divide-y" aria-label={t('conversationAndHistory')}>
            {items.map((item) =>
              item.kind === 'comment' ? (
                <CommentItem key={`c-${item.comment.id}`} comment={item.comment} author={nameOf(item.comment.authorId)} now={now} files={filesOf.get(item.comment.id)} nameOf={nameOf} />
              ) : (
                <TimelineItem key={`t-${item.entry.id}`} entry={item.entry} nameOf={nameOf} viewerId={viewer.id} now={now} />
              ),
            )}
          </ol>
        )}
        {stale ? <StaleNotice error={stale.error} onRetry={() => void stale.refetch()} /> : null}
        {(comments.hasNextPage && show !== 'history') || (timeline.hasNextPage && show !== 'comments') ? (
          <div className="border-t p-3 text-center">
            <Button
              variant="ghost"
              size="sm"
              disabled={comments.isFetchingNextPage || timeline.isFetchingNextPage}
              onClick={() => {
                if (comments.hasNextPage) void comments.fetchNextPage();
                if (timeline.hasNextPage) void timeline.fetchNextPage();
              }}
            >
              {comments.isFetchingNextPage || timeline.isFetchingNextPage ? <Loader2 className="animate-spin" /> : null}
              {t('showMore')}
            </Button>
          </div>
        ) : null}
        {composer}
      </CardContent>
    </Card>
  );
}

'use client';

import { useTranslations } from 'next-intl';
import { Lock } from 'lucide-react';
import type { Attachment, Comment } from '@desk/contracts';
import { Badge } from '@/components/ui/badge';
import { sentence } from '@/lib/form-errors';
import { initials } from '@/lib/format';
import { useUser } from '@/lib/session';
import { cn } from '@/lib/utils';
import { AttachmentChip } from './attachment-chip';
import { MentionText } from './mention-textarea';
import { useFormat } from '@/lib/i18n/use-format';

/** A comment, or an internal note (tinted, and marked as hidden from the reporter). */
export function CommentItem({ comment, author, now, files = [], nameOf }: { comment: Comment; author: string; now: number; files?: readonly Attachment[]; nameOf: (id: string) => string }) {
  const t = useTranslations('incidents.commentItem');
  const format = useFormat();
  const user = useUser();
  return (
    <li className={cn('flex gap-3 px-4 py-4 sm:px-6', comment.isInternal && 'bg-amber-50/70 dark:bg-amber-950/30')} data-testid={comment.isInternal ? 'internal-note' : 'comment'}>
      <span
        className={cn(
          'flex size-8 shrink-0 items-center justify-center rounded-full text-xs font-semibold',
          comment.isInternal ? 'bg-amber-100 text-amber-800 dark:bg-amber-900/60 dark:text-amber-200' : 'bg-primary/10 text-primary',
        )}
        aria-hidden
      >
        {initials(comment.authorId === user.id ? user.fullName : author)}
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <span className="font-medium">{sentence(author)}</span>
          {comment.isInternal ? (
            <Badge variant="outline" className="gap-1 border-amber-300 bg-amber-100/60 text-amber-800 dark:border-amber-700 dark:bg-amber-900/40 dark:text-amber-200">
              <Lock />{' '}{t('internalNote')}
            </Badge>
          ) : null}
          <span className="text-xs text-muted-foreground" title={format.dateTime(comment.createdAt)}>
            {format.relativeTime(comment.createdAt, now)}
          </span>
        </div>
        <p className="mt-1 text-sm leading-relaxed whitespace-pre-wrap [overflow-wrap:anywhere]">
          <MentionText text={comment.content} nameOf={(id) => (id === user.id ? user.fullName : nameOf(id))} />
        </p>
        {files.length > 0 ? (
          <div className="mt-2 flex flex-wrap gap-2" aria-label={t('filesOfThisComment')}>
            {files.map((file) => (
              <AttachmentChip key={file.id} attachment={file} />
            ))}
          </div>
        ) : null}
      </div>
    </li>
  );
}

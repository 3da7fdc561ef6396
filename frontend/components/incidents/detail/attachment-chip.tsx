'use client';

import { useTranslations } from 'next-intl';
import { Download, Lock, Paperclip } from 'lucide-react';
import type { Attachment } from '@desk/contracts';
import { useDownloadAttachment } from '@/lib/mutations/attachments';
import { useFormat } from '@/lib/i18n/use-format';

/** A file attached to a comment, under its text: its name and size, and a download when it may be. */
export function AttachmentChip({ attachment }: { attachment: Attachment }) {
  const t = useTranslations('incidents.attachmentChip');
  const format = useFormat();
  const download = useDownloadAttachment();
  const content = (
    <>
      {attachment.isInternal ? <Lock className="size-3.5 shrink-0" aria-hidden /> : <Paperclip className="size-3.5 shrink-0" aria-hidden />}
      <span className="truncate">{attachment.fileName}</span>
      <span className="shrink-0 text-muted-foreground">{format.bytes(attachment.sizeBytes)}</span>
      {attachment.contentUrl ? <Download className="size-3.5 shrink-0" aria-hidden /> : null}
    </>
  );
  const className = 'inline-flex max-w-full items-center gap-1.5 rounded-md border bg-background px-2 py-1 text-xs';
  if (!attachment.contentUrl) {
    return (
      <span className={className} title={attachment.status === 'scanning' ? t('beingCheckedForMalware') : t('removedMalwareFound')}>
        {content}
      </span>
    );
  }
  return (
    <button
      type="button"
      className={`${className} hover:bg-muted focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none`}
      disabled={download.isPending}
      onClick={() => download.mutate(attachment)}
    >
      <span className="sr-only">{t('download')}{' '}</span>
      {content}
    </button>
  );
}

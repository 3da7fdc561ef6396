'use client';

import { useTranslations } from 'next-intl';
import { Download, FileArchive, FileImage, FileText, Loader2, Lock, Paperclip, ShieldAlert, ShieldQuestion, Trash2, Upload, X } from 'lucide-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { toast } from 'sonner';
import { ATTACHMENT_ACCEPT, type Attachment, type Incident } from '@desk/contracts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Label } from '@/components/ui/label';
import { Switch } from '@/components/ui/switch';
import { mayWriteInternalNotes, type Viewer } from '@/lib/lifecycle';
import { useDeleteAttachment, useDownloadAttachment, useUploadAttachment } from '@/lib/mutations/attachments';
import { useAttachments, useThumbnail } from '@/lib/queries/attachments';
import { cn } from '@/lib/utils';
import { useNameOf } from './people';
import { useFormat } from '@/lib/i18n/use-format';
import { useDescribeError } from '@/lib/i18n/errors';


interface Upload {
  id: string;
  name: string;
  size: number;
  progress: number;
  controller: AbortController;
}

function FileIcon({ attachment }: { attachment: Attachment }) {
  if (attachment.contentType.startsWith('image/')) return <FileImage className="size-8 text-muted-foreground" aria-hidden />;
  if (/zip|gzip/.test(attachment.contentType)) return <FileArchive className="size-8 text-muted-foreground" aria-hidden />;
  return <FileText className="size-8 text-muted-foreground" aria-hidden />;
}

function Preview({ attachment }: { attachment: Attachment }) {
  const thumbnail = useThumbnail(attachment);
  if (thumbnail.data) {
    // An object URL of the platform's own WebP thumbnail.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={thumbnail.data} alt="" className="size-12 shrink-0 rounded border object-cover" />;
  }
  return (
    <span className="flex size-12 shrink-0 items-center justify-center rounded border bg-muted/40">
      <FileIcon attachment={attachment} />
    </span>
  );
}

/** Files on the incident and its comments: download, delete (uploader or the department), attach by picking or dropping, with progress. */
export function AttachmentsCard({ incident, viewer }: { incident: Incident; viewer: Viewer }) {
  const t = useTranslations('incidents.attachmentsCard');
  const describe = useDescribeError();
  const format = useFormat();
  const attachments = useAttachments(incident.id);
  const upload = useUploadAttachment(incident);
  const remove = useDeleteAttachment(incident);
  const download = useDownloadAttachment();
  const nameOf = useNameOf(incident, viewer);
  const mayInternal = mayWriteInternalNotes(viewer, incident);
  const [internal, setInternal] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const [confirming, setConfirming] = useState<Attachment | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const switchId = useId();
  const items = attachments.data?.items ?? [];

  const send = (files: FileList | File[]) => {
    for (const file of Array.from(files)) {
      const entry: Upload = { id: crypto.randomUUID(), name: file.name, size: file.size, progress: 0, controller: new AbortController() };
      setUploads((current) => [...current, entry]);
      // Each file's own outcome: mutate()'s callbacks would fire for the last call only.
      upload
        .mutateAsync({
          file,
          isInternal: mayInternal && internal,
          signal: entry.controller.signal,
          onProgress: (fraction) => setUploads((current) => current.map((each) => (each.id === entry.id ? { ...each, progress: fraction } : each))),
        })
        .then(
          (attachment) => toast.success(t('isAttached', { fileName: attachment.fileName }), attachment.status === 'scanning' ? { description: t('scanning') } : {}),
          (error: unknown) => {
            if (entry.controller.signal.aborted) return;
            const { title, detail } = describe(error);
            toast.error(t('wasNotAttached', { name: file.name, title }), { description: detail });
          },
        )
        .finally(() => setUploads((current) => current.filter((each) => each.id !== entry.id)));
    }
  };

  const dropped = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer.files.length > 0) send(event.dataTransfer.files);
  };

  return (
    <Card
      className={cn('gap-3', dragging && 'ring-2 ring-primary')}
      data-testid="attachments"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={dropped}
    >
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2">
        <CardTitle className="flex items-center gap-2">
          <Paperclip className="size-4" aria-hidden />{' '}{t('files')}{items.length > 0 ? <span className="text-muted-foreground">({items.length})</span> : null}
        </CardTitle>
        <div className="flex flex-wrap items-center gap-3">
          {mayInternal ? (
            <div className="flex items-center gap-2">
              <Switch id={switchId} checked={internal} onCheckedChange={setInternal} />
              <Label htmlFor={switchId} className="font-normal">
                <Lock className="size-3.5" />{' '}{t('internal')}
              </Label>
            </div>
          ) : null}
          <Button variant="outline" size="sm" onClick={() => picker.current?.click()}>
            <Upload />{' '}{t('attachFiles')}
          </Button>
          <input
            ref={picker}
            type="file"
            multiple
            accept={ATTACHMENT_ACCEPT}
            className="sr-only"
            tabIndex={-1}
            aria-label={t('filesToAttach')}
            data-testid="attachment-input"
            onChange={(event) => {
              if (event.target.files) send(event.target.files);
              event.target.value = '';
            }}
          />
        </div>
      </CardHeader>
      <CardContent className="space-y-2">
        {uploads.map((entry) => (
          <div key={entry.id} className="flex items-center gap-3 rounded-md border p-2" data-testid="upload-progress">
            <Loader2 className="size-4 shrink-0 animate-spin text-muted-foreground" aria-hidden />
            <div className="min-w-0 flex-1">
              <p className="truncate text-sm">{entry.name}</p>
              <div className="mt-1 h-1.5 overflow-hidden rounded bg-muted" role="progressbar" aria-label={t('uploading', { name: entry.name })} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(entry.progress * 100)}>
                <div className="h-full bg-primary transition-[width]" style={{ width: `${Math.round(entry.progress * 100)}%` }} />
              </div>
            </div>
            <span className="text-xs text-muted-foreground tabular-nums">
              {t('progress', { percent: format.percent(entry.progress), size: format.bytes(entry.size) })}
            </span>
            <Button variant="ghost" size="icon" aria-label={t('cancelUploading', { name: entry.name })} onClick={() => entry.controller.abort()}>
              <X />
            </Button>
          </div>
        ))}
        {items.length === 0 && uploads.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {attachments.isPending ? t('loadingFiles') : t('noFilesYetAttach')}
          </p>
        ) : null}
        <ul className="space-y-2">
          {items.map((attachment) => {
            const mayDelete = attachment.uploadedById === viewer.id || mayInternal;
            return (
              <li key={attachment.id} className={cn('flex items-center gap-3 rounded-md border p-2', attachment.isInternal && 'bg-amber-50/60 dark:bg-amber-950/30')} data-testid="attachment">
                <Preview attachment={attachment} />
                <div className="min-w-0 flex-1">
                  <p className="truncate text-sm font-medium [overflow-wrap:anywhere]">{attachment.fileName}</p>
                  <p className="text-xs text-muted-foreground">
                    {format.bytes(attachment.sizeBytes)} · {nameOf(attachment.uploadedById)} · {format.dateTime(attachment.createdAt)}
                    {attachment.commentId ? t('onAComment') : ''}
                  </p>
                  <div className="mt-1 flex flex-wrap gap-1">
                    {attachment.isInternal ? (
                      <Badge variant="outline" className="gap-1">
                        <Lock className="size-3" />{' '}{t('internal')}
                      </Badge>
                    ) : null}
                    {attachment.status === 'scanning' ? (
                      <Badge variant="outline" className="gap-1">
                        <ShieldQuestion className="size-3" />{' '}{t('beingCheckedForMalware')}
                      </Badge>
                    ) : null}
                    {attachment.status === 'infected' ? (
                      <Badge variant="destructive" className="gap-1">
                        <ShieldAlert className="size-3" />{' '}{t('malwareFoundRemoved')}
                      </Badge>
                    ) : null}
                  </div>
                </div>
                {attachment.contentUrl ? (
                  <Button
                    variant="ghost"
                    size="icon"
                    aria-label={t('download', { fileName: attachment.fileName })}
                    disabled={download.isPending}
                    onClick={() => download.mutate(attachment)}
                  >
                    <Download />
                  </Button>
                ) : null}
                {mayDelete ? (
                  <Button variant="ghost" size="icon" aria-label={t('delete', { fileName: attachment.fileName })} onClick={() => setConfirming(attachment)}>
                    <Trash2 />
                  </Button>
                ) : null}
              </li>
            );
          })}
        </ul>
      </CardContent>
      <Dialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{t('delete2', { fileName: confirming?.fileName ?? '' })}</DialogTitle>
            <DialogDescription>{t('theFileIsRemoved')}</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setConfirming(null)}>
              {t('cancel')}
            </Button>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() =>
                confirming &&
                remove.mutate(confirming, {
                  onSuccess: () => {
                    toast.success(t('isDeleted', { fileName: confirming.fileName }));
                    setConfirming(null);
                  },
                  onError: (error) => {
                    const { title, detail } = describe(error);
                    toast.error(title, { description: detail });
                  },
                })
              }
            >
              {remove.isPending ? <Loader2 className="animate-spin" /> : <Trash2 />}{' '}{t('delete3')}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </Card>
  );
}

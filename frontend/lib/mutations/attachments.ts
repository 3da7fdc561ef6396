'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Attachment, Incident } from '@desk/contracts';
import { useErrorToast } from '@/lib/i18n/errors';
import { keys } from '@/lib/queries';
import { useApi } from '@/lib/session';
import { traceAction } from '@/lib/telemetry/actions';

// Files on an incident: uploads with their progress, downloads, deletions, and what each refreshes.

export interface UploadRequest {
  file: File;
  isInternal?: boolean;
  commentId?: string;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Uploads one file; the form fields go before the file, as the API wants. */
export function useUploadAttachment(incident: Pick<Incident, 'id' | 'key'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, isInternal, commentId, onProgress, signal }: UploadRequest) => {
      const form = new FormData();
      if (isInternal) form.append('isInternal', 'true');
      if (commentId) form.append('commentId', commentId);
      form.append('file', file, file.name);
      return traceAction('Attach a file', () =>
        api.upload<Attachment>(`/incidents/${incident.id}/attachments`, form, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress: (sent, total) => onProgress(total > 0 ? sent / total : 0) } : {}) }),
      );
    },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.attachments(incident.id) });
      void queryClient.invalidateQueries({ queryKey: keys.timeline(incident.id) });
    },
  });
}

export function useDeleteAttachment(incident: Pick<Incident, 'id' | 'key'>) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (attachment: Pick<Attachment, 'id'>) => traceAction('Delete an attachment', () => api.json<void>(`/attachments/${attachment.id}`, { method: 'DELETE' })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: keys.attachments(incident.id) });
      void queryClient.invalidateQueries({ queryKey: keys.timeline(incident.id) });
    },
  });
}

/**
 * Downloads a file as the browser saves files: fetched with the access token (a plain link
 * cannot carry it), then handed to the browser under its name. The API serves it as an
 * attachment, never for the page to render.
 */
export function useDownloadAttachment() {
  const failed = useErrorToast();
  const api = useApi();
  return useMutation({
    mutationFn: async (attachment: Pick<Attachment, 'contentUrl' | 'fileName'>) => {
      if (!attachment.contentUrl) throw new Error('This file cannot be downloaded.');
      const blob = await traceAction('Download an attachment', async () => (await api.send(attachment.contentUrl!, { headers: { Accept: '*/*' } })).blob());
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = attachment.fileName;
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    onError: failed,
  });
}

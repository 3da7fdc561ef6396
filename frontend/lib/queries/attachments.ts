'use client';

import { useQuery } from '@tanstack/react-query';
import type { Attachment, AttachmentList } from '@desk/contracts';
import { useApi } from '../session';
import { keys } from './keys';

/** An incident's attachments the viewer may see; while one is being scanned, asked again every few seconds. */
export function useAttachments(incidentId: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: keys.attachments(incidentId ?? ''),
    enabled: Boolean(incidentId),
    queryFn: ({ signal }) => api.json<AttachmentList>(`/incidents/${incidentId}/attachments`, { signal }),
    refetchInterval: (query) => (query.state.data?.items.some((item) => item.status === 'scanning' || (item.contentType.startsWith('image/') && item.status === 'available' && !item.thumbnailUrl && Date.now() - Date.parse(item.createdAt) < 60_000)) ? 3_000 : false),
  });
}

/**
 * An image attachment's thumbnail as an object URL. The API wants the access token, which an
 * <img src> cannot send, so it is fetched and kept as a blob; the URL is let go when the query
 * leaves the cache.
 */
export function useThumbnail(attachment: Pick<Attachment, 'id' | 'thumbnailUrl'>) {
  const api = useApi();
  return useQuery({
    queryKey: keys.thumbnail(attachment.id),
    enabled: Boolean(attachment.thumbnailUrl),
    staleTime: Infinity,
    gcTime: 10 * 60_000,
    queryFn: async ({ signal }) => URL.createObjectURL(await (await api.send(attachment.thumbnailUrl!, { signal, headers: { Accept: 'image/webp' } })).blob()),
  });
}

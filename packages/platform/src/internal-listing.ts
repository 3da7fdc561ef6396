import { z } from 'zod';

export interface InternalListingOptions<Item> {
  /** The owning service, e.g. identity-service's base URL. */
  baseUrl: string;
  /** An `/internal/...` listing that pages `{ items, nextCursor }` and takes `updatedSince`. */
  path: string;
  item: z.ZodType<Item>;
  /** INTERNAL_API_TOKEN, when the owner requires one. */
  token?: string | undefined;
  /** Only what changed at or after this instant (inclusive); everything when absent. */
  updatedSince?: string | null;
  limit?: number;
  timeoutMs?: number;
}

/**
 * Reads an owner's internal listing page by page, for a service rebuilding or catching up a
 * replica: each page is parsed with the item schema before it is handed over, so a replica never
 * takes in what it does not understand. Fails with the owner's status when it refuses.
 */
export async function* internalListing<Item>(options: InternalListingOptions<Item>): AsyncGenerator<Item[]> {
  const headers: Record<string, string> = options.token ? { Authorization: `Bearer ${options.token}` } : {};
  const pageSchema = z.object({ items: z.array(options.item), nextCursor: z.string().nullable() });
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(options.limit ?? 1000) });
    if (options.updatedSince) query.set('updatedSince', options.updatedSince);
    if (cursor) query.set('cursor', cursor);
    const url = new URL(`${options.path}?${query.toString()}`, options.baseUrl);
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    if (!response.ok) throw new Error(`${url.origin} answered ${response.status} to GET ${options.path}`);
    const page: z.infer<typeof pageSchema> = pageSchema.parse(await response.json());
    yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

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
 * An owner stamps a change when its statement runs (`updated_at = clock_timestamp()`); the change
 * becomes visible when its transaction commits, moments later. A catch-up that saw a later change
 * may not have seen it yet, so catch-ups start this long before the newest change they hold;
 * rows fetched again change nothing (replicas keep the highest version). The owners' sessions
 * end idle transactions after 15 s (`idle_in_transaction_session_timeout`), well inside it.
 */
export const CATCH_UP_OVERLAP_MS = 60_000;

/** Where a catch-up starts: the newest change held less the overlap; null (everything) when none is held. */
export function catchUpFrom(newestHeld: string | null, overlapMs = CATCH_UP_OVERLAP_MS): string | null {
  return newestHeld === null ? null : new Date(Date.parse(newestHeld) - overlapMs).toISOString();
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

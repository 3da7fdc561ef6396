import { z } from 'zod';

export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 25;

/** `limit` and `cursor` query parameters shared by every list endpoint. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT).describe('Items per page.'),
  cursor: z.string().min(1).max(512).optional().describe('The `nextCursor` of the previous page, with the same filters.'),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

/** A page of a keyset-paginated list: `nextCursor` is null on the last page. */
export function pageSchema<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

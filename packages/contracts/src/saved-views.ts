import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';

// A person's saved views of the incident list: a name and the list's filters, as the query of
// the list's address (`status=OPEN,IN_PROGRESS&assignee=me`), so a view is a link. Each person
// sees, renames and deletes only their own.

/** How many views one person keeps. */
export const SAVED_VIEWS_PER_PERSON = 50;

export const savedViewNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(60, { error: 'must be at most 60 characters' });

/**
 * The list's filters as a URL query, without the `?`: only the characters URLSearchParams writes
 * (letters, digits, `%`-escapes, `+`, `=`, `&` and `*-._~,`), so it can only ever be a query.
 */
export const savedViewQuerySchema = z
  .string()
  .max(1000, { error: 'must be at most 1000 characters' })
  .regex(/^[A-Za-z0-9*._~%+=&,-]*$/, { error: 'must be a URL query such as status=OPEN&priority=HIGH, without the ?' });

export const savedViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  query: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const savedViewListSchema = z.object({ items: z.array(savedViewSchema) });

export const createSavedViewBodySchema = z.strictObject({
  name: savedViewNameSchema,
  query: savedViewQuerySchema,
});
export type CreateSavedViewBody = z.infer<typeof createSavedViewBodySchema>;

export const updateSavedViewBodySchema = z
  .strictObject({
    name: savedViewNameSchema.optional(),
    query: savedViewQuerySchema.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'give a name or a query to change' });
export type UpdateSavedViewBody = z.infer<typeof updateSavedViewBodySchema>;

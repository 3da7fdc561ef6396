import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';

// Satisfaction: the reporter of a resolved or closed incident rates it, 1 to 5 with an optional
// comment, changeable for 7 days after the first rating.

/** How long a rating can be changed after it was first given. */
export const SATISFACTION_CHANGE_DAYS = 7;

export const satisfactionRatingSchema = z
  .number({ error: 'must be a whole number from 1 to 5' })
  .int({ error: 'must be a whole number from 1 to 5' })
  .min(1, { error: 'must be a whole number from 1 to 5' })
  .max(5, { error: 'must be a whole number from 1 to 5' });

export const putSatisfactionBodySchema = z.strictObject({
  rating: satisfactionRatingSchema.describe('1 (very dissatisfied) to 5 (very satisfied).'),
  comment: z.string().trim().max(2000).nullable().optional().describe('What went well or did not; leave it out to keep the one given before, null to remove it.'),
});
export type PutSatisfactionBody = z.infer<typeof putSatisfactionBodySchema>;

/** An incident's rating as its reporter gave it, and whether the caller may (still) give or change it. */
export const satisfactionSchema = z.object({
  incidentId: z.uuid(),
  incidentKey: z.string(),
  rating: satisfactionRatingSchema.nullable(),
  comment: z.string().nullable(),
  ratedAt: timestamp.nullable(),
  updatedAt: timestamp.nullable(),
  /** Until when the rating can be changed; null before the first rating. */
  changeableUntil: timestamp.nullable(),
  /** Whether the caller may rate it now: its reporter, once it is resolved or closed, within the window. */
  canRate: z.boolean(),
});
export type Satisfaction = z.infer<typeof satisfactionSchema>;


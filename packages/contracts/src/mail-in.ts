import { z } from 'zod';
import { pageQuerySchema, pageSchema } from './pagination.js';

/**
 * What became of a mail to the desk: `received` (kept, being filed), `awaiting_sender` (from an
 * address still registering), `filed` (an incident or a comment), `ignored` (automatic mail:
 * bounces, out-of-office, bulk), `rejected` (could not be filed, `outcome` says why).
 */
export const INBOUND_MAIL_STATUSES = ['received', 'awaiting_sender', 'filed', 'ignored', 'rejected'] as const;
export const inboundMailStatusSchema = z.enum(INBOUND_MAIL_STATUSES);
export type InboundMailStatus = z.infer<typeof inboundMailStatusSchema>;

export const inboundMailSchema = z.object({
  id: z.uuid(),
  messageId: z.string(),
  recipient: z.string(),
  sender: z.string(),
  senderName: z.string().nullable(),
  subject: z.string(),
  sizeBytes: z.number().int(),
  status: inboundMailStatusSchema,
  /**
   * `incident` or `comment` when filed; for ignored mail, why (`bounce`, `auto-submitted`,
   * `auto-reply`, `bulk`, `own-mail`); for rejected mail, why (`no-category`,
   * `sender-has-no-active-account`, `sender-never-registered`, `empty-reply`, a problem code).
   */
  outcome: z.string().nullable(),
  incidentId: z.uuid().nullable(),
  incidentKey: z.string().nullable(),
  commentId: z.uuid().nullable(),
  attachmentCount: z.number().int(),
  attachmentsFiled: z.number().int(),
  /** Attachments the desk did not take (type, size), and why. */
  skippedAttachments: z.array(z.object({ fileName: z.string().nullable(), code: z.string(), detail: z.string().nullable() })),
  attempts: z.number().int(),
  /** Why the last attempt to file it failed, while it is tried again. */
  lastError: z.string().nullable(),
  receivedAt: z.iso.datetime({ offset: true }),
  filedAt: z.iso.datetime({ offset: true }).nullable(),
});
export type InboundMail = z.infer<typeof inboundMailSchema>;

export const listInboundMailsQuerySchema = pageQuerySchema.extend({
  status: inboundMailStatusSchema.optional().describe('Only mails in this state.'),
  sender: z.string().trim().toLowerCase().min(1).max(254).optional().describe('Only mails from this address.'),
});
export type ListInboundMailsQuery = z.infer<typeof listInboundMailsQuerySchema>;

export const inboundMailPageSchema = pageSchema(inboundMailSchema);

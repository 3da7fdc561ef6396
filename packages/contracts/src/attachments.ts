import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';

// Files on incidents and on their comments: screenshots, logs, exports.

/**
 * The types an attachment may have, by the media type its content is recognised as (its first
 * bytes; text has none, so it is recognised by being valid UTF-8 without control characters).
 * The name's extension must be one of the type's. HTML, SVG and scripts are never accepted:
 * nothing stored here can run in a browser.
 */
export const ATTACHMENT_TYPES = {
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'application/pdf': ['pdf'],
  'application/zip': ['zip'],
  'application/gzip': ['gz', 'tgz'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/vnd.oasis.opendocument.text': ['odt'],
  'application/vnd.oasis.opendocument.spreadsheet': ['ods'],
  'text/plain': ['txt', 'log', 'csv', 'json', 'xml', 'yaml', 'yml', 'md', 'conf', 'cfg', 'ini', 'eml'],
} as const satisfies Record<string, readonly string[]>;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** Every accepted extension, as a file picker's `accept` takes them (`.png,.jpg,…`); the API checks the content too. */
export const ATTACHMENT_ACCEPT = Object.values(ATTACHMENT_TYPES)
  .flat()
  .map((extension) => `.${extension}`)
  .join(',');

/** Images the platform makes a thumbnail of. */
export const THUMBNAIL_TYPES: readonly AttachmentType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * `scanning`: held until the malware scanner has read it (only when a scanner is configured);
 * `available`: may be downloaded; `infected`: the scanner found something, the content is gone.
 */
export const ATTACHMENT_STATUSES = ['scanning', 'available', 'infected'] as const;
export const attachmentStatusSchema = z.enum(ATTACHMENT_STATUSES);
export type AttachmentStatus = z.infer<typeof attachmentStatusSchema>;

export const attachmentSchema = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  /** The comment or internal note it belongs to; null: the incident's own. */
  commentId: z.uuid().nullable(),
  fileName: z.string(),
  /** The type its content was recognised as (what a download is served as). */
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  /** Hex SHA-256 of the content, for checking a download. */
  sha256: z.string(),
  /** Internal: only the department's staff, its managers and admins see it, by any route. */
  isInternal: z.boolean(),
  status: attachmentStatusSchema,
  /** What the scanner reported, for an infected file. */
  statusReason: z.string().nullable(),
  uploadedById: z.uuid(),
  createdAt: timestamp,
  /** The content, downloaded as a file (`Content-Disposition: attachment`); null while scanning or once infected. */
  contentUrl: z.string().nullable(),
  /** A small WebP preview of an image; null for other types and until it is made. */
  thumbnailUrl: z.string().nullable(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const attachmentListSchema = z.object({ items: z.array(attachmentSchema) });
export type AttachmentList = z.infer<typeof attachmentListSchema>;

/**
 * The form fields of an upload (`multipart/form-data`), as the route reads them; `file` is the
 * file part itself. Described for the API reference; the route checks each field as it arrives.
 */
export const attachmentUploadSchema = z.object({
  file: z.string().meta({ format: 'binary' }).describe('The file; its name is the part\'s filename. One file per request.'),
  isInternal: z.enum(['true', 'false']).optional().describe('`true` makes it internal (staff, managers and admins of the department only). An attachment of an internal note is internal whatever this says.'),
  commentId: z.uuid().optional().describe('Attach it to this comment or internal note of the incident (sent by the uploader).'),
});

/** Form fields the upload takes, before the file. */
export const attachmentFieldsSchema = z.strictObject({
  isInternal: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  commentId: z.uuid({ error: 'must be the id of a comment on this incident' }).optional(),
});

import type { Attachment, AttachmentStatus } from '@desk/contracts';
import type { Knex } from 'knex';

type Db = Knex | Knex.Transaction;

export interface AttachmentRow {
  id: string;
  incident_id: string;
  comment_id: string | null;
  uploaded_by: string;
  file_name: string;
  content_type: string;
  size_bytes: string | number;
  sha256: string;
  is_internal: boolean;
  storage_key: string;
  thumbnail_key: string | null;
  status: AttachmentStatus;
  status_reason: string | null;
  processed_at: Date | null;
  processing_attempts: number;
  created_at: Date;
}

export function toAttachment(row: AttachmentRow): Attachment {
  const available = row.status === 'available';
  return {
    id: row.id,
    incidentId: row.incident_id,
    commentId: row.comment_id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    isInternal: row.is_internal,
    status: row.status,
    statusReason: row.status_reason,
    uploadedById: row.uploaded_by,
    createdAt: row.created_at.toISOString(),
    contentUrl: available ? `/attachments/${row.id}/content` : null,
    thumbnailUrl: available && row.thumbnail_key ? `/attachments/${row.id}/thumbnail` : null,
  };
}

/** What events carry about an attachment. */
export function attachmentSnapshot(row: AttachmentRow) {
  return {
    id: row.id,
    commentId: row.comment_id,
    fileName: row.file_name,
    contentType: row.content_type,
    sizeBytes: Number(row.size_bytes),
    isInternal: row.is_internal,
    uploadedById: row.uploaded_by,
  };
}

export async function insertAttachment(trx: Knex.Transaction, row: Omit<AttachmentRow, 'thumbnail_key' | 'status_reason' | 'processed_at' | 'processing_attempts' | 'created_at'> & { processed_at: Date | null; created_at?: Date }): Promise<AttachmentRow> {
  const inserted = await trx('attachments').insert(row).returning<AttachmentRow[]>('*');
  return inserted[0]!;
}

export async function listIncidentAttachments(db: Db, incidentId: string, includeInternal: boolean): Promise<AttachmentRow[]> {
  const query = db('attachments').select<AttachmentRow[]>('*').where('incident_id', incidentId).orderBy([{ column: 'created_at' }, { column: 'id' }]);
  if (!includeInternal) query.where('is_internal', false);
  return query;
}

export async function findAttachment(db: Db, id: string): Promise<AttachmentRow | undefined> {
  return db('attachments').select('*').where({ id }).first<AttachmentRow | undefined>();
}

/** Forgets an attachment and queues its objects for removal from the store, in the caller's transaction. */
export async function forgetAttachment(trx: Knex.Transaction, row: AttachmentRow): Promise<void> {
  await trx('attachments').where({ id: row.id }).delete();
  await queueObjectDeletion(trx, [row.storage_key, row.thumbnail_key]);
}

export async function queueObjectDeletion(trx: Db, keys: (string | null)[]): Promise<void> {
  const present = keys.filter((key): key is string => key !== null);
  if (present.length > 0) await trx('attachment_deletions').insert(present.map((key) => ({ storage_key: key })));
}

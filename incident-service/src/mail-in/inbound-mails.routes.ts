import { requireRole } from '@desk/auth';
import { incidentKey, listInboundMailsQuerySchema, type InboundMail } from '@desk/contracts';
import { decodeCursor, parseInput, postgresTimestampText, toPage } from '@desk/platform';
import { Router } from 'express';
import { z } from 'zod';
import type { IncidentDependencies } from '../dependencies.js';

interface InboundMailRow {
  id: string;
  message_id: string;
  recipient: string;
  sender: string;
  sender_name: string | null;
  subject: string;
  size_bytes: number;
  status: InboundMail['status'];
  outcome: string | null;
  incident_id: string | null;
  incident_number: string | null;
  comment_id: string | null;
  attachment_count: number;
  attachments_done: number;
  skipped_attachments: InboundMail['skippedAttachments'];
  attempts: number;
  last_error: string | null;
  received_at: Date;
  position_time: string;
  filed_at: Date | null;
}

const cursorSchema = z.object({ t: postgresTimestampText, id: z.uuid() });

function toInboundMail(row: InboundMailRow): InboundMail {
  return {
    id: row.id,
    messageId: row.message_id,
    recipient: row.recipient,
    sender: row.sender,
    senderName: row.sender_name,
    subject: row.subject,
    sizeBytes: row.size_bytes,
    status: row.status,
    outcome: row.outcome,
    incidentId: row.incident_id,
    incidentKey: row.incident_number ? incidentKey(row.incident_number) : null,
    commentId: row.comment_id,
    attachmentCount: row.attachment_count,
    attachmentsFiled: Math.min(row.attachments_done, row.attachment_count) - row.skipped_attachments.length,
    skippedAttachments: row.skipped_attachments,
    attempts: row.attempts,
    lastError: row.last_error,
    receivedAt: row.received_at.toISOString(),
    filedAt: row.filed_at?.toISOString() ?? null,
  };
}

/** `/inbound-mails`: what became of each mail to the desk, newest first (admins). */
export function inboundMailsRouter(deps: IncidentDependencies): Router {
  const router = Router();
  router.get('/', requireRole('admin'), async (request, response) => {
    const query = parseInput(listInboundMailsQuerySchema, request.query, 'query');
    const after = query.cursor ? decodeCursor(cursorSchema, query.cursor) : undefined;
    const listing = deps
      .db('inbound_mails as m')
      .leftJoin('incidents as i', 'i.id', 'm.incident_id')
      .select(
        'm.id', 'm.message_id', 'm.recipient', 'm.sender', 'm.sender_name', 'm.subject', 'm.size_bytes', 'm.status', 'm.outcome', 'm.incident_id',
        'i.number as incident_number', 'm.comment_id', 'm.attachment_count', 'm.attachments_done', 'm.skipped_attachments', 'm.attempts', 'm.last_error',
        'm.received_at', deps.db.raw('m.received_at::text as position_time'), 'm.filed_at',
      )
      .modify((builder) => {
        if (query.status) builder.where('m.status', query.status);
        if (query.sender) builder.where('m.sender', query.sender);
        if (after) builder.whereRaw('(m.received_at, m.id) < (?::timestamptz, ?::uuid)', [after.t, after.id]);
      })
      .orderBy([{ column: 'm.received_at', order: 'desc' }, { column: 'm.id', order: 'desc' }])
      .limit(query.limit + 1);
    const rows = (await listing) as InboundMailRow[];
    response.json(toPage(rows, query.limit, toInboundMail, (row) => ({ t: row.position_time, id: row.id })));
  });
  return router;
}

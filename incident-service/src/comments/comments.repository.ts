import type { Comment } from '@desk/contracts';
import type { Knex } from 'knex';

interface CommentRow {
  id: string;
  incident_id: string;
  author_id: string;
  content: string;
  is_internal: boolean;
  mentioned_ids: string[];
  created_at: Date;
}

/** A listed comment with its position: `created_at` as Postgres prints it, microseconds and all. */
export type ListedCommentRow = CommentRow & { position_time: string };

const COMMENT_COLUMNS = ['id', 'incident_id', 'author_id', 'content', 'is_internal', 'mentioned_ids', 'created_at'];

type Db = Knex | Knex.Transaction;

export function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    incidentId: row.incident_id,
    authorId: row.author_id,
    content: row.content,
    isInternal: row.is_internal,
    mentionedIds: row.mentioned_ids,
    createdAt: row.created_at.toISOString(),
  };
}

export interface NewComment {
  incidentId: string;
  authorId: string;
  content: string;
  isInternal: boolean;
  /** Checked already (collaboration/mentions.ts). */
  mentionedIds?: string[];
}

/**
 * Must run while the incident's row is locked. `clock_timestamp()` (not `now()`, the
 * transaction's start) then orders an incident's comments as they commit, so a reader paging
 * by `(created_at, id)` never finds a comment appearing behind a page it has already read.
 * `stamp` is the instant of a replayed comment (clock.ts's rowStamp); none for one written now.
 */
export async function insertComment(trx: Knex.Transaction, comment: NewComment, stamp?: Date): Promise<CommentRow> {
  const rows: CommentRow[] = await trx('comments')
    .insert({
      incident_id: comment.incidentId,
      author_id: comment.authorId,
      content: comment.content,
      is_internal: comment.isInternal,
      mentioned_ids: comment.mentionedIds ?? [],
      created_at: stamp ?? trx.raw('clock_timestamp()'),
    })
    .returning(COMMENT_COLUMNS);
  return rows[0]!;
}

export interface CommentPosition {
  /** `created_at::text` of the last comment shown. */
  createdAt: string;
  id: string;
}

/** One page of an incident's comments, oldest first, read along the `(incident_id, created_at, id)` index. */
export async function listIncidentComments(
  db: Db,
  { incidentId, includeInternal, after, limit }: { incidentId: string; includeInternal: boolean; after?: CommentPosition; limit: number },
): Promise<ListedCommentRow[]> {
  const query = db('comments')
    .select(COMMENT_COLUMNS)
    .select(db.raw('created_at::text as position_time'))
    .where('incident_id', incidentId)
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(limit);
  if (!includeInternal) query.where('is_internal', false);
  if (after) query.whereRaw('(created_at, id) > (?::timestamptz, ?::uuid)', [after.createdAt, after.id]);
  return (await query) as ListedCommentRow[];
}

export async function findIncidentComment(db: Db, incidentId: string, commentId: string): Promise<CommentRow | undefined> {
  return db('comments').select(COMMENT_COLUMNS).where({ incident_id: incidentId, id: commentId }).first<CommentRow | undefined>();
}

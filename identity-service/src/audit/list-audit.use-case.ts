import type { AuditEntry, AuditQuery, Page } from '@desk/contracts';
import { bigintIdText, decodeCursor, postgresTimestampText, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';
import { listAuditRows, toAuditEntry } from './audit.repository.js';

const cursorPosition = z.object({ occurredAt: postgresTimestampText, id: bigintIdText });

/** The audit trail, newest first, filtered; the cursor continues the same filters. */
export async function listAudit({ db }: Pick<IdentityDependencies, 'db'>, query: AuditQuery): Promise<Page<AuditEntry>> {
  const after = query.cursor ? decodeCursor(cursorPosition, query.cursor) : undefined;
  const { actorId, targetId, action, from, to } = query;
  const rows = await listAuditRows(db, {
    filter: { ...(actorId ? { actorId } : {}), ...(targetId ? { targetId } : {}), ...(action ? { action } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) },
    limit: query.limit + 1,
    ...(after ? { after } : {}),
  });
  return toPage(rows, query.limit, toAuditEntry, (row) => ({ occurredAt: row.cursor_occurred_at, id: String(row.id) }));
}

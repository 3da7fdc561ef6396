import type { internalRevocationsQuerySchema, Page, Revocation } from '@desk/contracts';
import { decodeCursor, postgresTimestampText, toPage } from '@desk/platform';
import { z } from 'zod';
import type { IdentityDependencies } from '../dependencies.js';

const positionSchema = z.object({ revokedAt: postgresTimestampText, kind: z.enum(['session', 'service-account']), id: z.uuid() });

interface RevocationRow {
  kind: Revocation['kind'];
  id: string;
  revoked_at: Date;
  position: string;
}

export type RevocationsQuery = z.output<typeof internalRevocationsQuerySchema>;

/**
 * The deny list in the order entries were made, for the gateway and the services that refuse
 * revoked tokens: page to the end, then ask again from the last `revokedAt` seen (inclusive, so
 * an entry sharing that instant comes again rather than never). Triggers on `refresh_tokens` and
 * `service_accounts` write it (migration identity_0008_revocations).
 */
export async function listRevocations({ db }: Pick<IdentityDependencies, 'db'>, query: RevocationsQuery): Promise<Page<Revocation>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(positionSchema, query.cursor);
  const rows = db('revocations')
    .select<RevocationRow[]>('kind', 'id', 'revoked_at', db.raw('revoked_at::text as position'))
    .orderBy([{ column: 'revoked_at' }, { column: 'kind' }, { column: 'id' }])
    .limit(query.limit + 1);
  if (query.updatedSince) rows.where('revoked_at', '>=', query.updatedSince);
  if (after) rows.whereRaw('(revoked_at, kind, id) > (?::timestamptz, ?, ?::uuid)', [after.revokedAt, after.kind, after.id]);
  return toPage(
    await rows,
    query.limit,
    (row) => ({ kind: row.kind, id: row.id, revokedAt: row.revoked_at.toISOString() }),
    (row) => ({ revokedAt: row.position, kind: row.kind, id: row.id }),
  );
}

/** Entries whose tokens have all expired are no use to anyone; kept a day past the access-token lifetime. */
export async function pruneRevocations(db: IdentityDependencies['db'], accessTokenTtlMs: number): Promise<number> {
  return db('revocations').where('revoked_at', '<', db.raw('now() - make_interval(secs => ?)', [accessTokenTtlMs / 1000 + 86_400])).delete();
}

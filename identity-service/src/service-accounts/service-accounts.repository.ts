import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServiceAccount, ServiceScope } from '@desk/contracts';
import type { Knex } from 'knex';

export interface ServiceAccountRow {
  id: string;
  name: string;
  client_id: string;
  secret_hash: string;
  scopes: ServiceScope[];
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = ['id', 'name', 'client_id', 'secret_hash', 'scopes', 'created_by', 'created_at', 'last_used_at', 'revoked_at'];

export function toServiceAccount(row: ServiceAccountRow): ServiceAccount {
  return {
    id: row.id,
    name: row.name,
    clientId: row.client_id,
    scopes: row.scopes,
    isActive: row.revoked_at === null,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/**
 * Client secrets are 256 random bits, so a fast hash is as safe as a slow one here (there is
 * nothing to guess); SHA-256 keeps the client-credentials grant cheap.
 */
export function hashClientSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url');
}

export function clientSecretMatches(row: ServiceAccountRow, secret: string): boolean {
  const given = Buffer.from(hashClientSecret(secret));
  const stored = Buffer.from(row.secret_hash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}

export function newClientCredentials(): { clientId: string; clientSecret: string } {
  return { clientId: `svc_${randomBytes(12).toString('base64url')}`, clientSecret: randomBytes(32).toString('base64url') };
}

type Db = Knex | Knex.Transaction;

export async function findServiceAccountById(db: Db, id: string, { forUpdate = false } = {}): Promise<ServiceAccountRow | undefined> {
  const query = db('service_accounts').select(COLUMNS).where({ id });
  if (forUpdate) query.forUpdate();
  return query.first<ServiceAccountRow | undefined>();
}

export async function findServiceAccountByClientId(db: Db, clientId: string): Promise<ServiceAccountRow | undefined> {
  return db('service_accounts').select(COLUMNS).where({ client_id: clientId }).first<ServiceAccountRow | undefined>();
}

/** Inserts an account; undefined when the name is taken (case-insensitively). */
export async function insertServiceAccount(
  db: Db,
  account: { name: string; clientId: string; secretHash: string; scopes: ServiceScope[]; createdBy: string },
): Promise<ServiceAccountRow | undefined> {
  const rows: ServiceAccountRow[] = await db('service_accounts')
    .insert({
      name: account.name,
      client_id: account.clientId,
      secret_hash: account.secretHash,
      scopes: account.scopes,
      created_by: account.createdBy,
    })
    .onConflict(db.raw('(lower(name))'))
    .ignore()
    .returning(COLUMNS);
  return rows[0];
}

/** Newest first; `cursor_created_at` is `created_at::text`, keeping the microseconds a Date would drop. */
export async function listServiceAccounts(
  db: Db,
  { limit, after }: { limit: number; after?: { createdAt: string; id: string } },
): Promise<(ServiceAccountRow & { cursor_created_at: string })[]> {
  const query = db('service_accounts')
    .select(COLUMNS)
    .select(db.raw('created_at::text as cursor_created_at'))
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }])
    .limit(limit);
  if (after) query.whereRaw('(created_at, id) < (?::timestamptz, ?::uuid)', [after.createdAt, after.id]);
  return query as Promise<(ServiceAccountRow & { cursor_created_at: string })[]>;
}

/** A new secret: the old one stops working at once (tokens already issued run until they expire). */
export async function replaceServiceAccountSecret(db: Db, id: string, secretHash: string): Promise<ServiceAccountRow | undefined> {
  const rows: ServiceAccountRow[] = await db('service_accounts').where({ id }).whereNull('revoked_at').update({ secret_hash: secretHash }).returning(COLUMNS);
  return rows[0];
}

export async function revokeServiceAccount(db: Db, id: string): Promise<ServiceAccountRow | undefined> {
  const rows: ServiceAccountRow[] = await db('service_accounts')
    .where({ id })
    .update({ revoked_at: db.raw('coalesce(revoked_at, now())') })
    .returning(COLUMNS);
  return rows[0];
}

export async function recordServiceAccountUse(db: Db, id: string): Promise<void> {
  await db('service_accounts').where({ id }).update({ last_used_at: db.fn.now() });
}

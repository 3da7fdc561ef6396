import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { hashPassword } from '../passwords.js';
import { SYSTEM_AUDIT_CONTEXT } from '@desk/auth';
import { recordAudit } from '../audit/record-audit.js';
import { publishUserRegistered } from './user-events.js';
import { anyAdminExists, insertUser, toUser } from './users.repository.js';

export interface BootstrapAdmin {
  email: string;
  password: string;
  fullName: string;
}

/**
 * On a fresh organisation nobody could create the first admin, so the service makes one from
 * ADMIN_EMAIL / ADMIN_PASSWORD when no admin exists. Replicas starting together serialize on an
 * advisory lock, so exactly one is made.
 */
export async function ensureBootstrapAdmin(
  db: Knex,
  outbox: Outbox,
  logger: Logger,
  admin: BootstrapAdmin | undefined,
): Promise<void> {
  if (!admin) {
    if (!(await anyAdminExists(db))) {
      logger.warn('no admin exists and ADMIN_EMAIL / ADMIN_PASSWORD are not set: nobody can manage users yet');
    }
    return;
  }
  if (await anyAdminExists(db)) return;
  const passwordHash = await hashPassword(admin.password);
  await db.transaction(async (trx) => {
    await trx.raw("select pg_advisory_xact_lock(hashtext('identity.bootstrap_admin'))");
    if (await anyAdminExists(trx)) return;
    const row = await insertUser(trx, {
      email: admin.email,
      fullName: admin.fullName,
      passwordHash,
      role: 'admin',
      departmentId: null,
    });
    if (!row) {
      throw new Error(
        `ADMIN_EMAIL ${admin.email} belongs to an existing account that is not an admin: choose another email, or make that account an admin`,
      );
    }
    await publishUserRegistered(outbox, trx, row);
    // The platform made this admin, from its configuration: the first entry of the trail.
    await recordAudit(trx, SYSTEM_AUDIT_CONTEXT, { action: 'user.created', target: { type: 'user', id: row.id }, before: null, after: toUser(row) });
    logger.info({ userId: row.id, email: row.email }, 'created the bootstrap admin');
  });
}

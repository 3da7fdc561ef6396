import type { Locale, UpdateUserBody, User } from '@desk/contracts';
import { AppError } from '@desk/platform';
import { recordAudit, type AuditContext } from '../audit/record-audit.js';
import type { IdentityDependencies } from '../dependencies.js';
import { requireDepartmentForRole, requireExistingDepartment } from './department-membership.js';
import { revokeAllSessionsOfUser } from '../auth/refresh-tokens.repository.js';
import { publishUserChanged } from './user-events.js';
import { findUserByIdForUpdate, lockActiveAdmins, toUser, updateUser, type UserChanges } from './users.repository.js';

export function userNotFound(id: string): AppError {
  return AppError.notFound('USER.NOT_FOUND', `No user has the id ${id}.`);
}

/** A change that could leave the organisation without an active admin. */
function couldRemoveAnAdmin(body: UpdateUserBody): boolean {
  return (body.role !== undefined && body.role !== 'admin') || body.isActive === false;
}

/**
 * An admin changes an account. Only fields whose value actually differs count: they alone are
 * written, bump `updatedAt` and are named in the event, and a PATCH changing nothing publishes
 * nothing. A change of role, department or activation also ends the user's sign-ins, so the
 * next access token says what they are now. The change is in the audit trail, by whom and from
 * where, in the same transaction.
 */
export async function applyUserUpdate(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  audit: AuditContext,
  id: string,
  body: UpdateUserBody,
): Promise<User> {
  return db.transaction(async (trx) => {
    // Locked before the target row, in one order for every such change: two admins demoting
    // each other at once would otherwise both see the other still active, and both succeed.
    const activeAdminIds = couldRemoveAnAdmin(body) ? await lockActiveAdmins(trx) : undefined;
    const current = await findUserByIdForUpdate(trx, id);
    if (!current) throw userNotFound(id);

    const changes: UserChanges = {};
    const changedFields: string[] = [];
    if (body.fullName !== undefined && body.fullName !== current.full_name) {
      changes.fullName = body.fullName;
      changedFields.push('fullName');
    }
    if (body.role !== undefined && body.role !== current.role) {
      changes.role = body.role;
      changedFields.push('role');
    }
    if (body.departmentId !== undefined && body.departmentId !== current.department_id) {
      changes.departmentId = body.departmentId;
      changedFields.push('departmentId');
    }
    if (body.isActive !== undefined && body.isActive !== current.is_active) {
      changes.isActive = body.isActive;
      changedFields.push('isActive');
    }
    if (changedFields.length === 0) return toUser(current);

    const role = changes.role ?? current.role;
    const departmentId = changes.departmentId !== undefined ? changes.departmentId : current.department_id;
    const isActive = changes.isActive ?? current.is_active;
    requireDepartmentForRole(role, departmentId);
    if (changes.departmentId) await requireExistingDepartment(trx, changes.departmentId);

    const wasActiveAdmin = current.role === 'admin' && current.is_active;
    const staysActiveAdmin = role === 'admin' && isActive;
    if (wasActiveAdmin && !staysActiveAdmin) {
      const otherActiveAdmins = (activeAdminIds ?? []).filter((adminId) => adminId !== id);
      if (otherActiveAdmins.length === 0) {
        throw AppError.conflict(
          'USER.LAST_ADMIN',
          'This is the last active admin: make another user an admin before demoting or deactivating this one.',
        );
      }
    }

    const updated = await updateUser(trx, id, changes);
    if (changes.role !== undefined || changes.departmentId !== undefined || changes.isActive !== undefined) {
      await revokeAllSessionsOfUser(trx, id, 'account changed');
    }
    await publishUserChanged(outbox, trx, updated, changedFields, audit.actor.id);
    const after = toUser(updated);
    await recordAudit(trx, audit, { action: 'user.updated', target: { type: 'user', id }, before: toUser(current), after });
    return after;
  });
}

/**
 * A person chooses the language of their portal and mails. It reaches the other services as
 * any change of the account does (`user.updated` naming `locale`), so the next mail is in it.
 */
export async function setOwnLocale(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  audit: AuditContext,
  id: string,
  locale: Locale,
): Promise<User> {
  return db.transaction(async (trx) => {
    const current = await findUserByIdForUpdate(trx, id);
    if (!current) throw userNotFound(id);
    if (current.locale === locale) return toUser(current);
    const updated = await updateUser(trx, id, { locale });
    await publishUserChanged(outbox, trx, updated, ['locale'], audit.actor.id);
    const after = toUser(updated);
    await recordAudit(trx, audit, { action: 'user.updated', target: { type: 'user', id }, before: toUser(current), after });
    return after;
  });
}

import type { CreateUserBody, User } from '@desk/contracts';
import { AppError } from '@desk/platform';
import { recordAudit, type AuditContext } from '../audit/record-audit.js';
import type { IdentityDependencies } from '../dependencies.js';
import { hashPassword } from '../passwords.js';
import { requireStrongPassword } from '../passwords/password-policy.js';
import { requireDepartmentForRole, requireExistingDepartment } from './department-membership.js';
import { publishUserRegistered } from './user-events.js';
import { insertUser, toUser } from './users.repository.js';

/** An admin opens an account of any role, e.g. for staff who will never self-register. */
export async function createUser(
  { db, outbox }: Pick<IdentityDependencies, 'db' | 'outbox'>,
  audit: AuditContext,
  body: CreateUserBody,
): Promise<User> {
  const departmentId = body.departmentId ?? null;
  requireDepartmentForRole(body.role, departmentId);
  requireStrongPassword(body.password, 'password', [body.email, body.fullName]);
  // argon2 takes tens of milliseconds on purpose: not while holding a transaction open.
  const passwordHash = await hashPassword(body.password);
  return db.transaction(async (trx) => {
    if (departmentId !== null) await requireExistingDepartment(trx, departmentId);
    const row = await insertUser(trx, { email: body.email, fullName: body.fullName, passwordHash, role: body.role, departmentId });
    if (!row) throw AppError.conflict('USER.EMAIL_TAKEN', 'An account with this email already exists.', { errors: [{ location: 'body', path: '/email', message: 'is already the email of another account' }] });
    await publishUserRegistered(outbox, trx, row);
    const user = toUser(row);
    await recordAudit(trx, audit, { action: 'user.created', target: { type: 'user', id: user.id }, before: null, after: user });
    return user;
  });
}

import type { AuditAction, AuditActor, AuditTargetType } from '@desk/contracts';
import type { Knex } from 'knex';
import { insertAuditRow } from './audit.repository.js';

/** Who is making a change, and from where: taken from the request by `auditContextOf`. */
export interface AuditContext {
  actor: AuditActor;
  /** The client address as the gateway forwarded it (express `request.ip` with trust proxy). */
  sourceAddress: string | null;
}

/** For changes the platform makes on its own (the bootstrap admin, a scheduled job). */
export const SYSTEM_AUDIT_CONTEXT: AuditContext = { actor: { kind: 'system', id: null }, sourceAddress: null };

export interface AuditRecord {
  action: AuditAction;
  target: { type: AuditTargetType; id: string };
  /** The target before the change (null when it was created) and after it, as the API shows it. */
  before: object | null;
  after: object | null;
}

// Whatever a caller hands in, these never reach the trail: a snapshot that grew a secret later
// (a hash, a TOTP seed, a reset token) still stays out of it.
const SECRET_KEY = /password|secret|hash|token|totp|recovery/i;

function withoutSecrets(state: object | null): Record<string, unknown> | null {
  if (state === null) return null;
  return Object.fromEntries(Object.entries(state).filter(([key]) => !SECRET_KEY.test(key)));
}

/**
 * Records one administrative change in the audit trail. Call it with the transaction that makes
 * the change: the row commits with it or not at all, so a change is never unrecorded and a
 * rolled-back one never recorded. This is the one way in for identity-service's own changes
 * (users, departments, service accounts, password and MFA resets).
 */
export async function recordAudit(trx: Knex.Transaction, context: AuditContext, record: AuditRecord): Promise<void> {
  await insertAuditRow(trx, {
    actor: context.actor,
    sourceAddress: context.sourceAddress,
    action: record.action,
    target: record.target,
    before: withoutSecrets(record.before),
    after: withoutSecrets(record.after),
  });
}

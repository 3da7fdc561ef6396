import type { AuditContext } from '@desk/auth';
import type { AuditAction, AuditTargetType, EventEnvelope } from '@desk/contracts';
import type { Knex } from 'knex';
import { insertAuditRow } from './audit.repository.js';

export type { AuditContext } from '@desk/auth';

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
 * Records a change another service made (its `audit.recorded` event), at the time it happened.
 * Runs in the inbox's transaction; the event id is unique in the trail as well, so even a replay
 * past the inbox's retention adds nothing.
 */
export async function recordAuditFromEvent(trx: Knex.Transaction, event: EventEnvelope<'audit.recorded'>): Promise<void> {
  const { actor, sourceAddress, action, target, before, after } = event.data;
  await insertAuditRow(trx, {
    actor,
    sourceAddress,
    action,
    target,
    before: withoutSecrets(before),
    after: withoutSecrets(after),
    sourceEventId: event.id,
    occurredAt: event.time,
  });
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

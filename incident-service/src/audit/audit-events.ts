import type { AuditContext } from '@desk/auth';
import type { AuditRecord } from '@desk/contracts';
import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';

/**
 * `audit.recorded`: an admin changed a category or an SLA policy. identity-service keeps the one
 * audit trail; the event goes through the outbox in the change's own transaction, so the change
 * and its record commit together, and identity's inbox records it exactly once.
 */
export async function publishAuditRecorded(
  outbox: Outbox,
  trx: Knex.Transaction,
  context: AuditContext,
  record: Pick<AuditRecord, 'action' | 'target' | 'before' | 'after'>,
): Promise<void> {
  await outbox.add(trx, 'audit.recorded', {
    subject: record.target.id,
    data: { actor: context.actor, sourceAddress: context.sourceAddress, ...record },
  });
}

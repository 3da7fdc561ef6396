import type { Outbox } from '@desk/messaging';
import type { Knex } from 'knex';
import { toDepartment, type DepartmentRow } from './departments.repository.js';

/** `department.created`: consumers add it to their replica. */
export async function publishDepartmentCreated(outbox: Outbox, trx: Knex.Transaction, row: DepartmentRow, actorId: string | null): Promise<void> {
  await outbox.add(trx, 'department.created', { subject: row.id, data: { department: toDepartment(row), actorId } });
}

/** `department.updated` with the fields that actually changed; nothing when none did. */
export async function publishDepartmentUpdated(
  outbox: Outbox,
  trx: Knex.Transaction,
  row: DepartmentRow,
  changedFields: string[],
  actorId: string | null,
): Promise<void> {
  if (changedFields.length === 0) return;
  await outbox.add(trx, 'department.updated', { subject: row.id, data: { department: toDepartment(row), changedFields, actorId } });
}

import type { AuditEntry } from '@desk/contracts';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping a person does not need: the id is the entry's target, the times its own. */
const NOISE = new Set(['id', 'createdAt', 'updatedAt', 'version']);

/**
 * The fields an audit entry changed, in the order the target shows them: every field of a new
 * target (before is null), otherwise only those whose value differs.
 */
export function changesOf(entry: Pick<AuditEntry, 'before' | 'after'>): FieldChange[] {
  const before = entry.before ?? {};
  const after = entry.after ?? {};
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])].filter((field) => !NOISE.has(field));
  return fields
    .filter((field) => entry.before === null || JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({ field, before: entry.before === null ? undefined : before[field], after: after[field] }));
}

/** A value as a table cell shows it. */
export function shownValue(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(shownValue).join(', ');
  return JSON.stringify(value);
}

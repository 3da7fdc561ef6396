import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { pointerSegments, type FieldIssue } from '@desk/contracts';
import { ApiError } from './api-client';

/**
 * Splits the API's field issues into those a form shows next to its own fields and the rest
 * (shown above the form). Only body issues can belong to a form field; `/title` matches the form
 * field `title`, `/items/0/name` the field `items`.
 */
export function mapFieldErrors<Field extends string>(error: unknown, fields: readonly Field[]): { byField: Partial<Record<Field, string>>; other: FieldIssue[] } {
  const byField: Partial<Record<Field, string>> = {};
  const other: FieldIssue[] = [];
  if (!(error instanceof ApiError)) return { byField, other };
  for (const issue of error.fieldErrors) {
    const root = pointerSegments(issue.path)[0] as Field;
    if (issue.location === 'body' && fields.includes(root) && byField[root] === undefined) byField[root] = sentence(issue.message);
    else other.push(issue);
  }
  return { byField, other };
}

/** `must be at least 3 characters` → `Must be at least 3 characters`. */
export function sentence(message: string): string {
  return message.length === 0 ? message : message[0]!.toUpperCase() + message.slice(1);
}

/**
 * Puts a refused write's field errors on the form's own fields. Returns true when something is
 * left for the form's alert above the fields (an error naming no field of this form).
 */
export function putFieldErrors<T extends FieldValues>(form: UseFormReturn<T>, caught: unknown, fields: readonly Path<T>[], { shouldFocus = false } = {}): boolean {
  const { byField, other } = mapFieldErrors(caught, fields);
  for (const [field, message] of Object.entries(byField)) form.setError(field as Path<T>, { message: message as string }, { shouldFocus });
  return Object.keys(byField).length === 0 || other.length > 0;
}

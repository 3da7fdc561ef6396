import { z } from 'zod';
import { AppError } from './errors.js';

/**
 * Keyset pagination cursors: the sort key of the last item of a page, as base64url JSON. Opaque
 * to clients; decoded against a schema, so a forged or stale cursor is a 400 naming `cursor`,
 * never a query on garbage.
 */
/**
 * A timestamptz as Postgres prints it (`timestamp::text`: `2025-01-31 09:15:02.123456+00`).
 * Cursors carry sort times in this form because it keeps the microseconds a JS Date would
 * round off; checked here so a forged cursor is a 400 rather than a failed cast.
 */
export const postgresTimestampText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}(?::\d{2}){0,2}$/);

/**
 * A timestamp as Postgres writes it as text (`2026-11-20 10:00:00.123456+00`) in epoch
 * milliseconds (the microseconds cut to milliseconds, an offset's seconds ignored); NaN for
 * anything else.
 */
export function postgresTimestampMs(text: string): number {
  const parts = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2})(?::(\d{2}))?/.exec(text);
  if (!parts) return Number.NaN;
  return Date.parse(`${parts[1]}T${parts[2]}${(parts[3] ?? '').slice(0, 4)}${parts[4]}:${parts[5] ?? '00'}`);
}

/** A bigserial id as text: digits that fit a signed 64-bit integer. */
export const bigintIdText = z.string().regex(/^\d{1,18}$/);

export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<Schema extends z.ZodType>(schema: Schema, cursor: string): z.output<Schema> {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    raw = undefined;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw AppError.badRequest('VALIDATION.FAILED', 'The cursor is not one this list produced; start again from the first page.', {
      errors: [{ location: 'query', path: '/cursor', message: 'is not a valid cursor' }],
    });
  }
  return parsed.data;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says there is a next page,
 * whose cursor is the position of the last row shown.
 */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  positionOf: (row: Row) => Record<string, unknown>,
): { items: Item[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    items: shown.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';
import { AppError } from './errors.js';

const position = z.object({ name: z.string(), id: z.uuid() });

test('when a cursor made by a page is decoded, then it gives back the position', () => {
  const at = { name: 'ana lima', id: '7f0c6a36-5a4d-4c52-9f0f-6ad7c0d3a9b1' };
  assert.deepEqual(decodeCursor(position, encodeCursor(at)), at);
});

test('when a cursor is forged or garbage, then a 400 names the cursor parameter', () => {
  for (const bad of ['not-base64-json', encodeCursor({ name: 'x', id: 'not-a-uuid' }), encodeCursor({})]) {
    assert.throws(
      () => decodeCursor(position, bad),
      (error: unknown) =>
        error instanceof AppError && error.status === 400 && error.errors?.[0]?.path === '/cursor' && error.errors[0].location === 'query',
    );
  }
});

test('when one row more than the limit was fetched, then the page has a next cursor at its last item', () => {
  const rows = [1, 2, 3, 4].map((n) => ({ n }));
  const page = toPage(rows, 3, (row) => row.n, (row) => ({ n: row.n }));
  assert.deepEqual(page.items, [1, 2, 3]);
  assert.deepEqual(JSON.parse(Buffer.from(page.nextCursor!, 'base64url').toString()), { n: 3 });
  assert.equal(toPage(rows.slice(0, 3), 3, (row) => row.n, (row) => ({ n: row.n })).nextCursor, null);
});

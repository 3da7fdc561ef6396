import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { IdIndex, parseUuid } from './id-index.js';

describe('IdIndex', () => {
  test('gives each new id the next row, and a known id its own row, through many rehashes', () => {
    const index = new IdIndex(4);
    const ids = Array.from({ length: 50_000 }, () => randomUUID());
    ids.forEach((id, row) => assert.equal(index.rowFor(id), row));
    // every id again, in another order: found, nothing added (a new id still gets the next row)
    for (let row = ids.length - 1; row >= 0; row -= 7) assert.equal(index.rowFor(ids[row]!), row);
    ids.forEach((id, row) => assert.equal(index.rowFor(id), row));
    assert.equal(index.rowFor(randomUUID()), ids.length);
  });

  test('ids that differ in one word only, and time-ordered ids, are told apart', () => {
    const index = new IdIndex();
    const ids: string[] = [];
    for (let n = 0; n < 5_000; n++) {
      const hex = n.toString(16).padStart(8, '0');
      ids.push(`${hex}-0000-7000-8000-000000000000`, `00000000-0000-7000-8000-0000${hex}`, `00000000-${hex.slice(0, 4)}-7${hex.slice(5, 8)}-8000-000000000000`);
    }
    const unique = [...new Set(ids)];
    unique.forEach((id, row) => assert.equal(index.rowFor(id), row));
    unique.forEach((id, row) => assert.equal(index.rowFor(id), row));
    assert.equal(index.rowFor(randomUUID()), unique.length);
  });

  test('reads ids in either case as the same 128 bits, and refuses what is not a UUID', () => {
    const id = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
    assert.deepEqual([...parseUuid(id, new Uint32Array(4))], [0xa1b2c3d4, 0xe5f64789, 0x8abcdef0, 0x12345678]);
    const index = new IdIndex();
    assert.equal(index.rowFor(id), 0);
    assert.equal(index.rowFor(id.toUpperCase()), 0);
    for (const wrong of ['', 'a1b2c3d4e5f647898abcdef012345678', 'a1b2c3d4-e5f6-4789-8abc-def01234567g', 'a1b2c3d4-e5f6-4789-8abc-def0123456789']) {
      assert.throws(() => index.rowFor(wrong), /not a UUID/);
    }
  });
});

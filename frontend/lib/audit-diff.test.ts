import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changesOf, shownValue } from './audit-diff';

test('a change shows only the fields whose value differs, without id, times and version', () => {
  const changes = changesOf({
    before: { role: 'reporter', departmentId: null, fullName: 'Ana', updatedAt: 'a', version: 1 },
    after: { role: 'staff', departmentId: 'd1', fullName: 'Ana', updatedAt: 'b', version: 2 },
  });
  assert.deepEqual(changes, [
    { field: 'role', before: 'reporter', after: 'staff' },
    { field: 'departmentId', before: null, after: 'd1' },
  ]);
});

test('a creation shows every field as new', () => {
  assert.deepEqual(changesOf({ before: null, after: { id: 'd1', name: 'IT', description: null, createdAt: 'a' } }), [
    { field: 'name', before: undefined, after: 'IT' },
    { field: 'description', before: undefined, after: null },
  ]);
});

test('values read as text', () => {
  assert.equal(shownValue(null), '—');
  assert.equal(shownValue(['incidents:read', 'users:read']), 'incidents:read, users:read');
  assert.equal(shownValue(false), 'false');
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directoryScopeOf, isWithinScope } from './user-visibility.js';

const departmentId = '6f1c2a4e-8d0b-4b8e-9a55-0c1d2e3f4a5b';
const otherDepartmentId = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

describe('directory scope', () => {
  it('when the caller is an admin, then they see everyone', () => {
    assert.deepEqual(directoryScopeOf({ kind: 'user', role: 'admin', departmentId: null, scopes: [] }), { kind: 'everyone' });
  });

  it("when the caller is a manager, then they see their own department's people only", () => {
    const scope = directoryScopeOf({ kind: 'user', role: 'manager', departmentId, scopes: [] });
    assert.deepEqual(scope, { kind: 'department', departmentId });
    assert.equal(isWithinScope(scope, { departmentId }), true);
    assert.equal(isWithinScope(scope, { departmentId: otherDepartmentId }), false);
    assert.equal(isWithinScope(scope, { departmentId: null }), false);
  });

  it('when the caller is staff or a reporter, then they see nobody', () => {
    for (const role of ['staff', 'reporter'] as const) {
      const scope = directoryScopeOf({ kind: 'user', role, departmentId, scopes: [] });
      assert.deepEqual(scope, { kind: 'nobody' });
      assert.equal(isWithinScope(scope, { departmentId }), false);
    }
  });

  it('when a service account holds users:read, then it sees everyone, and without it nobody', () => {
    assert.deepEqual(directoryScopeOf({ kind: 'service', role: 'service', departmentId: null, scopes: ['users:read'] }), {
      kind: 'everyone',
    });
    assert.deepEqual(directoryScopeOf({ kind: 'service', role: 'service', departmentId: null, scopes: ['incidents:read'] }), {
      kind: 'nobody',
    });
  });
});

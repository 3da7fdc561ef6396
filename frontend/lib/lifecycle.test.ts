import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INCIDENT_STATUSES, type IncidentStatus } from '@desk/contracts';
import { allowedTransitions, mayAssign, mayChangePriority, mayEditFields, mayWriteInternalNotes, type Viewer } from './lifecycle';

const IT = '11111111-1111-4111-8111-111111111111';
const HR = '22222222-2222-4222-8222-222222222222';
const reporterId = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';

const people: Record<string, Viewer> = {
  reporter: { id: reporterId, role: 'reporter', departmentId: null },
  otherReporter: { id: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', role: 'reporter', departmentId: null },
  staff: { id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', role: 'staff', departmentId: IT },
  otherStaff: { id: 'dddddddd-dddd-4ddd-8ddd-dddddddddddd', role: 'staff', departmentId: HR },
  manager: { id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', role: 'manager', departmentId: IT },
  admin: { id: 'ffffffff-ffff-4fff-8fff-ffffffffffff', role: 'admin', departmentId: null },
};

const incident = (status: IncidentStatus) => ({ status, reporterId, departmentId: IT });
const moves = (who: keyof typeof people, status: IncidentStatus) =>
  allowedTransitions(people[who]!, incident(status))
    .map((action) => action.to)
    .sort();

describe('which status changes a person is offered (the lifecycle table)', () => {
  test('when the incident is OPEN, the department starts work, the reporter and the manager may cancel, an admin may do both', () => {
    assert.deepEqual(moves('reporter', 'OPEN'), ['CANCELLED']);
    assert.deepEqual(moves('staff', 'OPEN'), ['IN_PROGRESS']);
    assert.deepEqual(moves('manager', 'OPEN'), ['CANCELLED', 'IN_PROGRESS']);
    assert.deepEqual(moves('admin', 'OPEN'), ['CANCELLED', 'IN_PROGRESS']);
  });

  test('when it is IN_PROGRESS, the department resolves it or puts it back; the reporter waits', () => {
    assert.deepEqual(moves('reporter', 'IN_PROGRESS'), []);
    assert.deepEqual(moves('staff', 'IN_PROGRESS'), ['OPEN', 'RESOLVED']);
    assert.deepEqual(moves('manager', 'IN_PROGRESS'), ['OPEN', 'RESOLVED']);
    assert.deepEqual(moves('admin', 'IN_PROGRESS'), ['OPEN', 'RESOLVED']);
  });

  test('when it is RESOLVED, the reporter closes or re-opens it, the department may only re-open it', () => {
    assert.deepEqual(moves('reporter', 'RESOLVED'), ['CLOSED', 'IN_PROGRESS']);
    assert.deepEqual(moves('staff', 'RESOLVED'), ['IN_PROGRESS']);
    assert.deepEqual(moves('admin', 'RESOLVED'), ['CLOSED', 'IN_PROGRESS']);
    const [reopen] = allowedTransitions(people.reporter!, incident('RESOLVED')).filter((action) => action.to === 'IN_PROGRESS');
    assert.equal(reopen?.kind, 'notFixed');
  });

  test('people outside the incident — another reporter, another department\'s staff — are offered nothing, in any status', () => {
    for (const status of INCIDENT_STATUSES) {
      assert.deepEqual(moves('otherReporter', status), [], status);
      assert.deepEqual(moves('otherStaff', status), [], status);
    }
  });

  test('CLOSED and CANCELLED are final for everyone', () => {
    for (const who of Object.keys(people)) {
      assert.deepEqual(moves(who, 'CLOSED'), []);
      assert.deepEqual(moves(who, 'CANCELLED'), []);
    }
  });
});

describe('what else a person may do on an incident', () => {
  test('the reporter edits title and description only while it is OPEN; the department until it is final', () => {
    assert.equal(mayEditFields(people.reporter!, incident('OPEN')), true);
    assert.equal(mayEditFields(people.reporter!, incident('IN_PROGRESS')), false);
    assert.equal(mayEditFields(people.staff!, incident('RESOLVED')), true);
    assert.equal(mayEditFields(people.staff!, incident('CLOSED')), false);
    assert.equal(mayEditFields(people.otherStaff!, incident('OPEN')), false);
  });

  test('priority: the department\'s staff and managers and admins, never the reporter', () => {
    assert.equal(mayChangePriority(people.reporter!, incident('OPEN')), false);
    assert.equal(mayChangePriority(people.staff!, incident('OPEN')), true);
    assert.equal(mayChangePriority(people.admin!, incident('IN_PROGRESS')), true);
    assert.equal(mayChangePriority(people.manager!, incident('CANCELLED')), false);
  });

  test('assignment: the department\'s manager and admins only', () => {
    assert.equal(mayAssign(people.manager!, incident('OPEN')), true);
    assert.equal(mayAssign(people.admin!, incident('IN_PROGRESS')), true);
    assert.equal(mayAssign(people.staff!, incident('OPEN')), false);
    assert.equal(mayAssign({ ...people.manager!, departmentId: HR }, incident('OPEN')), false);
  });

  test('internal notes: the department and admins; reporters never see the toggle', () => {
    assert.equal(mayWriteInternalNotes(people.reporter!, incident('OPEN')), false);
    assert.equal(mayWriteInternalNotes(people.staff!, incident('OPEN')), true);
    assert.equal(mayWriteInternalNotes(people.otherStaff!, incident('OPEN')), false);
    assert.equal(mayWriteInternalNotes(people.admin!, incident('CLOSED')), true);
  });
});

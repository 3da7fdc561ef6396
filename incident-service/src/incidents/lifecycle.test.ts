import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Actor, assigneeWhenStarting, decideTransition, INCIDENT_STATUSES, type IncidentFacts, type IncidentStatus, mayAssign, mayChangePriority, mayEditFields, mayUseInternalNotes } from '@desk/contracts';
import { maySee } from './visibility.js';

const DEPARTMENT = 'd0000000-0000-4000-8000-000000000001';
const OTHER_DEPARTMENT = 'd0000000-0000-4000-8000-000000000002';
const REPORTER = 'a0000000-0000-4000-8000-000000000001';

const actors = {
  'the reporter': { kind: 'user', id: REPORTER, role: 'reporter', departmentId: null },
  'another reporter': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000002', role: 'reporter', departmentId: null },
  'staff of the department': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000003', role: 'staff', departmentId: DEPARTMENT },
  'staff of another department': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000004', role: 'staff', departmentId: OTHER_DEPARTMENT },
  'manager of the department': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000005', role: 'manager', departmentId: DEPARTMENT },
  'manager of another department': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000006', role: 'manager', departmentId: OTHER_DEPARTMENT },
  'an admin': { kind: 'user', id: 'a0000000-0000-4000-8000-000000000007', role: 'admin', departmentId: null },
  'the system': { kind: 'system' },
  'a service account': { kind: 'service', id: 'a0000000-0000-4000-8000-000000000008', role: 'service', departmentId: null },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof actors;

/** docs/ARCHITECTURE.md's lifecycle table, written out independently of the module under test. */
const ALLOWED: Partial<Record<`${IncidentStatus}->${IncidentStatus}`, ActorName[]>> = {
  'OPEN->IN_PROGRESS': ['staff of the department', 'manager of the department', 'an admin'],
  'OPEN->CANCELLED': ['the reporter', 'manager of the department', 'an admin'],
  'IN_PROGRESS->RESOLVED': ['staff of the department', 'manager of the department', 'an admin', 'the system'],
  'IN_PROGRESS->OPEN': ['staff of the department', 'manager of the department', 'an admin'],
  'RESOLVED->CLOSED': ['the reporter', 'an admin', 'the system'],
  'RESOLVED->IN_PROGRESS': ['the reporter', 'staff of the department', 'manager of the department', 'an admin'],
};

const incident = (status: IncidentStatus): IncidentFacts => ({ status, reporterId: REPORTER, departmentId: DEPARTMENT });

describe('incident lifecycle', () => {
  for (const from of INCIDENT_STATUSES) {
    for (const to of INCIDENT_STATUSES) {
      if (from === to) continue;
      const allowedActors = ALLOWED[`${from}->${to}`];
      for (const [name, actor] of Object.entries(actors) as [ActorName, Actor][]) {
        const expected = !allowedActors ? 'invalid-transition' : allowedActors.includes(name) ? 'allowed' : 'forbidden';
        test(`${from} → ${to} by ${name}: ${expected}`, () => {
          const decision = decideTransition(actor, incident(from), to);
          assert.equal(decision.allowed ? 'allowed' : decision.reason, expected);
        });
      }
    }
  }

  test('CLOSED and CANCELLED are final: nothing leaves them, not even for an admin', () => {
    for (const from of ['CLOSED', 'CANCELLED'] as const) {
      for (const to of INCIDENT_STATUSES) {
        if (to !== from) assert.deepEqual(decideTransition(actors['an admin'], incident(from), to), { allowed: false, reason: 'invalid-transition' });
      }
    }
  });
});

describe('other incident rules', () => {
  test('title and description: the reporter only while OPEN; the department and admins until final', () => {
    assert.equal(mayEditFields(actors['the reporter'], incident('OPEN')), true);
    assert.equal(mayEditFields(actors['the reporter'], incident('IN_PROGRESS')), false);
    assert.equal(mayEditFields(actors['another reporter'], incident('OPEN')), false);
    assert.equal(mayEditFields(actors['staff of the department'], incident('RESOLVED')), true);
    assert.equal(mayEditFields(actors['staff of another department'], incident('OPEN')), false);
    assert.equal(mayEditFields(actors['an admin'], incident('CLOSED')), false);
  });

  test('priority: staff, managers of the department and admins; never reporters', () => {
    assert.equal(mayChangePriority(actors['staff of the department'], incident('OPEN')), true);
    assert.equal(mayChangePriority(actors['manager of the department'], incident('IN_PROGRESS')), true);
    assert.equal(mayChangePriority(actors['an admin'], incident('OPEN')), true);
    assert.equal(mayChangePriority(actors['the reporter'], incident('OPEN')), false);
    assert.equal(mayChangePriority(actors['manager of another department'], incident('OPEN')), false);
  });

  test('assignment: the manager of the department and admins only', () => {
    assert.equal(mayAssign(actors['manager of the department'], incident('OPEN')), true);
    assert.equal(mayAssign(actors['an admin'], incident('OPEN')), true);
    assert.equal(mayAssign(actors['staff of the department'], incident('OPEN')), false);
    assert.equal(mayAssign(actors['manager of another department'], incident('OPEN')), false);
  });

  test('starting work on an unassigned incident assigns it to staff of the department who start it', () => {
    const facts = { ...incident('OPEN'), assigneeId: null };
    assert.equal(assigneeWhenStarting(actors['staff of the department'], facts), actors['staff of the department'].id);
    assert.equal(assigneeWhenStarting(actors['an admin'], facts), null);
    assert.equal(assigneeWhenStarting(actors['staff of the department'], { ...facts, assigneeId: REPORTER }), REPORTER);
  });

  test('internal notes and visibility', () => {
    assert.equal(mayUseInternalNotes(actors['staff of the department'], incident('OPEN')), true);
    assert.equal(mayUseInternalNotes(actors['the reporter'], incident('OPEN')), false);
    assert.equal(mayUseInternalNotes(actors['staff of another department'], incident('OPEN')), false);
    assert.equal(maySee(actors['the reporter'], incident('OPEN')), true);
    assert.equal(maySee(actors['another reporter'], incident('OPEN')), false);
    assert.equal(maySee(actors['staff of another department'], incident('OPEN')), false);
    assert.equal(maySee(actors['manager of the department'], incident('OPEN')), true);
    assert.equal(maySee(actors['a service account'], incident('OPEN'), ['incidents:read']), true);
    assert.equal(maySee(actors['a service account'], incident('OPEN'), []), false);
  });
});

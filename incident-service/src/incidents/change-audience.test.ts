import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Actor } from '@desk/contracts';
import { changeSeenBy, type IncidentChange } from './change-audience.js';

const it = randomUUID();
const hr = randomUUID();
const reporterId = randomUUID();
const user = (role: 'reporter' | 'staff' | 'manager' | 'admin', departmentId: string | null = null, id = randomUUID()): Actor => ({ kind: 'user', id, role, departmentId });
const change = (overrides: Partial<IncidentChange> = {}): IncidentChange => ({
  type: 'incident.status_changed',
  incident: { id: randomUUID(), key: 'INC-000042', version: 3, status: 'IN_PROGRESS', reporterId, departmentId: it },
  actorId: randomUUID(),
  isInternal: false,
  ...overrides,
});

describe('who is told of an incident change', () => {
  test('when the viewer may see the incident, then they are told what kind of change it was', () => {
    assert.equal(changeSeenBy(user('reporter', null, reporterId), [], change()), 'status_changed');
    assert.equal(changeSeenBy(user('staff', it), [], change({ type: 'incident.assigned' })), 'assigned');
    assert.equal(changeSeenBy(user('admin'), [], change({ type: 'incident.sla_breached' })), 'sla_breached');
    assert.equal(changeSeenBy(user('manager', it), [], change({ type: 'incident.something_new' })), 'updated', 'an event type added later still refreshes');
  });

  test('when the viewer may not see the incident, then they are told nothing', () => {
    assert.equal(changeSeenBy(user('reporter'), [], change()), undefined, "another reporter's incident");
    assert.equal(changeSeenBy(user('staff', hr), [], change()), undefined, "another department's incident");
    assert.equal(changeSeenBy({ kind: 'service', id: randomUUID() } as Actor, ['analytics:read'], change()), undefined, 'a service account without an incidents scope');
    assert.equal(changeSeenBy({ kind: 'service', id: randomUUID() } as Actor, ['incidents:read'], change()), 'status_changed');
  });

  test('when an internal note is written, then only those who may read internal notes hear of it', () => {
    const note = change({ type: 'incident.commented', isInternal: true });
    assert.equal(changeSeenBy(user('reporter', null, reporterId), [], note), undefined);
    assert.equal(changeSeenBy(user('staff', it), [], note), 'commented');
    assert.equal(changeSeenBy(user('admin'), [], note), 'commented');
    assert.equal(changeSeenBy(user('staff', it, reporterId), [], note), 'commented', 'staff who reported it themselves work the department');
  });

  test('when a change moves the incident to another department, then viewers of the old one are told to drop it and the new one hears of it', () => {
    const moved = change({ type: 'incident.updated', incident: { ...change().incident, departmentId: hr }, previousDepartmentId: it });
    assert.equal(changeSeenBy(user('staff', it), [], moved), 'hidden');
    assert.equal(changeSeenBy(user('manager', hr), [], moved), 'updated');
    assert.equal(changeSeenBy(user('reporter', null, reporterId), [], moved), 'updated', 'the reporter still sees their own');
    assert.equal(changeSeenBy(user('staff', randomUUID()), [], moved), undefined, 'a third department never saw it');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { buildEvent, type EventData, type IncidentSnapshot } from '@desk/contracts';
import { recipientsFor, type AudienceMembers, type NotifiableEvent, type Person } from './rules.js';

const department = randomUUID();
const person = (role: Person['role'], overrides: Partial<Person> = {}): Person => ({ id: randomUUID(), role, departmentId: role === 'reporter' || role === 'admin' ? null : department, isActive: true, ...overrides });

const reporter = person('reporter');
const assignee = person('staff');
const colleague = person('staff');
const manager = person('manager');
const now = new Date().toISOString();
const incident: IncidentSnapshot = {
  id: randomUUID(), key: 'INC-000042', title: 'Printer jams', status: 'IN_PROGRESS', priority: 'HIGH', reporterId: reporter.id, departmentId: department,
  categoryId: randomUUID(), assigneeId: assignee.id, version: 3, createdAt: now, updatedAt: now, respondedAt: now, resolvedAt: null, closedAt: null,
  responseDueAt: null, resolutionDueAt: null, responseBreachedAt: null, resolutionBreachedAt: null, slaBreached: false, reopenCount: 0, reopenedAt: null,
};
const members: AudienceMembers = { reporter, assignee, departmentPeople: [assignee, colleague, manager], departmentManagers: [manager] };

function event<T extends NotifiableEvent['type']>(type: T, data: Omit<EventData<T>, 'incident'> & { incident?: IncidentSnapshot }): NotifiableEvent {
  return buildEvent(type, { source: '/incident-service', subject: incident.id, data: { incident, ...data } as EventData<T> });
}

/** `who: channels` for each recipient, sorted, for readable comparisons. */
function told(target: NotifiableEvent, given: AudienceMembers = members): string[] {
  const names = new Map([[reporter.id, 'reporter'], [assignee.id, 'assignee'], [colleague.id, 'colleague'], [manager.id, 'manager']]);
  return recipientsFor(target, given)
    .map((recipient) => `${names.get(recipient.userId) ?? recipient.userId}: ${[...recipient.channels].sort().join('+')}`)
    .sort();
}

describe('who is told what', () => {
  test('incident.created: the reporter gets the receipt by mail (though they filed it); the department in the app', () => {
    assert.deepEqual(told(event('incident.created', { actorId: reporter.id, incident: { ...incident, assigneeId: null } }), { ...members, assignee: undefined }), [
      'assignee: inApp', 'colleague: inApp', 'manager: inApp', 'reporter: email',
    ]);
  });

  test('incident.assigned: the new assignee by mail and in the app, the reporter in the app, a replaced assignee in the app; not the manager who did it', () => {
    assert.deepEqual(told(event('incident.assigned', { actorId: manager.id, previousAssigneeId: colleague.id, assigneeId: assignee.id }), { ...members, previousAssignee: colleague }), [
      'assignee: email+inApp', 'colleague: inApp', 'reporter: inApp',
    ]);
    assert.deepEqual(told(event('incident.assigned', { actorId: manager.id, previousAssigneeId: assignee.id, assigneeId: null, incident: { ...incident, assigneeId: null } }), { ...members, assignee: undefined, previousAssignee: assignee }), ['assignee: inApp']);
  });

  test('incident.status_changed: the reporter by mail and in the app, the assignee in the app, never the one who changed it', () => {
    assert.deepEqual(told(event('incident.status_changed', { actorId: manager.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null })), ['assignee: inApp', 'reporter: email+inApp']);
    assert.deepEqual(told(event('incident.status_changed', { actorId: assignee.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null })), ['reporter: email+inApp']);
    assert.deepEqual(told(event('incident.status_changed', { actorId: reporter.id, from: 'RESOLVED', to: 'CLOSED', reason: null })), ['assignee: inApp']);
  });

  test('incident.commented: public to the reporter and the assignee; internal to the assignee and the department, never the reporter', () => {
    const comment = { commentId: randomUUID(), content: 'x', createdAt: now };
    assert.deepEqual(told(event('incident.commented', { ...comment, actorId: manager.id, isInternal: false })), ['assignee: email+inApp', 'reporter: email+inApp']);
    assert.deepEqual(told(event('incident.commented', { ...comment, actorId: manager.id, isInternal: true })), ['assignee: email+inApp', 'colleague: inApp']);
    // A reporter who is staff of the department is still the reporter.
    const insiderReporter = person('staff');
    assert.deepEqual(
      told(event('incident.commented', { ...comment, actorId: manager.id, isInternal: true, incident: { ...incident, reporterId: insiderReporter.id } }), {
        ...members,
        reporter: insiderReporter,
        departmentPeople: [assignee, colleague, manager, insiderReporter],
      }),
      ['assignee: email+inApp', 'colleague: inApp'],
    );
    // An assignee from elsewhere (moved since) does not read internal notes of this department.
    const moved = person('staff', { departmentId: randomUUID() });
    assert.deepEqual(told(event('incident.commented', { ...comment, actorId: manager.id, isInternal: true, incident: { ...incident, assigneeId: moved.id } }), { ...members, assignee: moved, departmentPeople: [colleague, manager] }), ['colleague: inApp']);
  });

  test('incident.attachment_added: a public file to the reporter and the assignee in the app; an internal one to the assignee only, never the reporter', () => {
    const file = (isInternal: boolean, uploadedById: string) => ({ id: randomUUID(), commentId: null, fileName: 'trace.log', contentType: 'text/plain', sizeBytes: 120, isInternal, uploadedById });
    assert.deepEqual(told(event('incident.attachment_added', { actorId: reporter.id, attachment: file(false, reporter.id) })), ['assignee: inApp']);
    assert.deepEqual(told(event('incident.attachment_added', { actorId: manager.id, attachment: file(false, manager.id) })), ['assignee: inApp', 'reporter: inApp']);
    assert.deepEqual(told(event('incident.attachment_added', { actorId: manager.id, attachment: file(true, manager.id) })), ['assignee: inApp']);
    // A reporter who is also the assignee's department staff still never hears of an internal file.
    assert.deepEqual(told(event('incident.attachment_added', { actorId: manager.id, attachment: file(true, manager.id), incident: { ...incident, assigneeId: reporter.id } }), { ...members, assignee: reporter }), []);
  });

  test('incident.priority_changed and incident.sla_breached: the assignee, and for a breach the managers', () => {
    assert.deepEqual(told(event('incident.priority_changed', { actorId: manager.id, from: 'MEDIUM', to: 'HIGH' })), ['assignee: email+inApp']);
    assert.deepEqual(told(event('incident.sla_breached', { target: 'response', dueAt: now, breachedAt: now })), ['assignee: email+inApp', 'manager: email+inApp']);
  });

  test('incident.escalated: whom the rule names, never the reporter', () => {
    const rule = { id: randomUUID(), name: 'Warn at 80 %', target: 'resolution' as const, thresholdPercent: 80 };
    const fired = (notify: ('assignee' | 'manager')[]) => event('incident.escalated', { rule, notify, dueAt: now, raisedPriority: null, reassignedTo: null });
    assert.deepEqual(told(fired(['assignee', 'manager'])), ['assignee: email+inApp', 'manager: email+inApp']);
    assert.deepEqual(told(fired(['manager'])), ['manager: email+inApp']);
    assert.deepEqual(told(fired([])), []);
  });

  test('deactivated people are never told; someone in two audiences is told once with both channels', () => {
    assert.deepEqual(told(event('incident.status_changed', { actorId: manager.id, from: 'OPEN', to: 'IN_PROGRESS', reason: null }), { ...members, reporter: { ...reporter, isActive: false } }), ['assignee: inApp']);
    const both = recipientsFor(event('incident.sla_breached', { target: 'resolution', dueAt: now, breachedAt: now, incident: { ...incident, assigneeId: manager.id } }), { ...members, assignee: manager });
    assert.equal(both.length, 1);
    assert.equal(both[0]!.audience, 'assignee');
  });

  test('watchers: told of status changes and public comments as the reporter is; of internal notes and files only if staff, managers or admins', () => {
    const watchingReporter = person('reporter');
    const watchingStaff = person('staff', { departmentId: randomUUID() });
    const watched = { ...incident, watcherIds: [watchingReporter.id, watchingStaff.id] };
    const given = { ...members, watchers: [watchingReporter, watchingStaff] };
    const ids = (target: NotifiableEvent) => recipientsFor(target, given).map((recipient) => `${recipient.userId === watchingReporter.id ? 'watching reporter' : recipient.userId === watchingStaff.id ? 'watching staff' : 'other'}: ${[...recipient.channels].sort().join('+')}`).filter((line) => !line.startsWith('other')).sort();
    const comment = { commentId: randomUUID(), content: 'x', createdAt: now };
    assert.deepEqual(ids(event('incident.status_changed', { incident: watched, actorId: assignee.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null })), ['watching reporter: email+inApp', 'watching staff: email+inApp']);
    assert.deepEqual(ids(event('incident.commented', { ...comment, incident: watched, actorId: assignee.id, isInternal: false })), ['watching reporter: email+inApp', 'watching staff: email+inApp']);
    assert.deepEqual(ids(event('incident.commented', { ...comment, incident: watched, actorId: assignee.id, isInternal: true })), ['watching staff: email+inApp']);
    const file = { id: randomUUID(), commentId: null, fileName: 'log.txt', contentType: 'text/plain', sizeBytes: 10, uploadedById: assignee.id };
    assert.deepEqual(ids(event('incident.attachment_added', { incident: watched, actorId: assignee.id, attachment: { ...file, isInternal: true } })), ['watching staff: inApp']);
    assert.deepEqual(ids(event('incident.priority_changed', { incident: watched, actorId: assignee.id, from: 'LOW', to: 'HIGH' })), []);
  });

  test('mentions: each person mentioned by mail and in the app, not the author', () => {
    const mentioned = person('staff');
    const comment = { commentId: randomUUID(), content: `<@${mentioned.id}> look`, createdAt: now, mentionedIds: [mentioned.id, manager.id] };
    const lines = told(event('incident.commented', { ...comment, actorId: manager.id, isInternal: true }), { ...members, mentioned: [mentioned, manager] });
    assert.ok(lines.includes(`${mentioned.id}: email+inApp`));
    assert.ok(!lines.some((line) => line.startsWith('manager')));
  });

  test('incident.watcher_added: the person added by someone else, not one who started watching themselves', () => {
    const added = person('reporter');
    assert.deepEqual(told(event('incident.watcher_added', { actorId: reporter.id, watcherId: added.id }), { ...members, addedWatcher: added }), [`${added.id}: email+inApp`]);
    assert.deepEqual(told(event('incident.watcher_added', { actorId: added.id, watcherId: added.id }), { ...members, addedWatcher: added }), []);
  });

  test('major incidents: the declaration and each update reach everyone affected; the declaration the managers in the app', () => {
    const childReporter = person('reporter');
    const given = { ...members, affected: [reporter, childReporter] };
    assert.deepEqual(told(event('incident.major_declared', { actorId: manager.id, summary: 'Mail down', affectedUserIds: [reporter.id, childReporter.id] }), given), [
      `${childReporter.id}: email+inApp`, 'reporter: email+inApp',
    ]);
    assert.deepEqual(
      told(event('incident.major_update_posted', { actorId: assignee.id, update: { id: randomUUID(), message: 'Failover', createdAt: now }, affectedUserIds: [reporter.id, childReporter.id] }), given),
      [`${childReporter.id}: email+inApp`, 'reporter: email+inApp'],
    );
  });
});

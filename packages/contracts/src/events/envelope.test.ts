import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { EVENT_TYPES, contextOf, currentDataVersion, exchangeFor, type EventData, type EventType } from './catalog.js';
import { InvalidEventError, buildEvent, parseEvent } from './envelope.js';

const now = '2026-11-26T10:00:00.000Z';
const userId = randomUUID();
const departmentId = randomUUID();
const incidentId = randomUUID();

const user = {
  id: userId,
  email: 'ana@example.com',
  fullName: 'Ana Lima',
  role: 'staff' as const,
  departmentId,
  isActive: true,
  createdAt: now,
  updatedAt: now,
};
const department = { id: departmentId, name: 'IT', description: null, createdAt: now, updatedAt: now };
const category = { id: randomUUID(), name: 'Network', description: 'Wi-Fi, VPN', departmentId, isActive: true, createdAt: now, updatedAt: now };
const incident = {
  id: incidentId,
  key: 'INC-000042',
  title: 'VPN drops every hour',
  status: 'IN_PROGRESS' as const,
  priority: 'HIGH' as const,
  reporterId: randomUUID(),
  departmentId,
  categoryId: category.id,
  assigneeId: userId,
  version: 3,
  createdAt: now,
  updatedAt: now,
  respondedAt: now,
  resolvedAt: null,
  closedAt: null,
  responseDueAt: now,
  resolutionDueAt: now,
  responseBreachedAt: null,
  resolutionBreachedAt: null,
  slaBreached: false,
  reopenCount: 0,
  reopenedAt: null,
};

/** One valid example of every event type's data: adding a type without one fails this test. */
const examples: { [T in EventType]: EventData<T> } = {
  'user.registered': { user: { ...user, role: 'reporter', departmentId: null } },
  'user.updated': { user, changedFields: ['role', 'departmentId'] },
  'user.deactivated': { user: { ...user, isActive: false } },
  'account.verification_requested': { email: 'ana@example.com', fullName: 'Ana', token: 'a-token', expiresAt: '2026-01-02T00:00:00.000Z' },
  'account.registration_attempted': { userId, email: 'ana@example.com', fullName: 'Ana' },
  'account.password_reset_requested': { userId, email: 'ana@example.com', fullName: 'Ana', token: 'a-token', expiresAt: '2026-01-02T00:00:00.000Z', requestedBy: 'self' },
  'account.password_changed': { userId, email: 'ana@example.com', fullName: 'Ana', how: 'changed', changedAt: '2026-01-02T00:00:00.000Z' },
  'account.second_factor_changed': { userId, email: 'ana@example.com', fullName: 'Ana', change: 'enabled', recoveryCodesLeft: 10, changedAt: '2026-01-02T00:00:00.000Z' },
  'department.created': { department },
  'department.updated': { department, changedFields: ['name'] },
  'category.created': { category },
  'category.updated': { category: { ...category, isActive: false }, changedFields: ['isActive'] },
  'incident.created': { incident: { ...incident, status: 'OPEN', assigneeId: null, respondedAt: null }, actorId: incident.reporterId },
  'incident.updated': { incident, actorId: incident.reporterId, changedFields: ['title'] },
  'incident.status_changed': { incident, actorId: userId, from: 'OPEN', to: 'IN_PROGRESS', reason: null },
  'incident.assigned': { incident, actorId: randomUUID(), previousAssigneeId: null, assigneeId: userId },
  'incident.priority_changed': { incident, actorId: userId, from: 'MEDIUM', to: 'HIGH' },
  'incident.commented': { incident, actorId: userId, commentId: randomUUID(), isInternal: true, content: 'Checked the logs', createdAt: now },
  'incident.sla_breached': { incident: { ...incident, slaBreached: true }, target: 'resolution', dueAt: now, breachedAt: now },
  'incident.sla_recalculated': { incident, calendar: { id: randomUUID(), name: 'Berlin office', version: 2 } },
  'incident.escalated': {
    incident,
    rule: { id: randomUUID(), name: 'Warn at 80 %', target: 'resolution', thresholdPercent: 80 },
    notify: ['assignee', 'manager'],
    dueAt: now,
    raisedPriority: null,
    reassignedTo: null,
  },
  'incident.attachment_added': {
    incident,
    actorId: userId,
    attachment: { id: randomUUID(), commentId: null, fileName: 'screenshot.png', contentType: 'image/png', sizeBytes: 48_213, isInternal: false, uploadedById: userId },
  },
  'incident.attachment_removed': {
    incident,
    actorId: null,
    attachment: { id: randomUUID(), commentId: null, fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 9_120, isInternal: false, uploadedById: userId },
    reason: 'infected',
  },
  'incident.watcher_added': { incident: { ...incident, watcherIds: [userId] }, actorId: userId, watcherId: userId },
  'incident.watcher_removed': { incident: { ...incident, watcherIds: [] }, actorId: userId, watcherId: userId },
  'incident.linked': { incident: { ...incident, status: 'CLOSED' }, actorId: userId, link: { id: randomUUID(), type: 'duplicate_of', targetId: randomUUID(), targetKey: 'INC-000042' } },
  'incident.unlinked': { incident, actorId: userId, link: { id: randomUUID(), type: 'parent_of', targetId: randomUUID(), targetKey: 'INC-000043' } },
  'incident.major_declared': { incident: { ...incident, isMajor: true }, actorId: userId, summary: 'Mail is down for everyone', affectedUserIds: [userId] },
  'incident.major_update_posted': {
    incident: { ...incident, isMajor: true },
    actorId: userId,
    update: { id: randomUUID(), message: 'Failover started', createdAt: now },
    affectedUserIds: [userId],
  },
  'incident.satisfaction_rated': { incident: { ...incident, status: 'RESOLVED' }, actorId: userId, rating: 4, comment: 'Quick and friendly', previousRating: null, ratedAt: '2026-03-02T10:00:00.000Z' },
  'incident.review_written': { incident: { ...incident, isMajor: true }, actorId: userId, review: { whatHappened: 'A disk filled', impact: 'No mail for 2 h', followUps: 'Alert at 80 %' } },
  'incident.waiting_changed': {
    incident: { ...incident, resolutionDueAt: null, waiting: { since: now, message: 'Which VPN client version do you run?', byId: userId, expiresAt: now } },
    actorId: userId,
    waiting: true,
    message: 'Which VPN client version do you run?',
    reason: 'asked',
  },
  'audit.recorded': {
    actor: { kind: 'user', id: userId },
    sourceAddress: '203.0.113.24',
    action: 'sla_policy.updated',
    target: { type: 'sla_policy', id: 'HIGH' },
    before: { priority: 'HIGH', responseMinutes: 60, resolutionMinutes: 480 },
    after: { priority: 'HIGH', responseMinutes: 30, resolutionMinutes: 480 },
  },
};

describe('event envelope', () => {
  for (const type of EVENT_TYPES) {
    test(`when a ${type} event is built, then it is a CloudEvent that parses back to itself`, () => {
      const event = buildEvent(type, { source: '/test', subject: randomUUID(), data: examples[type] });
      assert.equal(event.specversion, '1.0');
      assert.equal(event.datacontenttype, 'application/json');
      assert.equal(event.dataversion, currentDataVersion(type));
      assert.match(event.time, /^\d{4}-\d{2}-\d{2}T/);
      const wire = JSON.parse(JSON.stringify(event)) as unknown;
      assert.deepEqual(parseEvent(wire), event);
    });
  }

  test('when building an event with data that misses a field, then it is refused naming the field', () => {
    const { department: broken } = examples['department.created'];
    assert.throws(
      () => buildEvent('department.created', { source: '/t', subject: 'x', data: { department: { ...broken, name: 42 as unknown as string } } }),
      (error: unknown) => error instanceof InvalidEventError && /department\.name/.test(error.message),
    );
  });

  test('when an incoming event has an unknown type, an unsupported dataversion or a broken envelope, then parsing refuses it', () => {
    const good = JSON.parse(
      JSON.stringify(buildEvent('department.created', { source: '/t', subject: 'x', data: examples['department.created'] })),
    ) as Record<string, unknown>;
    assert.throws(() => parseEvent({ ...good, type: 'department.exploded' }), /unknown event type "department.exploded"/);
    assert.throws(() => parseEvent({ ...good, dataversion: 99 }), /unsupported dataversion 99/);
    assert.throws(() => parseEvent({ ...good, specversion: '0.3' }), /invalid event envelope: specversion/);
    assert.throws(() => parseEvent({ ...good, id: 'not-a-uuid' }), /id/);
    assert.throws(() => parseEvent({ ...good, traceparent: 'garbage' }), /traceparent/);
    assert.throws(() => parseEvent('not an object'), InvalidEventError);
  });

  test('when a traceparent is given, then the event carries it', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const event = buildEvent('department.created', { source: '/t', subject: 'x', data: examples['department.created'], traceparent });
    assert.equal(parseEvent(JSON.parse(JSON.stringify(event))).traceparent, traceparent);
  });

  test('each event type belongs to the context whose exchange carries it', () => {
    assert.equal(exchangeFor(contextOf('user.updated')), 'identity.events');
    assert.equal(exchangeFor(contextOf('department.created')), 'identity.events');
    assert.equal(exchangeFor(contextOf('incident.status_changed')), 'incident.events');
    assert.equal(exchangeFor(contextOf('category.updated')), 'incident.events');
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { timelineEntrySchema, type FieldIssue, type TimelineEntry } from '@desk/contracts';
import { encodeCursor } from '@desk/platform';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

function issuePaths(response: { body: unknown }): string[] {
  return ((response.body as { errors?: FieldIssue[] }).errors ?? []).map((issue) => issue.path);
}

describe('GET /incidents/{id}/timeline', () => {
  let incidents: IncidentHarness;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let staff: TestUser;
  let manager: TestUser;
  let foreignStaff: TestUser;
  let foreignManager: TestUser;
  /** Filed, assigned, started, noted internally, commented, resolved and closed. */
  let incident: { id: string; key: string; categoryId: string; title: string; priority: string };
  let internalNoteId: string;
  let publicCommentId: string;
  const resolution = 'Replaced the worn feed roller.';

  const timelinePage = (token: string, query: Record<string, string | number> = {}) =>
    incidents.http.get(`/incidents/${incident.id}/timeline`).set('Authorization', `Bearer ${token}`).query(query);

  /** Every entry, page by page; each page but the last is full. */
  async function wholeTimeline(token: string, limit: number): Promise<{ entries: TimelineEntry[]; pages: number }> {
    const entries: TimelineEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await timelinePage(token, { limit, ...(cursor ? { cursor } : {}) }).expect(200);
      const page = response.body as { items: TimelineEntry[]; nextCursor: string | null };
      pages += 1;
      if (page.nextCursor !== null) assert.equal(page.items.length, limit, 'only the last page may be short');
      entries.push(...page.items.map((entry) => timelineEntrySchema.parse(entry)));
      cursor = page.nextCursor;
      assert.ok(pages <= 100, 'the cursor never reaches the end');
    } while (cursor);
    return { entries, pages };
  }

  before(async () => {
    incidents = await startIncidents();
    const departmentId = await incidents.createDepartment();
    const otherDepartmentId = await incidents.createDepartment();
    const categoryId = await incidents.createCategory(departmentId);
    [reporter, otherReporter, staff, manager, foreignStaff, foreignManager] = await Promise.all([
      incidents.createUser('reporter'),
      incidents.createUser('reporter'),
      incidents.createUser('staff', departmentId),
      incidents.createUser('manager', departmentId),
      incidents.createUser('staff', otherDepartmentId),
      incidents.createUser('manager', otherDepartmentId),
    ]);

    incident = await incidents.fileIncident(reporter, categoryId);
    const as = (user: TestUser) => ({
      patch: (path: string, body: object) =>
        incidents.http.patch(`/incidents/${incident.id}${path}`).set('Authorization', `Bearer ${user.token}`).send(body).expect(200),
      comment: (body: object) =>
        incidents.http.post(`/incidents/${incident.id}/comments`).set('Authorization', `Bearer ${user.token}`).send(body).expect(201),
    });
    await as(manager).patch('/assign', { assigneeId: staff.user.id });
    await as(staff).patch('', { status: 'IN_PROGRESS' });
    internalNoteId = (await as(staff).comment({ content: 'Roller worn; ordered a spare.', isInternal: true })).body.id;
    publicCommentId = (await as(reporter).comment({ content: 'Thanks, waiting.' })).body.id;
    await as(staff).patch('', { status: 'RESOLVED', reason: resolution });
    await as(reporter).patch('', { status: 'CLOSED' });
  });
  after(() => incidents?.close());

  test('when an admin reads the timeline, then every change is there in order with its actor, old and new values', async () => {
    const response = await timelinePage(incidents.admin.token).expect(200);
    assert.equal(response.body.nextCursor, null);
    const entries = (response.body.items as unknown[]).map((entry) => timelineEntrySchema.parse(entry));
    assert.deepEqual(
      entries.map(({ action, actorId, oldValue, newValue }) => ({ action, actorId, oldValue, newValue })),
      [
        {
          action: 'created',
          actorId: reporter.user.id,
          oldValue: null,
          newValue: {
            title: incident.title,
            status: 'OPEN',
            priority: incident.priority,
            categoryId: incident.categoryId,
            // The calendar its SLA targets count on: the default, around the clock.
            slaCalendar: { id: (incident as unknown as { slaCalendarId: string }).slaCalendarId, name: 'Around the clock' },
          },
        },
        { action: 'assigned', actorId: manager.user.id, oldValue: null, newValue: staff.user.id },
        { action: 'status_changed', actorId: staff.user.id, oldValue: 'OPEN', newValue: { status: 'IN_PROGRESS' } },
        { action: 'commented', actorId: staff.user.id, oldValue: null, newValue: { commentId: internalNoteId, isInternal: true } },
        { action: 'commented', actorId: reporter.user.id, oldValue: null, newValue: { commentId: publicCommentId, isInternal: false } },
        { action: 'status_changed', actorId: staff.user.id, oldValue: 'IN_PROGRESS', newValue: { status: 'RESOLVED', reason: resolution } },
        { action: 'status_changed', actorId: reporter.user.id, oldValue: 'RESOLVED', newValue: { status: 'CLOSED' } },
      ],
    );
    const times = entries.map((entry) => entry.createdAt);
    assert.deepEqual(times, [...times].sort(), 'entries come in the order they happened');
  });

  test('when the incident is named by its key, then the same timeline', async () => {
    const byId = await timelinePage(incidents.admin.token).expect(200);
    const byKey = await incidents.http.get(`/incidents/${incident.key}/timeline`).set('Authorization', `Bearer ${incidents.admin.token}`).expect(200);
    assert.deepEqual(byKey.body, byId.body);
  });

  test('when each change was made, then it left exactly one event beside its one timeline entry', async () => {
    const { events } = incidents;
    await events.waitFor('incident.status_changed', incident.id, 3);
    await events.waitFor('incident.commented', incident.id, 2);
    const counts = (type: Parameters<typeof events.about>[0]) => events.about(type, incident.id).length;
    assert.deepEqual(
      {
        created: counts('incident.created'),
        assigned: counts('incident.assigned'),
        statusChanged: counts('incident.status_changed'),
        commented: counts('incident.commented'),
      },
      { created: 1, assigned: 1, statusChanged: 3, commented: 2 },
    );
    assert.deepEqual(
      events.about('incident.commented', incident.id).map((event) => [event.data.commentId, event.data.isInternal]),
      [
        [internalNoteId, true],
        [publicCommentId, false],
      ],
    );
  });

  test('when staff or the manager of the department read the timeline, then they see the internal note entry too', async () => {
    for (const insider of [staff, manager]) {
      const { entries } = await wholeTimeline(insider.token, 100);
      assert.equal(entries.length, 7);
      assert.ok(entries.some((entry) => (entry.newValue as { commentId?: string } | null)?.commentId === internalNoteId));
    }
  });

  test('when the reporter reads the timeline, then the internal note entry is missing and everything else is there', async () => {
    const asAdmin = (await wholeTimeline(incidents.admin.token, 100)).entries;
    const asReporter = (await wholeTimeline(reporter.token, 100)).entries;
    assert.deepEqual(
      asReporter,
      asAdmin.filter((entry) => (entry.newValue as { commentId?: string } | null)?.commentId !== internalNoteId),
    );
    assert.deepEqual(
      asReporter.map((entry) => entry.action),
      ['created', 'assigned', 'status_changed', 'commented', 'status_changed', 'status_changed'],
    );
    assert.ok(!JSON.stringify(asReporter).includes(internalNoteId));
  });

  test('when the timeline is read two entries at a time, then the pages walk every entry without gaps or repeats', async () => {
    const all = (await wholeTimeline(incidents.admin.token, 100)).entries;
    const byTwos = await wholeTimeline(incidents.admin.token, 2);
    assert.deepEqual(byTwos.entries, all);
    assert.equal(byTwos.pages, 4);

    const reporterAll = (await wholeTimeline(reporter.token, 100)).entries;
    for (const limit of [1, 2, 4]) {
      assert.deepEqual((await wholeTimeline(reporter.token, limit)).entries, reporterAll, `reporter, limit ${limit}`);
    }
  });

  test('when there is no token, then 401', async () => {
    await incidents.http.get(`/incidents/${incident.id}/timeline`).expect(401);
  });

  test('when staff or a manager of another department, or another reporter, read the timeline, then 404 INCIDENT.NOT_FOUND', async () => {
    for (const outsider of [foreignStaff, foreignManager, otherReporter]) {
      const response = await timelinePage(outsider.token).expect(404);
      assert.equal(response.body.code, 'INCIDENT.NOT_FOUND');
    }
  });

  test('when the incident does not exist or cannot be named, then 404 INCIDENT.NOT_FOUND', async () => {
    for (const name of [randomUUID(), 'INC-999999999', 'nothing']) {
      const response = await incidents.http.get(`/incidents/${name}/timeline`).set('Authorization', `Bearer ${incidents.admin.token}`).expect(404);
      assert.equal(response.body.code, 'INCIDENT.NOT_FOUND');
    }
  });

  test('when a service account has the read scope, then it reads the timeline without internal entries', async () => {
    const token = await incidents.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read'] });
    const { entries } = await wholeTimeline(token, 100);
    assert.deepEqual(
      entries.map((entry) => entry.action),
      ['created', 'assigned', 'status_changed', 'commented', 'status_changed', 'status_changed'],
    );
  });

  test('when a service account has no incidents scope, then 403 AUTH.INSUFFICIENT_SCOPE', async () => {
    const token = await incidents.tokenFor({ id: randomUUID(), role: 'service', scopes: [] });
    const response = await timelinePage(token).expect(403);
    assert.equal(response.body.code, 'AUTH.INSUFFICIENT_SCOPE');
  });

  test('when the query is invalid, then 400 VALIDATION.FAILED naming the parameter', async () => {
    const cases: [Record<string, string | number>, string[]][] = [
      [{ limit: 0 }, ['/limit']],
      [{ limit: 101 }, ['/limit']],
      [{ cursor: 'not-a-cursor' }, ['/cursor']],
    ];
    await timelinePage(incidents.admin.token, { since: '2024-01-01' }).expect(200); // unknown: ignored
    for (const [query, paths] of cases) {
      const response = await timelinePage(incidents.admin.token, query).expect(400);
      assert.equal(response.body.code, 'VALIDATION.FAILED');
      assert.deepEqual(issuePaths(response), paths, JSON.stringify(query));
    }
  });

  test('when the cursor holds an id no timeline entry can have, then 400 VALIDATION.FAILED naming the cursor', async () => {
    const response = await timelinePage(incidents.admin.token, { cursor: encodeCursor({ id: '9'.repeat(30) }) }).expect(400);
    assert.deepEqual(issuePaths(response), ['/cursor']);
  });
});

describe('GET /incidents/{id}/people', () => {
  let incidents: IncidentHarness;
  let reporter: TestUser;
  let staff: TestUser;
  let noteTaker: TestUser;
  let manager: TestUser;
  let previousAssignee: TestUser;
  let foreignStaff: TestUser;
  let incidentId: string;

  const people = (token: string, idOrKey = incidentId) => incidents.http.get(`/incidents/${idOrKey}/people`).set('Authorization', `Bearer ${token}`);
  const namesOf = (body: unknown) => (body as { items: { id: string; fullName: string }[] }).items;

  before(async () => {
    incidents = await startIncidents();
    const departmentId = await incidents.createDepartment();
    const categoryId = await incidents.createCategory(departmentId);
    [reporter, staff, noteTaker, manager, previousAssignee, foreignStaff] = await Promise.all([
      incidents.createUser('reporter'),
      incidents.createUser('staff', departmentId),
      incidents.createUser('staff', departmentId),
      incidents.createUser('manager', departmentId),
      incidents.createUser('staff', departmentId),
      incidents.createUser('staff', await incidents.createDepartment()),
    ]);
    incidentId = (await incidents.fileIncident(reporter, categoryId)).id;
    const as = (user: TestUser) => incidents.http.patch(`/incidents/${incidentId}/assign`).set('Authorization', `Bearer ${user.token}`);
    await as(manager).send({ assigneeId: previousAssignee.user.id }).expect(200);
    await as(manager).send({ assigneeId: staff.user.id }).expect(200);
    // Someone who appears only through an internal note.
    await incidents.http.post(`/incidents/${incidentId}/comments`).set('Authorization', `Bearer ${noteTaker.token}`).send({ content: 'Seen this before.', isInternal: true }).expect(201);
  });
  after(() => incidents?.close());

  test('when the department reads the people, then reporter, assignees (past and present), the manager who assigned and the note taker are named', async () => {
    const response = await people(manager.token).expect(200);
    const items = namesOf(response.body);
    assert.deepEqual(
      items.map((person) => person.id).sort(),
      [reporter, staff, noteTaker, manager, previousAssignee].map((person) => person.user.id).sort(),
    );
    assert.equal(items.find((person) => person.id === reporter.user.id)?.fullName, reporter.user.fullName);
    const names = items.map((person) => person.fullName);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en')), 'ordered by name');
    assert.deepEqual(Object.keys(items[0]!).sort(), ['fullName', 'id'], 'names only: no email, role or department');
  });

  test('when the reporter reads the people, then the one who only wrote an internal note is not among them', async () => {
    const ids = namesOf((await people(reporter.token).expect(200)).body).map((person) => person.id);
    assert.ok(ids.includes(staff.user.id) && ids.includes(manager.user.id));
    assert.ok(!ids.includes(noteTaker.user.id));
  });

  test('when someone who may not see the incident asks, then 404 as for the incident itself; without a token 401', async () => {
    assert.equal((await people(foreignStaff.token).expect(404)).body.code, 'INCIDENT.NOT_FOUND');
    assert.equal((await people(reporter.token, randomUUID()).expect(404)).body.code, 'INCIDENT.NOT_FOUND');
    await incidents.http.get(`/incidents/${incidentId}/people`).expect(401);
  });
});

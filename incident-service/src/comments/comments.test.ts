import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { commentSchema, type Comment, type FieldIssue, type TimelineEntry } from '@desk/contracts';
import { encodeCursor } from '@desk/platform';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

/** The paths of the field issues of a problem+json response. */
function issuePaths(response: { body: unknown }): string[] {
  return ((response.body as { errors?: FieldIssue[] }).errors ?? []).map((issue) => issue.path);
}

describe('comments', () => {
  let incidents: IncidentHarness;
  let categoryId: string;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let staff: TestUser;
  let manager: TestUser;
  let foreignStaff: TestUser;
  let foreignManager: TestUser;
  let unscopedServiceToken: string;
  let readerServiceToken: string;
  let writerServiceToken: string;

  before(async () => {
    incidents = await startIncidents();
    const departmentId = await incidents.createDepartment();
    const otherDepartmentId = await incidents.createDepartment();
    categoryId = await incidents.createCategory(departmentId);
    [reporter, otherReporter, staff, manager, foreignStaff, foreignManager] = await Promise.all([
      incidents.createUser('reporter'),
      incidents.createUser('reporter'),
      incidents.createUser('staff', departmentId),
      incidents.createUser('manager', departmentId),
      incidents.createUser('staff', otherDepartmentId),
      incidents.createUser('manager', otherDepartmentId),
    ]);
    unscopedServiceToken = await incidents.tokenFor({ id: randomUUID(), role: 'service', scopes: [] });
    readerServiceToken = await incidents.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read'] });
    writerServiceToken = await incidents.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:write'] });
  });
  after(() => incidents?.close());

  const fileIncident = () => incidents.fileIncident(reporter, categoryId) as Promise<{ id: string; key: string; version: number; updatedAt: string }>;
  const comment = (token: string, incident: string, body: unknown) =>
    incidents.http.post(`/incidents/${incident}/comments`).set('Authorization', `Bearer ${token}`).send(body as object);
  const listComments = (token: string, incident: string, query: Record<string, string | number> = {}) =>
    incidents.http.get(`/incidents/${incident}/comments`).set('Authorization', `Bearer ${token}`).query(query);
  const readIncident = (token: string, incident: string) =>
    incidents.http.get(`/incidents/${incident}`).set('Authorization', `Bearer ${token}`).expect(200);

  /** Walks every page of a list, checking each page's size, and returns the items in order. */
  async function walk<Item>(token: string, path: string, limit: number): Promise<{ items: Item[]; pages: number }> {
    const items: Item[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await incidents.http
        .get(path)
        .set('Authorization', `Bearer ${token}`)
        .query({ limit, ...(cursor ? { cursor } : {}) })
        .expect(200);
      const page = response.body as { items: Item[]; nextCursor: string | null };
      pages += 1;
      if (page.nextCursor !== null) assert.equal(page.items.length, limit, 'only the last page may be short');
      items.push(...page.items);
      cursor = page.nextCursor;
      assert.ok(pages <= 100, 'the cursor never reaches the end');
    } while (cursor);
    return { items, pages };
  }
  const commentsOf = (token: string, incident: string, limit = 100) => walk<Comment>(token, `/incidents/${incident}/comments`, limit);
  const timelineOf = (token: string, incident: string, limit = 100) => walk<TimelineEntry>(token, `/incidents/${incident}/timeline`, limit);

  describe('POST /incidents/{id}/comments', () => {
    test('when the reporter comments on their incident, then 201 with the comment and a Location that serves it', async () => {
      const incident = await fileIncident();
      const response = await comment(reporter.token, incident.id, { content: '  It jammed again this morning.  ' }).expect(201);
      const created = commentSchema.parse(response.body);
      assert.equal(created.incidentId, incident.id);
      assert.equal(created.authorId, reporter.user.id);
      assert.equal(created.content, 'It jammed again this morning.');
      assert.equal(created.isInternal, false);
      assert.equal(response.headers.location, `/incidents/${incident.id}/comments/${created.id}`);

      const located = await incidents.http.get(response.headers.location).set('Authorization', `Bearer ${reporter.token}`).expect(200);
      assert.deepEqual(located.body, response.body);
    });

    test('when staff of the department write an internal note by the incident key, then 201 with isInternal true', async () => {
      const incident = await fileIncident();
      const response = await comment(staff.token, incident.key, { content: 'Toner supplier is late again.', isInternal: true }).expect(201);
      assert.equal(response.body.isInternal, true);
      assert.equal(response.body.incidentId, incident.id);
      assert.equal(response.body.authorId, staff.user.id);
    });

    test('when the manager and an admin write internal notes, then both are accepted', async () => {
      const incident = await fileIncident();
      await comment(manager.token, incident.id, { content: 'Escalate to the vendor.', isInternal: true }).expect(201);
      await comment(incidents.admin.token, incident.id, { content: 'Vendor contract expires soon.', isInternal: true }).expect(201);
    });

    test('when comments are added, then each leaves exactly one timeline entry and one incident.commented event, and the version stays; a public comment moves updatedAt, an internal note does not (reporters would see it)', async () => {
      const incident = await fileIncident();
      const publicComment = (await comment(reporter.token, incident.id, { content: 'Still jamming.' }).expect(201)).body as Comment;
      const afterPublic = (await readIncident(incidents.admin.token, incident.id)).body;
      const note = (await comment(staff.token, incident.id, { content: 'Roller worn out.', isInternal: true }).expect(201)).body as Comment;
      const afterNote = (await readIncident(incidents.admin.token, incident.id)).body;

      assert.equal(afterPublic.version, incident.version);
      assert.equal(afterNote.version, incident.version);
      assert.ok(afterPublic.updatedAt > incident.updatedAt, 'the public comment moves updatedAt');
      assert.equal(afterNote.updatedAt, afterPublic.updatedAt, 'the internal note leaves updatedAt as it was');

      const events = await incidents.events.waitFor('incident.commented', incident.id, 2);
      assert.equal(incidents.events.about('incident.commented', incident.id).length, 2);
      assert.deepEqual(
        events.map((event) => ({ ...event.data, incident: { version: event.data.incident.version, updatedAt: event.data.incident.updatedAt } })),
        [
          {
            incident: { version: incident.version, updatedAt: afterPublic.updatedAt },
            actorId: reporter.user.id,
            commentId: publicComment.id,
            isInternal: false,
            content: 'Still jamming.',
            createdAt: publicComment.createdAt,
            mentionedIds: [],
          },
          {
            incident: { version: incident.version, updatedAt: afterNote.updatedAt },
            actorId: staff.user.id,
            commentId: note.id,
            isInternal: true,
            content: 'Roller worn out.',
            createdAt: note.createdAt,
            mentionedIds: [],
          },
        ],
      );

      const commented = (await timelineOf(incidents.admin.token, incident.id)).items.filter((entry) => entry.action === 'commented');
      assert.deepEqual(
        commented.map((entry) => ({ actorId: entry.actorId, oldValue: entry.oldValue, newValue: entry.newValue })),
        [
          { actorId: reporter.user.id, oldValue: null, newValue: { commentId: publicComment.id, isInternal: false } },
          { actorId: staff.user.id, oldValue: null, newValue: { commentId: note.id, isInternal: true } },
        ],
      );
    });

    test('when the incident is cancelled, then comments are still accepted', async () => {
      const incident = await fileIncident();
      await incidents.http.patch(`/incidents/${incident.id}`).set('Authorization', `Bearer ${reporter.token}`).send({ status: 'CANCELLED' }).expect(200);
      await comment(reporter.token, incident.id, { content: 'Cancelled by mistake?' }).expect(201);
      await comment(staff.token, incident.id, { content: 'Reporter unsure; keep an eye on it.', isInternal: true }).expect(201);
    });

    test('when a service account with the write scope comments, then a public comment is accepted and an internal note is not', async () => {
      const incident = await fileIncident();
      await comment(writerServiceToken, incident.id, { content: 'Monitoring saw the printer go offline.' }).expect(201);
      const refused = await comment(writerServiceToken, incident.id, { content: 'Internal?', isInternal: true }).expect(403);
      assert.equal(refused.body.code, 'COMMENT.INTERNAL_FORBIDDEN');
    });

    test('when there is no token, then 401', async () => {
      const incident = await fileIncident();
      await incidents.http.post(`/incidents/${incident.id}/comments`).send({ content: 'Hello?' }).expect(401);
    });

    test('when staff or a manager of another department, or another reporter, comment, then 404 INCIDENT.NOT_FOUND and nothing is written', async () => {
      const incident = await fileIncident();
      for (const outsider of [foreignStaff, foreignManager, otherReporter]) {
        const response = await comment(outsider.token, incident.id, { content: 'Anyone?' }).expect(404);
        assert.equal(response.body.code, 'INCIDENT.NOT_FOUND');
        const note = await comment(outsider.token, incident.key, { content: 'Anyone?', isInternal: true }).expect(404);
        assert.equal(note.body.code, 'INCIDENT.NOT_FOUND');
      }
      assert.deepEqual((await commentsOf(incidents.admin.token, incident.id)).items, []);
      assert.equal(incidents.events.about('incident.commented', incident.id).length, 0);
    });

    test('when the reporter writes an internal note, then 403 COMMENT.INTERNAL_FORBIDDEN and nothing is written', async () => {
      const incident = await fileIncident();
      const response = await comment(reporter.token, incident.id, { content: 'Let me in on it.', isInternal: true }).expect(403);
      assert.equal(response.body.code, 'COMMENT.INTERNAL_FORBIDDEN');
      assert.deepEqual((await commentsOf(incidents.admin.token, incident.id)).items, []);
      const timeline = await timelineOf(incidents.admin.token, incident.id);
      assert.deepEqual(timeline.items.map((entry) => entry.action), ['created']);
      assert.equal((await readIncident(incidents.admin.token, incident.id)).body.updatedAt, incident.updatedAt);
    });

    test('when a service account lacks the write scope, then 403 AUTH.INSUFFICIENT_SCOPE', async () => {
      const incident = await fileIncident();
      for (const token of [unscopedServiceToken, readerServiceToken]) {
        const response = await comment(token, incident.id, { content: 'From a robot.' }).expect(403);
        assert.equal(response.body.code, 'AUTH.INSUFFICIENT_SCOPE');
      }
    });

    test('when the incident does not exist or cannot be named, then 404 INCIDENT.NOT_FOUND', async () => {
      for (const name of [randomUUID(), 'INC-999999999', 'not-an-incident']) {
        const response = await comment(incidents.admin.token, name, { content: 'Hello?' }).expect(404);
        assert.equal(response.body.code, 'INCIDENT.NOT_FOUND');
      }
    });

    test('when the body is invalid or has unknown fields, then 400 VALIDATION.FAILED naming each field', async () => {
      const incident = await fileIncident();
      const cases: [unknown, string[]][] = [
        [{}, ['/content']],
        [{ content: '' }, ['/content']],
        [{ content: '   ' }, ['/content']],
        [{ content: 'x'.repeat(10_001) }, ['/content']],
        [{ content: 'Fine', isInternal: 'yes' }, ['/isInternal']],
        [{ content: 'Fine', authorId: randomUUID() }, ['/authorId']],
      ];
      for (const [body, paths] of cases) {
        const response = await comment(staff.token, incident.id, body).expect(400);
        assert.equal(response.body.code, 'VALIDATION.FAILED');
        assert.deepEqual(issuePaths(response), paths, JSON.stringify(body).slice(0, 60));
      }
      assert.deepEqual((await commentsOf(incidents.admin.token, incident.id)).items, []);
    });
  });

  describe('GET /incidents/{id}/comments', () => {
    /** An incident with, oldest first: public, internal, internal, internal, public, public, internal. */
    let incident: { id: string; key: string };
    let all: Comment[];

    before(async () => {
      incident = await fileIncident();
      all = [];
      const plan: [TestUser, boolean][] = [
        [reporter, false],
        [staff, true],
        [manager, true],
        [staff, true],
        [staff, false],
        [reporter, false],
        [incidents.admin, true],
      ];
      for (const [index, [author, isInternal]] of plan.entries()) {
        const response = await comment(author.token, incident.id, { content: `Comment ${index + 1}`, isInternal }).expect(201);
        all.push(response.body as Comment);
      }
    });

    test('when a department member or an admin lists comments, then all of them, internal notes included, oldest first', async () => {
      for (const reader of [staff, manager, incidents.admin]) {
        const response = await listComments(reader.token, incident.id).expect(200);
        assert.deepEqual(response.body, { items: all, nextCursor: null });
      }
    });

    test('when a reporter lists comments, then internal notes are not among them', async () => {
      const response = await listComments(reporter.token, incident.key).expect(200);
      assert.deepEqual(response.body, { items: all.filter((item) => !item.isInternal), nextCursor: null });
    });

    test('when a service account with the read scope lists comments, then it gets the public ones', async () => {
      const response = await listComments(readerServiceToken, incident.id).expect(200);
      assert.deepEqual(response.body.items, all.filter((item) => !item.isInternal));
    });

    test('when comments are read page by page, then every page follows on without gaps or repeats, for insiders and reporters alike', async () => {
      for (const limit of [1, 2, 3, 7]) {
        assert.deepEqual((await commentsOf(staff.token, incident.id, limit)).items, all, `staff, limit ${limit}`);
        assert.deepEqual(
          (await commentsOf(reporter.token, incident.id, limit)).items,
          all.filter((item) => !item.isInternal),
          `reporter, limit ${limit}`,
        );
      }
      const paged = await commentsOf(staff.token, incident.id, 2);
      assert.equal(paged.pages, 4);
    });

    test('when comments share a millisecond or an instant, then paging one at a time neither skips nor repeats them', async () => {
      const busy = await fileIncident();
      const ids: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        ids.push((await comment(reporter.token, busy.id, { content: `Burst ${index}` }).expect(201)).body.id);
      }
      // Microseconds a JS Date would round away, and one exact tie that only the id can order.
      const instants = ['2030-01-01 00:00:00.000100+00', '2030-01-01 00:00:00.000200+00', '2030-01-01 00:00:00.000300+00', '2030-01-01 00:00:00.000300+00'];
      for (const [index, id] of ids.entries()) {
        await incidents.service.db('comments').where({ id }).update({ created_at: instants[index] });
      }
      const tied = ids.slice(2).sort();
      const expected = [ids[0], ids[1], ...tied];
      const walked = await commentsOf(reporter.token, busy.id, 1);
      assert.deepEqual(
        walked.items.map((item) => item.id),
        expected,
      );
      assert.equal(walked.pages, 4);
    });

    test('when no limit is given, then pages hold 25 comments', async () => {
      const busy = await fileIncident();
      for (let index = 0; index < 26; index += 1) await comment(reporter.token, busy.id, { content: `Ping ${index}` }).expect(201);
      const first = await listComments(reporter.token, busy.id).expect(200);
      assert.equal(first.body.items.length, 25);
      assert.equal(first.body.items[0].content, 'Ping 0');
      const second = await listComments(reporter.token, busy.id, { cursor: first.body.nextCursor }).expect(200);
      assert.deepEqual(
        second.body.items.map((item: Comment) => item.content),
        ['Ping 25'],
      );
      assert.equal(second.body.nextCursor, null);
    });

    test('when the incident has no comments, then an empty page', async () => {
      const quiet = await fileIncident();
      const response = await listComments(reporter.token, quiet.id).expect(200);
      assert.deepEqual(response.body, { items: [], nextCursor: null });
    });

    test('when a reporter asks for an internal note by its id, then 404 COMMENT.NOT_FOUND', async () => {
      const note = all.find((item) => item.isInternal)!;
      const response = await incidents.http.get(`/incidents/${incident.id}/comments/${note.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(404);
      assert.equal(response.body.code, 'COMMENT.NOT_FOUND');
      await incidents.http.get(`/incidents/${incident.id}/comments/${note.id}`).set('Authorization', `Bearer ${staff.token}`).expect(200);
    });

    test('when a comment is asked for under another incident, or by something that is no id, then 404 COMMENT.NOT_FOUND', async () => {
      const other = await fileIncident();
      for (const path of [`/incidents/${other.id}/comments/${all[0]!.id}`, `/incidents/${incident.id}/comments/not-an-id`]) {
        const response = await incidents.http.get(path).set('Authorization', `Bearer ${incidents.admin.token}`).expect(404);
        assert.equal(response.body.code, 'COMMENT.NOT_FOUND');
      }
    });

    test('when there is no token, then 401', async () => {
      await incidents.http.get(`/incidents/${incident.id}/comments`).expect(401);
    });

    test('when staff or a manager of another department, or another reporter, list comments, then 404 INCIDENT.NOT_FOUND', async () => {
      for (const outsider of [foreignStaff, foreignManager, otherReporter]) {
        const response = await listComments(outsider.token, incident.id).expect(404);
        assert.equal(response.body.code, 'INCIDENT.NOT_FOUND');
        const single = await incidents.http.get(`/incidents/${incident.id}/comments/${all[0]!.id}`).set('Authorization', `Bearer ${outsider.token}`).expect(404);
        assert.equal(single.body.code, 'INCIDENT.NOT_FOUND');
      }
    });

    test('when a service account has no incidents scope, then 403 AUTH.INSUFFICIENT_SCOPE', async () => {
      const response = await listComments(unscopedServiceToken, incident.id).expect(403);
      assert.equal(response.body.code, 'AUTH.INSUFFICIENT_SCOPE');
    });

    test('when the query is invalid, then 400 VALIDATION.FAILED naming the parameter', async () => {
      const forgedTime = encodeCursor({ t: 'yesterday', id: randomUUID() });
      const cases: [Record<string, string | number>, string[]][] = [
        [{ limit: 0 }, ['/limit']],
        [{ limit: 101 }, ['/limit']],
        [{ limit: 'many' }, ['/limit']],
        [{ cursor: 'not-a-cursor' }, ['/cursor']],
        [{ cursor: forgedTime }, ['/cursor']],
        [{ order: 'desc' }, ['/order']],
      ];
      for (const [query, paths] of cases) {
        const response = await listComments(staff.token, incident.id, query).expect(400);
        assert.equal(response.body.code, 'VALIDATION.FAILED');
        assert.deepEqual(issuePaths(response), paths, JSON.stringify(query));
      }
    });
  });

  describe('a reporter never receives an internal note by any route', () => {
    test('when staff write an internal note, then the reporter finds it in no list, page, timeline, count or incident read', async () => {
      const incident = await fileIncident();
      await comment(reporter.token, incident.id, { content: 'It is still broken.' }).expect(201);
      const secret = `Reporter keeps printing 500 pages of cat photos ${randomUUID()}`;
      const note = (await comment(staff.token, incident.id, { content: secret, isInternal: true }).expect(201)).body as Comment;
      await comment(staff.token, incident.id, { content: 'We are on it.' }).expect(201);

      const leaks = (body: unknown) => {
        const text = JSON.stringify(body);
        return text.includes(note.id) || text.includes(secret);
      };

      for (const limit of [1, 2, 100]) {
        const comments = await commentsOf(reporter.token, incident.id, limit);
        assert.deepEqual(
          comments.items.map((item) => item.content),
          ['It is still broken.', 'We are on it.'],
        );
        assert.ok(!leaks(comments.items));

        const timeline = await timelineOf(reporter.token, incident.id, limit);
        assert.ok(!leaks(timeline.items));
        assert.equal(timeline.items.filter((entry) => entry.action === 'commented').length, 2, 'the note is not counted in the timeline');
      }
      const single = await incidents.http.get(`/incidents/${incident.id}/comments/${note.id}`).set('Authorization', `Bearer ${reporter.token}`).expect(404);
      // `instance` repeats the path the reporter asked for (the id they sent); nothing else may name it
      const { instance, ...problem } = single.body as { instance?: string };
      assert.equal(instance, `/incidents/${incident.id}/comments/${note.id}`);
      assert.ok(!leaks(problem));
      assert.ok(!leaks((await readIncident(reporter.token, incident.id)).body));
      assert.ok(!leaks((await readIncident(reporter.token, incident.key)).body));
      const list = await incidents.http.get('/incidents').set('Authorization', `Bearer ${reporter.token}`).expect(200);
      assert.ok(!leaks(list.body));

      // Those who may read it do get it: the checks above are not passing for want of the note.
      assert.ok(leaks((await commentsOf(staff.token, incident.id)).items));
      assert.ok(leaks((await timelineOf(staff.token, incident.id)).items));
    });
  });
});

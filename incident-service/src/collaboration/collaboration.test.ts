import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  incidentLinkListSchema,
  incidentLinkSchema,
  majorIncidentNoticeListSchema,
  majorIncidentSchema,
  mentionableListSchema,
  watcherListSchema,
  type Comment,
  type Incident,
  type TimelineEntry,
} from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('collaboration: watchers, mentions, links and major incidents', () => {
  let h: IncidentHarness;
  let categoryId: string;
  let otherCategoryId: string;
  let reporter: TestUser;
  let colleague: TestUser;
  let stranger: TestUser;
  let staff: TestUser;
  let manager: TestUser;
  let foreignStaff: TestUser;

  before(async () => {
    h = await startIncidents();
    const department = await h.createDepartment();
    const otherDepartment = await h.createDepartment();
    categoryId = await h.createCategory(department);
    otherCategoryId = await h.createCategory(otherDepartment);
    [reporter, colleague, stranger, staff, manager, foreignStaff] = await Promise.all([
      h.createUser('reporter'),
      h.createUser('reporter'),
      h.createUser('reporter'),
      h.createUser('staff', department),
      h.createUser('manager', department),
      h.createUser('staff', otherDepartment),
    ]);
  });
  after(async () => {
    await h?.close();
  });

  const as = (who: TestUser) => ({
    get: (path: string) => h.http.get(path).set('Authorization', `Bearer ${who.token}`),
    put: (path: string) => h.http.put(path).set('Authorization', `Bearer ${who.token}`),
    post: (path: string, body: object = {}) => h.http.post(path).set('Authorization', `Bearer ${who.token}`).send(body),
    patch: (path: string, body: object) => h.http.patch(path).set('Authorization', `Bearer ${who.token}`).send(body),
    delete: (path: string) => h.http.delete(path).set('Authorization', `Bearer ${who.token}`),
  });
  const comments = async (who: TestUser, incident: string) => ((await as(who).get(`/incidents/${incident}/comments`).expect(200)).body as { items: Comment[] }).items;
  const timeline = async (who: TestUser, incident: string) => ((await as(who).get(`/incidents/${incident}/timeline`).query({ limit: 100 }).expect(200)).body as { items: TimelineEntry[] }).items;
  const start = (incident: Incident) => as(staff).patch(`/incidents/${incident.id}`, { status: 'IN_PROGRESS' }).expect(200);

  describe('watchers', () => {
    test('when a reporter adds a colleague, then the colleague sees the incident and its public conversation but no internal note, finds it among what they watch, and is announced', async () => {
      const incident = await h.fileIncident(reporter, categoryId);
      await as(staff).post(`/incidents/${incident.id}/comments`, { content: 'Public: looking into it.' }).expect(201);
      await as(staff).post(`/incidents/${incident.id}/comments`, { content: 'Internal: the toner driver is broken.', isInternal: true }).expect(201);
      await as(colleague).get(`/incidents/${incident.id}`).expect(404);

      const candidates = (await as(reporter).get(`/incidents/${incident.id}/watcher-candidates`).query({ q: colleague.user.fullName }).expect(200)).body as { items: { id: string; departmentName: string | null }[] };
      assert.deepEqual(candidates.items.map((person) => [person.id, person.departmentName]), [[colleague.user.id, null]]);
      const short = await as(reporter).get(`/incidents/${incident.id}/watcher-candidates`).query({ q: 'a' }).expect(400);
      assert.equal(short.body.errors[0].path, '/q');
      const added = await as(reporter).put(`/incidents/${incident.id}/watchers/${colleague.user.id}`).expect(201);
      assert.equal(added.body.userId, colleague.user.id);
      assert.equal(added.body.addedById, reporter.user.id);
      await as(reporter).put(`/incidents/${incident.id}/watchers/${colleague.user.id}`).expect(200);

      const seen = (await as(colleague).get(`/incidents/${incident.id}`).expect(200)).body as Incident;
      assert.deepEqual(seen.watcherIds, [colleague.user.id]);
      assert.equal(seen.version, incident.version + 1, 'a new watcher is a change of the incident');
      assert.deepEqual((await comments(colleague, incident.id)).map((comment) => comment.content), ['Public: looking into it.']);
      const watching = (await as(colleague).get('/incidents').query({ watching: 'true' }).expect(200)).body as { items: Incident[] };
      assert.deepEqual(watching.items.map((item) => item.id), [incident.id]);
      const list = watcherListSchema.parse((await as(colleague).get(`/incidents/${incident.id}/watchers`).expect(200)).body);
      assert.deepEqual(list.items.map((watcher) => [watcher.userId, watcher.fullName]), [[colleague.user.id, colleague.user.fullName]]);
      const [event] = await h.events.waitFor('incident.watcher_added', incident.id);
      assert.equal(event!.data.watcherId, colleague.user.id);
      assert.equal(event!.data.actorId, reporter.user.id);
      assert.deepEqual(event!.data.incident.watcherIds, [colleague.user.id]);
      assert.ok((await timeline(reporter, incident.id)).some((entry) => entry.action === 'watcher_added'));

      // A watcher who is a reporter adds nobody else; they may stop watching themselves, and then see nothing.
      const refused = await as(colleague).put(`/incidents/${incident.id}/watchers/${stranger.user.id}`).expect(403);
      assert.equal(refused.body.code, 'WATCHER.FORBIDDEN');
      await as(colleague).get(`/incidents/${incident.id}/watcher-candidates`).query({ q: 'any' }).expect(403);
      await as(colleague).delete(`/incidents/${incident.id}/watchers/me`).expect(204);
      await as(colleague).get(`/incidents/${incident.id}`).expect(404);
      const [removed] = await h.events.waitFor('incident.watcher_removed', incident.id);
      assert.equal(removed!.data.watcherId, colleague.user.id);
    });

    test('when staff of another department are added, then they read and write internal notes too; nobody who cannot see it can watch it', async () => {
      const incident = await h.fileIncident(reporter, categoryId);
      await as(staff).post(`/incidents/${incident.id}/comments`, { content: 'Internal: vendor ticket 4411.', isInternal: true }).expect(201);
      const notFound = await as(foreignStaff).put(`/incidents/${incident.id}/watchers/me`).expect(404);
      assert.equal(notFound.body.code, 'INCIDENT.NOT_FOUND');

      await as(staff).put(`/incidents/${incident.id}/watchers/${foreignStaff.user.id}`).expect(201);
      assert.deepEqual((await comments(foreignStaff, incident.id)).map((comment) => comment.isInternal), [true]);
      await as(foreignStaff).post(`/incidents/${incident.id}/comments`, { content: 'Internal: we saw this in Finance too.', isInternal: true }).expect(201);
      // Still not theirs to work: no status changes.
      await as(foreignStaff).patch(`/incidents/${incident.id}`, { status: 'IN_PROGRESS' }).expect(403);

      const unknown = await as(staff).put(`/incidents/${incident.id}/watchers/${randomUUID()}`).expect(404);
      assert.equal(unknown.body.code, 'WATCHER.PERSON_NOT_FOUND');
      await as(staff).put(`/incidents/${incident.id}/watchers/not-a-user`).expect(404);
      // Staff may remove someone else.
      await as(staff).delete(`/incidents/${incident.id}/watchers/${foreignStaff.user.id}`).expect(204);
      await as(foreignStaff).get(`/incidents/${incident.id}`).expect(404);
    });
  });

  describe('mentions', () => {
    test('when staff mention the reporter, then the comment names them and the event says so; mentioning someone who may not see it is refused and saves nothing', async () => {
      const incident = await h.fileIncident(reporter, categoryId);
      const mentionable = mentionableListSchema.parse((await as(staff).get(`/incidents/${incident.id}/mentionable`).expect(200)).body);
      const ids = mentionable.items.map((person) => person.id);
      assert.ok(ids.includes(reporter.user.id) && ids.includes(manager.user.id));
      assert.ok(!ids.includes(stranger.user.id) && !ids.includes(foreignStaff.user.id) && !ids.includes(staff.user.id));
      assert.equal(mentionable.items.find((person) => person.id === reporter.user.id)?.relation, 'reporter');
      const byName = mentionableListSchema.parse((await as(staff).get(`/incidents/${incident.id}/mentionable`).query({ q: reporter.user.fullName.slice(0, 6) }).expect(200)).body);
      assert.ok(byName.items.some((person) => person.id === reporter.user.id));
      const forNote = mentionableListSchema.parse((await as(staff).get(`/incidents/${incident.id}/mentionable`).query({ internal: 'true' }).expect(200)).body);
      assert.ok(!forNote.items.some((person) => person.id === reporter.user.id), 'the reporter may not read internal notes');
      const reporterAsks = await as(reporter).get(`/incidents/${incident.id}/mentionable`).query({ internal: 'true' }).expect(403);
      assert.equal(reporterAsks.body.code, 'COMMENT.INTERNAL_FORBIDDEN');

      const comment = (await as(staff).post(`/incidents/${incident.id}/comments`, { content: `<@${reporter.user.id}> could you send the printer's serial number?` }).expect(201)).body as Comment;
      assert.deepEqual(comment.mentionedIds, [reporter.user.id]);
      const [event] = (await h.events.waitFor('incident.commented', incident.id)).filter((each) => each.data.commentId === comment.id);
      assert.deepEqual(event!.data.mentionedIds, [reporter.user.id]);

      const before = (await comments(staff, incident.id)).length;
      const refused = await as(staff).post(`/incidents/${incident.id}/comments`, { content: `<@${stranger.user.id}> have a look` }).expect(422);
      assert.equal(refused.body.code, 'COMMENT.MENTION_NOT_ALLOWED');
      assert.equal(refused.body.errors[0].path, '/content');
      assert.ok(!refused.body.detail.includes(stranger.user.fullName), 'the refusal names nobody');
      const noteRefused = await as(staff).post(`/incidents/${incident.id}/comments`, { content: `<@${reporter.user.id}> see the vendor's answer`, isInternal: true }).expect(422);
      assert.match(noteRefused.body.detail, /internal notes/);
      const nobody = await as(staff).post(`/incidents/${incident.id}/comments`, { content: `<@${randomUUID()}> hello` }).expect(422);
      assert.equal(nobody.body.code, 'COMMENT.MENTION_NOT_ALLOWED');
      assert.equal((await comments(staff, incident.id)).length, before, 'nothing was saved');

      // Once a watcher, the colleague may be mentioned; and shows among the incident's people.
      await as(reporter).put(`/incidents/${incident.id}/watchers/${colleague.user.id}`).expect(201);
      await as(reporter).post(`/incidents/${incident.id}/comments`, { content: `Adding <@${colleague.user.id}>, who has the same problem.` }).expect(201);
      const people = (await as(reporter).get(`/incidents/${incident.id}/people`).expect(200)).body as { items: { id: string }[] };
      assert.ok(people.items.some((person) => person.id === colleague.user.id));
    });
  });

  describe('related incidents', () => {
    test('when an incident is marked a duplicate, then it closes with a link and a reason its reporter is told, and both sides show the link', async () => {
      const original = await h.fileIncident(reporter, categoryId, { title: 'Printer on floor 3 jams' });
      const duplicate = await h.fileIncident(colleague, categoryId, { title: 'Floor 3 printer jams again' });
      // Reporters link nothing (which also tells them nothing about the other incident).
      const refused = await as(reporter).post(`/incidents/${original.id}/links`, { type: 'related', targetId: duplicate.id }).expect(403);
      assert.equal(refused.body.code, 'INCIDENT.FORBIDDEN');
      const invisible = await as(foreignStaff).post(`/incidents/${original.id}/links`, { type: 'related', targetId: duplicate.id }).expect(404);
      assert.equal(invisible.body.code, 'INCIDENT.NOT_FOUND');

      const link = incidentLinkSchema.parse((await as(staff).post(`/incidents/${duplicate.id}/links`, { type: 'duplicate_of', targetId: original.key }).expect(201)).body);
      assert.equal(link.type, 'duplicate_of');
      assert.equal(link.incident.key, original.key);
      const closed = (await as(colleague).get(`/incidents/${duplicate.id}`).expect(200)).body as Incident;
      assert.equal(closed.status, 'CLOSED');
      const statusEvents = await h.events.waitFor('incident.status_changed', duplicate.id);
      assert.equal(statusEvents.at(-1)!.data.reason, `duplicate of ${original.key}`);
      assert.equal(statusEvents.at(-1)!.data.to, 'CLOSED');
      const [linked] = await h.events.waitFor('incident.linked', duplicate.id);
      assert.equal(linked!.data.link.targetKey, original.key);

      const fromOriginal = incidentLinkListSchema.parse((await as(staff).get(`/incidents/${original.id}/links`).expect(200)).body);
      assert.deepEqual(fromOriginal.items.map((each) => [each.type, each.incident.key]), [['duplicated_by', duplicate.key]]);
      // The original's reporter may not see the duplicate: the link is not there for them.
      assert.deepEqual(incidentLinkListSchema.parse((await as(reporter).get(`/incidents/${original.id}/links`).expect(200)).body).items, []);
      assert.ok((await timeline(reporter, original.id)).some((entry) => entry.action === 'linked'));
      assert.ok((await timeline(colleague, duplicate.id)).some((entry) => entry.action === 'linked'));

      const again = await as(staff).post(`/incidents/${original.id}/links`, { type: 'related', targetId: duplicate.id }).expect(409);
      assert.equal(again.body.code, 'LINK.EXISTS');
      const itself = await as(staff).post(`/incidents/${original.id}/links`, { type: 'related', targetId: original.id }).expect(422);
      assert.equal(itself.body.code, 'LINK.INVALID');
      const nowhere = await as(staff).post(`/incidents/${original.id}/links`, { type: 'related', targetId: 'INC-999999999' }).expect(422);
      assert.equal(nowhere.body.errors[0].path, '/targetId');
      const badType = await as(staff).post(`/incidents/${original.id}/links`, { type: 'blocks', targetId: duplicate.id }).expect(400);
      assert.equal(badType.body.errors[0].path, '/type');

      await as(staff).delete(`/incidents/${original.id}/links/${fromOriginal.items[0]!.id}`).expect(204);
      assert.equal((await as(colleague).get(`/incidents/${duplicate.id}`).expect(200)).body.status, 'CLOSED', 'a duplicate stays closed');
      await as(staff).delete(`/incidents/${original.id}/links/${fromOriginal.items[0]!.id}`).expect(404);
    });

    test('when a parent is resolved, then its open children are resolved with a note; an incident has one parent and no loops', async () => {
      const parent = await h.fileIncident(reporter, categoryId, { title: 'Floor 3 network down' });
      const openChild = await h.fileIncident(colleague, categoryId, { title: 'No network at desk 3.14' });
      const workedChild = await h.fileIncident(stranger, categoryId, { title: 'VPN fails on floor 3' });
      const otherParent = await h.fileIncident(reporter, categoryId, { title: 'Something else' });
      await as(staff).post(`/incidents/${parent.id}/links`, { type: 'parent_of', targetId: openChild.id }).expect(201);
      await as(staff).post(`/incidents/${workedChild.id}/links`, { type: 'child_of', targetId: parent.key }).expect(201);
      const second = await as(staff).post(`/incidents/${otherParent.id}/links`, { type: 'parent_of', targetId: openChild.id }).expect(422);
      assert.match(second.body.detail, /already has a parent/);
      const loop = await as(staff).post(`/incidents/${openChild.id}/links`, { type: 'parent_of', targetId: otherParent.id }).expect(201);
      assert.equal(loop.body.type, 'parent_of');
      const cycle = await as(staff).post(`/incidents/${otherParent.id}/links`, { type: 'parent_of', targetId: parent.id }).expect(422);
      assert.match(cycle.body.detail, /loop/);

      const children = incidentLinkListSchema.parse((await as(staff).get(`/incidents/${parent.id}/links`).expect(200)).body);
      assert.deepEqual(children.items.map((each) => each.type), ['parent_of', 'parent_of']);
      const fromChild = incidentLinkListSchema.parse((await as(staff).get(`/incidents/${workedChild.id}/links`).expect(200)).body);
      assert.deepEqual(fromChild.items.map((each) => [each.type, each.incident.key]), [['child_of', parent.key]]);

      await start(parent);
      await start(workedChild);
      await as(staff).patch(`/incidents/${parent.id}`, { status: 'RESOLVED', reason: 'Switch replaced' }).expect(200);
      for (const child of [openChild, workedChild, otherParent]) {
        const now = (await as(staff).get(`/incidents/${child.id}`).expect(200)).body as Incident;
        assert.equal(now.status, 'RESOLVED', `${child.key} resolved with its parent (or grandparent)`);
      }
      const events = await h.events.waitFor('incident.status_changed', openChild.id);
      assert.equal(events.at(-1)!.data.reason, `resolved with its parent incident ${parent.key}`);
      const grandchild = await h.events.waitFor('incident.status_changed', otherParent.id);
      assert.equal(grandchild.at(-1)!.data.reason, `resolved with its parent incident ${openChild.key}`);
    });
  });

  describe('major incidents', () => {
    test('when a manager declares a major incident, then updates reach the watchers and child reporters, a banner shows to them, and it closes only after its review', async () => {
      const major = await h.fileIncident(reporter, categoryId, { title: 'Mail is down' });
      const child = await h.fileIncident(colleague, categoryId, { title: 'Cannot send mail' });
      const unrelated = await h.fileIncident(stranger, otherCategoryId, { title: 'Chair broken' });
      await as(staff).post(`/incidents/${child.id}/links`, { type: 'child_of', targetId: major.id }).expect(201);
      await as(staff).put(`/incidents/${major.id}/watchers/${foreignStaff.user.id}`).expect(201);

      const staffDeclares = await as(staff).post(`/incidents/${major.id}/major`, { summary: 'Mail is down' }).expect(403);
      assert.equal(staffDeclares.body.code, 'INCIDENT.FORBIDDEN');
      await as(manager).post(`/incidents/${major.id}/major`, { summary: '  ' }).expect(400);
      const declared = majorIncidentSchema.parse((await as(manager).post(`/incidents/${major.id}/major`, { summary: 'Nobody can send or receive mail.' }).expect(201)).body);
      assert.equal(declared.summary, 'Nobody can send or receive mail.');
      assert.equal(((await as(reporter).get(`/incidents/${major.id}`).expect(200)).body as Incident).isMajor, true);
      const again = await as(manager).post(`/incidents/${major.id}/major`, { summary: 'again' }).expect(409);
      assert.equal(again.body.code, 'MAJOR.ALREADY_DECLARED');
      const [declaredEvent] = await h.events.waitFor('incident.major_declared', major.id);
      assert.deepEqual(new Set(declaredEvent!.data.affectedUserIds), new Set([reporter.user.id, foreignStaff.user.id, colleague.user.id]));

      await as(reporter).post(`/incidents/${major.id}/major/updates`, { message: 'x' }).expect(403);
      const notMajor = await as(staff).post(`/incidents/${child.id}/major/updates`, { message: 'x' }).expect(404);
      assert.equal(notMajor.body.code, 'MAJOR.NOT_FOUND');
      await as(staff).post(`/incidents/${major.id}/major/updates`, { message: 'Failover to the second mail server has started.' }).expect(201);
      const [update] = await h.events.waitFor('incident.major_update_posted', major.id);
      assert.equal(update!.data.update.message, 'Failover to the second mail server has started.');
      assert.ok(update!.data.affectedUserIds.includes(colleague.user.id), 'the child incident\'s reporter hears of it');

      const notice = majorIncidentNoticeListSchema.parse((await as(colleague).get('/major-incidents').expect(200)).body);
      assert.deepEqual(
        notice.items.map((item) => [item.key, item.canOpen, item.childKey, item.latestUpdate?.message]),
        [[major.key, false, child.key, 'Failover to the second mail server has started.']],
      );
      assert.equal(majorIncidentNoticeListSchema.parse((await as(reporter).get('/major-incidents').expect(200)).body).items[0]?.canOpen, true);
      assert.deepEqual(majorIncidentNoticeListSchema.parse((await as(stranger).get('/major-incidents').expect(200)).body).items, [], `${unrelated.key}'s reporter is not affected`);
      await as(colleague).get(`/incidents/${major.id}/major`).expect(404);

      await start(major);
      await as(staff).patch(`/incidents/${major.id}`, { status: 'RESOLVED' }).expect(200);
      const early = await as(reporter).patch(`/incidents/${major.id}`, { status: 'CLOSED' }).expect(409);
      assert.equal(early.body.code, 'MAJOR.REVIEW_REQUIRED');
      const review = { whatHappened: 'A certificate expired on the mail relay.', impact: 'No mail for 3 hours, company-wide.', followUps: 'Monitor certificate expiry (IT, this week).' };
      await as(staff).put(`/incidents/${major.id}/review`).send(review).expect(403);
      await as(manager).put(`/incidents/${major.id}/review`).send({ ...review, impact: '' }).expect(400);
      const written = await as(manager).put(`/incidents/${major.id}/review`).send(review).expect(200);
      assert.equal(written.body.writtenById, manager.user.id);
      await as(reporter).patch(`/incidents/${major.id}`, { status: 'CLOSED' }).expect(200);
      const final = majorIncidentSchema.parse((await as(reporter).get(`/incidents/${major.id}/major`).expect(200)).body);
      assert.equal(final.review?.followUps, review.followUps);
      assert.equal(final.updates.length, 1);
      assert.deepEqual(majorIncidentNoticeListSchema.parse((await as(colleague).get('/major-incidents').expect(200)).body).items, [], 'the banner goes once it is resolved');
      const actions = (await timeline(reporter, major.id)).map((entry) => entry.action);
      for (const action of ['major_declared', 'major_update_posted', 'review_written'] as const) assert.ok(actions.includes(action), action);
    });
  });
});

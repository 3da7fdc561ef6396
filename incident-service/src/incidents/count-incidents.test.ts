import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INCIDENT_COUNT_CAP } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

describe('GET /incidents/count', () => {
  let h: IncidentHarness;
  let department: string;
  let otherDepartment: string;
  let category: string;
  let otherCategory: string;
  let reporter: TestUser;
  let staff: TestUser;
  let otherStaff: TestUser;

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment('IT');
    otherDepartment = await h.createDepartment('Facilities');
    category = await h.createCategory(department, 'Network');
    otherCategory = await h.createCategory(otherDepartment, 'Heating');
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    otherStaff = await h.createUser('staff', otherDepartment);
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });
  const listed = async (who: TestUser, query: string) => (await h.http.get(`/incidents?limit=100&${query}`).set(auth(who)).expect(200)).body.items as { id: string }[];
  const counted = async (who: TestUser, query: string) => (await h.http.get(`/incidents/count?${query}`).set(auth(who)).expect(200)).body as { count: number; capped: boolean };

  test('when figures are counted with the filters of a list, then each equals how many incidents that list holds, within the caller\'s scope', async () => {
    const high = await h.fileIncident(reporter, category, { title: 'Switch down', priority: 'HIGH' });
    await h.fileIncident(reporter, category, { title: 'Printer jam', priority: 'LOW' });
    await h.fileIncident(reporter, otherCategory, { title: 'Radiator cold', priority: 'HIGH' });
    await h.http.patch(`/incidents/${high.id}/assign`).set(auth(h.admin)).send({ assigneeId: staff.user.id }).expect(200);

    for (const query of ['', 'priority=HIGH', 'assigneeId=unassigned', 'assigneeId=me', 'status=OPEN,IN_PROGRESS', 'q=switch']) {
      assert.deepEqual(await counted(staff, query), { count: (await listed(staff, query)).length, capped: false }, `staff, ${query || 'no filter'}`);
      assert.deepEqual(await counted(h.admin, query), { count: (await listed(h.admin, query)).length, capped: false }, `admin, ${query || 'no filter'}`);
    }
    assert.equal((await counted(staff, '')).count, 2, 'staff count their own department only');
    assert.equal((await counted(h.admin, `departmentId=${otherDepartment}`)).count, 1);
    assert.equal((await counted(reporter, '')).count, 3, 'a reporter counts what they reported');
  });

  test('when a target falls due before the instant asked, then dueBefore counts it, and not one due later, met or already missed', async () => {
    const db = h.service.db;
    const soon = await h.fileIncident(reporter, otherCategory, { title: 'Response due soon' });
    await h.fileIncident(reporter, otherCategory, { title: 'Due much later' });
    const missed = await h.fileIncident(reporter, otherCategory, { title: 'Already missed' });
    const resolving = await h.fileIncident(reporter, otherCategory, { title: 'Resolution due soon' });
    const farOff = db.raw("now() + interval '3 days'");
    await db('incidents').where({ department_id: otherDepartment }).update({ response_due_at: farOff, resolution_due_at: farOff });
    await db('incidents').where({ id: soon.id }).update({ response_due_at: db.raw("now() + interval '1 hour'") });
    await db('incidents').where({ id: missed.id }).update({ response_due_at: db.raw("now() - interval '1 hour'"), response_breached_at: db.raw('now()') });
    await h.http.patch(`/incidents/${resolving.id}`).set(auth(otherStaff)).send({ status: 'IN_PROGRESS' }).expect(200);
    await db('incidents').where({ id: resolving.id }).update({ resolution_due_at: db.raw("now() + interval '2 hours'") });

    const dueBefore = new Date(Date.now() + 4 * 3_600_000).toISOString();
    const query = `dueBefore=${encodeURIComponent(dueBefore)}`;
    const ids = (await listed(otherStaff, query)).map((incident) => incident.id).sort();
    assert.deepEqual(ids, [soon.id, resolving.id].sort());
    assert.deepEqual(await counted(otherStaff, query), { count: 2, capped: false });
  });

  test('when more incidents match than the cap, then the count stops at the cap and says so', async () => {
    const db = h.service.db;
    const [template] = await db('incidents').where({ department_id: otherDepartment }).select('reporter_id', 'category_id').limit(1);
    await db('incidents').insert(
      Array.from({ length: INCIDENT_COUNT_CAP + 5 }, (_, index) => ({ title: `Bulk ${index}`, description: '', reporter_id: template.reporter_id, department_id: otherDepartment, category_id: template.category_id, priority: 'LOW' })),
    );
    assert.deepEqual(await counted(h.admin, `departmentId=${otherDepartment}&priority=LOW`), { count: INCIDENT_COUNT_CAP, capped: true });
  });

  test('when staff count another department, or give a bad filter, then they are refused with the reason', async () => {
    const refused = await h.http.get(`/incidents/count?departmentId=${otherDepartment}`).set(auth(staff)).expect(403);
    assert.equal(refused.body.code, 'INCIDENT.FORBIDDEN_DEPARTMENT');
    const bad = await h.http.get('/incidents/count?dueBefore=tomorrow').set(auth(staff)).expect(400);
    assert.equal(bad.body.errors[0].path, '/dueBefore');
    await h.http.get('/incidents/count').expect(401);
  });
});

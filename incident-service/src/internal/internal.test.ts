import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { incidentPageSchema, type FieldIssue, type Incident } from '@desk/contracts';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';

const INTERNAL_API_TOKEN = 'internal-token-for-tests-only-0123456789';

describe('internal listing of incidents for replicas', () => {
  let h: IncidentHarness;
  let category: string;
  let reporter: TestUser;

  before(async () => {
    h = await startIncidents({ INTERNAL_API_TOKEN });
    category = await h.createCategory(await h.createDepartment());
    reporter = await h.createUser('reporter');
  });
  after(() => h?.close());

  const internal = (query: Record<string, string | number> = {}) =>
    h.http.get('/internal/incidents').query(query).set('Authorization', `Bearer ${INTERNAL_API_TOKEN}`);

  /** Follows nextCursor to the end; returns every page's items. */
  const allPages = async (query: Record<string, string | number>) => {
    const pages: Incident[][] = [];
    let cursor: string | null = null;
    do {
      const response = await internal(cursor ? { ...query, cursor } : query).expect(200);
      const page = incidentPageSchema.parse(response.body);
      pages.push(page.items);
      cursor = page.nextCursor;
      assert.ok(pages.length <= 200, 'the cursor does not advance: paging would never end');
    } while (cursor);
    return pages;
  };

  const paths = (body: unknown) => (body as { errors: FieldIssue[] }).errors.map((issue) => issue.path).sort();

  test('when the internal token is missing or wrong, or a user access token is sent instead, then 401 AUTH.INTERNAL_TOKEN', async () => {
    const missing = await h.http.get('/internal/incidents').expect(401);
    assert.equal(missing.body.code, 'AUTH.INTERNAL_TOKEN');
    assert.match(missing.headers['content-type']!, /application\/problem\+json/);
    const wrong = await h.http.get('/internal/incidents').set('Authorization', 'Bearer not-the-internal-token-at-all').expect(401);
    assert.equal(wrong.body.code, 'AUTH.INTERNAL_TOKEN');
    const userToken = await h.http.get('/internal/incidents').set('Authorization', `Bearer ${h.admin.token}`).expect(401);
    assert.equal(userToken.body.code, 'AUTH.INTERNAL_TOKEN');
    incidentPageSchema.parse((await internal().expect(200)).body);
  });

  test('when a service pages through /internal/incidents, then every incident comes exactly once, whole, in the order they last changed', async () => {
    const filed: Incident[] = [];
    for (let index = 0; index < 5; index += 1) filed.push(await h.fileIncident(reporter, category, { title: `Replica incident ${index}` }));
    // Incidents changed in one statement share updated_at: the id must break the tie.
    await h.service.db('incidents').whereIn('id', [filed[1]!.id, filed[3]!.id]).update({ updated_at: h.service.db.fn.now() });

    const pages = await allPages({ limit: 2 });
    assert.ok(pages.length >= 3);
    assert.ok(pages.slice(0, -1).every((page) => page.length === 2));
    const seen = pages.flat();
    const expected = (await h.service.db('incidents').select('id').orderBy([{ column: 'updated_at' }, { column: 'id' }])).map(
      (row: { id: string }) => row.id,
    );
    assert.deepEqual(seen.map((incident) => incident.id), expected);
    for (const incident of filed) {
      const listed = seen.find((item) => item.id === incident.id);
      assert.ok(listed, `${incident.key} is missing`);
      // The full HTTP shape, as GET /incidents/{id} shows it, but for the people's names: those are
      // for people reading the API; a service keeps its own replica of the people.
      const single = await h.http.get(`/incidents/${incident.id}`).set('Authorization', `Bearer ${h.admin.token}`).expect(200);
      const { reporterName: _reporterName, assigneeName: _assigneeName, ...shape } = single.body as Record<string, unknown>;
      assert.deepEqual(listed, shape);
    }
  });

  test('when incidents changed within the same millisecond, then the cursor still tells them apart', async () => {
    const first = await h.fileIncident(reporter, category);
    const second = await h.fileIncident(reporter, category);
    // Far in the future, so they sort after everything else; 100 µs apart, one millisecond.
    await h.service.db('incidents').where({ id: first.id }).update({ updated_at: '2100-01-01T00:00:00.000100Z' });
    await h.service.db('incidents').where({ id: second.id }).update({ updated_at: '2100-01-01T00:00:00.000200Z' });

    const pages = await allPages({ updatedSince: '2099-12-31T00:00:00Z', limit: 1 });
    assert.deepEqual(
      pages.map((page) => page.map((incident) => incident.id)),
      [[first.id], [second.id]],
    );
    // Offsets other than Z are accepted too.
    const offset = incidentPageSchema.parse((await internal({ updatedSince: '2100-01-01T01:00:00.000150+01:00' }).expect(200)).body);
    assert.deepEqual(offset.items.map((incident) => incident.id), [second.id]);
    await h.service.db('incidents').whereIn('id', [first.id, second.id]).update({ updated_at: h.service.db.fn.now() });
  });

  test('when updatedSince is given, then only incidents changed at or after it come back, including older incidents changed since', async () => {
    const older = await h.fileIncident(reporter, category);
    const untouched = await h.fileIncident(reporter, category);
    const changed = await h.http
      .patch(`/incidents/${older.id}`)
      .set('Authorization', `Bearer ${h.admin.token}`)
      .send({ priority: 'HIGH' })
      .expect(200);
    const since = (changed.body as Incident).updatedAt;
    assert.ok(since > untouched.updatedAt);

    const items = (await allPages({ updatedSince: since })).flat();
    const ids = items.map((incident) => incident.id);
    assert.ok(ids.includes(older.id), 'updatedSince is inclusive');
    assert.ok(!ids.includes(untouched.id));
    assert.ok(items.every((incident) => incident.updatedAt >= since));
    const listed = items.find((incident) => incident.id === older.id)!;
    assert.equal(listed.priority, 'HIGH');
    assert.equal(listed.version, (changed.body as Incident).version);
  });

  test('when the query is invalid, then 400 VALIDATION.FAILED naming each parameter; unknown ones are ignored', async () => {
    const bad = await internal({ limit: 1001, updatedSince: 'yesterday', since: 'x' }).expect(400);
    assert.equal(bad.body.code, 'VALIDATION.FAILED');
    assert.match(bad.headers['content-type']!, /application\/problem\+json/);
    assert.deepEqual(paths(bad.body), ['/limit', '/updatedSince']);
    await internal({ limit: 10, since: 'x' }).expect(200);
    assert.deepEqual(paths((await internal({ limit: 0 }).expect(400)).body), ['/limit']);
    assert.deepEqual(paths((await internal({ limit: 'many' }).expect(400)).body), ['/limit']);
    assert.deepEqual(paths((await internal({ updatedSince: '2025-01-01' }).expect(400)).body), ['/updatedSince']);
    await internal({ limit: 1000 }).expect(200);
  });

  test('when the cursor is garbage or forged, then 400 naming cursor, never a failed query', async () => {
    const forge = (position: unknown) => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    for (const cursor of [
      'garbage',
      forge({ t: 'yesterday', id: randomUUID() }),
      forge({ t: '2025-01-31 09:15:02.123456+00', id: 'not-a-uuid' }),
      forge({ updatedAt: '2025-01-31T09:15:02Z', id: randomUUID() }),
    ]) {
      const response = await internal({ cursor }).expect(400);
      assert.equal(response.body.code, 'VALIDATION.FAILED');
      assert.deepEqual(paths(response.body), ['/cursor']);
    }
    // A well-formed position is a place in the order, whether or not a row sits there.
    await internal({ cursor: forge({ t: '2025-01-31 09:15:02.123456+00', id: randomUUID() }) }).expect(200);
  });
});

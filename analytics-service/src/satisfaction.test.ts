import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { after, before, describe, test } from 'node:test';
import type { AnalyticsSatisfaction, EventEnvelope, IncidentSnapshot } from '@desk/contracts';
import { snapshot, startAnalytics, type AnalyticsHarness, type TestUser } from './test-support/harness.js';

describe('satisfaction figures (CSAT)', () => {
  let h: AnalyticsHarness;
  let departmentA: string;
  let departmentB: string;
  let sam: TestUser;
  let kim: TestUser;
  let manager: TestUser;
  const categoryA = crypto.randomUUID();
  const categoryB = crypto.randomUUID();
  const incidents: IncidentSnapshot[] = [];

  /** A resolved incident of department A or B, assigned to Sam or Kim. */
  const resolvedIncident = (department: string, category: string, assigneeId: string, createdAt: string) =>
    snapshot({ departmentId: department, categoryId: category, reporterId: crypto.randomUUID(), createdAt, assigneeId, status: 'RESOLVED', resolvedAt: createdAt, version: 3 });

  const rating = (incident: IncidentSnapshot, value: number, ratedAt: string, time: string, previousRating: number | null = null): EventEnvelope => {
    const event = h.event('incident.satisfaction_rated', { incident, actorId: incident.reporterId, rating: value, comment: null, previousRating, ratedAt });
    return { ...event, time };
  };

  before(async () => {
    h = await startAnalytics();
    departmentA = await h.createDepartment('Facilities');
    departmentB = await h.createDepartment('IT');
    sam = await h.createUser('staff', departmentA, { fullName: 'Sam Staff' });
    kim = await h.createUser('staff', departmentB, { fullName: 'Kim Staff' });
    manager = await h.createUser('manager', departmentA);
    incidents.push(
      resolvedIncident(departmentA, categoryA, sam.user.id, '2026-03-02T09:00:00.000Z'),
      resolvedIncident(departmentA, categoryA, sam.user.id, '2026-03-03T09:00:00.000Z'),
      resolvedIncident(departmentA, categoryB, sam.user.id, '2026-03-10T09:00:00.000Z'),
      resolvedIncident(departmentB, categoryB, kim.user.id, '2026-03-10T10:00:00.000Z'),
    );
    const created = incidents.map((incident) => h.event('incident.status_changed', { incident, actorId: null, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null }));
    const ratings = [
      rating(incidents[0]!, 5, '2026-03-02T12:00:00.000Z', '2026-03-02T12:00:00.000Z'),
      // Rated 2, then changed to 4 two days later: the newer rating counts, even arriving first.
      rating(incidents[1]!, 4, '2026-03-03T12:00:00.000Z', '2026-03-05T12:00:00.000Z', 2),
      rating(incidents[1]!, 2, '2026-03-03T12:00:00.000Z', '2026-03-03T12:00:00.000Z'),
      rating(incidents[2]!, 3, '2026-03-11T12:00:00.000Z', '2026-03-11T12:00:00.000Z'),
      rating(incidents[3]!, 1, '2026-03-12T12:00:00.000Z', '2026-03-12T12:00:00.000Z'),
    ];
    await h.publish(...created, ...ratings);
    await h.handled(...created, ...ratings);
  });
  after(() => h?.close());

  const get = async (path: string, token = h.admin.token) => (await h.http.get(path).set('Authorization', `Bearer ${token}`).expect(200)).body as AnalyticsSatisfaction;

  test('the ratings in a window give the count, mean and CSAT (share of 4 and 5), overall and per department, category, assignee and week', async () => {
    const all = await get('/analytics/satisfaction?from=2026-03-01&to=2026-03-31');
    assert.deepEqual(all.overall, { responses: 4, average: 3.25, csat: 0.5, distribution: [1, 0, 1, 1, 1] });
    assert.deepEqual(
      all.byDepartment.map((line) => [line.name, line.responses, line.average, line.csat]),
      [
        ['Facilities', 3, 4, 2 / 3],
        ['IT', 1, 1, 0],
      ],
    );
    assert.deepEqual(all.byAssignee.map((line) => [line.name, line.responses]), [['Sam Staff', 3], ['Kim Staff', 1]]);
    assert.deepEqual(
      all.byCategory.map((line) => [line.categoryId, line.responses]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [[categoryA, 2], [categoryB, 2]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.deepEqual(all.trend.map((week) => [week.start, week.responses, week.csat]), [['2026-03-02', 2, 1], ['2026-03-09', 2, 0]]);
    // The window selects by when the rating was given.
    const firstWeek = await get('/analytics/satisfaction?from=2026-03-01&to=2026-03-08');
    assert.equal(firstWeek.overall.responses, 2);
    // Every filter the answer says it applied is applied (the incidents here are all MEDIUM).
    assert.equal((await get('/analytics/satisfaction?priority=MEDIUM')).overall.responses, 4);
    const high = await get('/analytics/satisfaction?priority=HIGH,CRITICAL');
    assert.deepEqual([high.filters.priority, high.overall.responses], [['HIGH', 'CRITICAL'], 0]);
    const none = await get('/analytics/satisfaction?from=2025-01-01&to=2025-02-01');
    assert.deepEqual(none.overall, { responses: 0, average: null, csat: null, distribution: [0, 0, 0, 0, 0] });
  });

  test('a manager sees their own department only; another is refused', async () => {
    const own = await get('/analytics/satisfaction', manager.token);
    assert.equal(own.filters.departmentId, departmentA);
    assert.equal(own.overall.responses, 3);
    const refused = await h.http.get(`/analytics/satisfaction?departmentId=${departmentB}`).set('Authorization', `Bearer ${manager.token}`).expect(403);
    assert.equal(refused.body.code, 'ANALYTICS.FORBIDDEN');
    await h.http.get('/analytics/satisfaction').set('Authorization', `Bearer ${sam.token}`).expect(403);
  });

  test('the CSV export carries each incident\'s rating and when it was given', async () => {
    const csv = await h.http.get('/analytics/export.csv').set('Authorization', `Bearer ${h.admin.token}`).expect(200);
    const rows = parse<Record<string, string>>(csv.text, { columns: true });
    const byId = new Map(rows.map((row) => [row.id, row]));
    assert.equal(byId.get(incidents[1]!.id)!.satisfaction_rating, '4');
    assert.equal(byId.get(incidents[1]!.id)!.satisfaction_rated_at, '2026-03-03T12:00:00.000Z');
    assert.equal(byId.get(incidents[3]!.id)!.satisfaction_rating, '1');
  });
});

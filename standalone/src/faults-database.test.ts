import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fileIncident, report, settle, setUpDesk, tally } from './test-support/faults.js';
import { startPlatform, type ApiClient, type RunningPlatform } from './test-support/platform.js';

// The fault suite, part 3: a consumer's database failing for a minute, against real Postgres,
// RabbitMQ and SMTP, with the retry tiers the services ship with.

const FAILURE_MS = 60_000;

describe('fault suite: a consumer\'s database failing (Postgres, RabbitMQ, SMTP, every service)', () => {
  let platform: RunningPlatform;
  let reporter: ApiClient;
  let categoryId: string;

  before(async () => {
    platform = await startPlatform();
    ({ reporter, categoryId } = await setUpDesk(platform, { email: 'dbfail@example.com', password: 'database password', fullName: 'Dana Database' }));
  });

  after(() => platform?.close());

  test(`2. notification-service's database refusing its work for ${FAILURE_MS / 1000} s: nothing is parked, and everything is applied once afterwards`, async (t) => {
    const db = platform.notifications.db;
    // Every event notification-service handles writes its inbox row first: refusing it fails each handler.
    await db.raw("create or replace function refuse_inbox() returns trigger language plpgsql as $$ begin raise exception 'the database is failing over'; end $$");
    await db.raw('create trigger refuse_inbox before insert on inbox for each row execute function refuse_inbox()');
    const failedAt = Date.now();
    const incidents: string[] = [];
    try {
      for (let index = 0; index < 20; index += 1) incidents.push((await fileIncident(reporter, categoryId, `Filed while the database fails ${index + 1} ${randomUUID().slice(0, 4)}`)).id);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, FAILURE_MS - (Date.now() - failedAt))));
      const during = await tally(platform, incidents);
      assert.equal(during.handled, 0, 'nothing was applied while the database refused it');
      assert.equal(during.parked, 0);
    } finally {
      await db.raw('drop trigger if exists refuse_inbox on inbox');
      await db.raw('drop function if exists refuse_inbox()');
    }
    const recoveredAt = Date.now();
    // The retry tiers (200 ms, 1 s, 5 s, 10 s, 1 min, …) reach past the minute: the next attempt applies it.
    const figures = await settle(platform, incidents, 90_000);
    report(t, `case 2 (consumer database failing ${FAILURE_MS / 1000} s)`, figures, { appliedAfterRecoveryMs: Date.now() - recoveredAt }, platform);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicates, 0);
    assert.equal(figures.parked, 0);
    assert.equal(figures.mails, incidents.length, 'one receipt per incident');
  });
});

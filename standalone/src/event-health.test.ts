import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ParkedEventDetail, ParkedEventList, ParkedEventView, ReplayParkedEventsResult } from '@desk/contracts';
import { ParkingLot, retryTiers } from '@desk/messaging';
import { waitFor } from '@desk/testing';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

interface Incident {
  id: string;
  key: string;
}

/**
 * The admin API of parked events, through the gateway, against every service on real Postgres,
 * RabbitMQ and SMTP: an event parked in a consumer is listed with its reason, replayed with its
 * effect once (the inbox deduplicates a second replay), discarded with the reason kept, and only
 * admins may do any of it.
 */
describe('event health: parked events through the gateway (Postgres, RabbitMQ, SMTP, every service)', () => {
  let platform: RunningPlatform;
  let admin: ApiClient;
  let reporter: ApiClient;
  let staff: ApiClient;
  let manager: ApiClient;
  let incident: Incident;
  let categoryId: string;
  const reporterEmail = 'rosa@example.com';

  const receiptsFor = (key: string) => platform.smtp.to(reporterEmail).filter((mail) => mail.headers.get('x-incident-key') === key);
  const parked = (query = '') => admin.call<ParkedEventList>('GET', `/admin/events/parked${query}`);

  before(async () => {
    // Three quick attempts: an event that keeps failing parks within a second, not hours.
    platform = await startPlatform({ delivery: { maxAttempts: 3, retryDelayMs: retryTiers([100, 200]) } });
    admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const department = await admin.call<{ id: string }>('POST', '/departments', { name: 'IT' });
    const category = await waitFor('the department replicated', async () => {
      const response = await admin.call<{ id: string }>('POST', '/categories', { name: 'Network', departmentId: department.body.id });
      return response.status === 201 ? response.body.id : undefined;
    });
    for (const [role, email] of [['staff', 'stan@example.com'], ['manager', 'mona@example.com']] as const) {
      assert.equal((await admin.call('POST', '/users', { email, password: 'kettle-orbit-meadow', fullName: email, role, departmentId: department.body.id })).status, 201);
    }
    staff = new ApiClient(platform.gatewayUrl);
    await staff.signIn('stan@example.com', 'kettle-orbit-meadow');
    manager = new ApiClient(platform.gatewayUrl);
    await manager.signIn('mona@example.com', 'kettle-orbit-meadow');
    reporter = new ApiClient(platform.gatewayUrl);
    assert.equal((await reporter.call('POST', '/auth/register', { email: reporterEmail, password: 'kettle-orbit-meadow', fullName: 'Rosa Reporter' })).status, 202);
    await reporter.signIn(reporterEmail, 'kettle-orbit-meadow');
    await waitFor('Rosa known to incident-service', async () => (await reporter.call('GET', '/incidents?limit=1')).status === 200);
    categoryId = category;
    const filed = await reporter.call<Incident>('POST', '/incidents', { title: 'Printer on floor 3 jams', description: 'Every second page.', categoryId });
    assert.equal(filed.status, 201);
    incident = filed.body;
    await waitFor('the receipt mailed', async () => receiptsFor(incident.key).length === 1);
  });

  after(() => platform?.close());

  test('when notification-service cannot store mail while an incident is filed, then the admin finds the event parked with its reason, replays it once the fault is gone, and the receipt goes out once', async () => {
    const db = platform.notifications.db;
    // The consumer's database refuses the mail rows (a restore, a full disk): a real failure of the handler.
    await db.raw("create or replace function refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'deliveries is read-only during the restore'; end $$");
    await db.raw('create trigger refuse_mail before insert on deliveries for each row execute function refuse_mail()');
    const filed = await reporter.call<Incident>('POST', '/incidents', { title: 'Badge reader at the side door', description: 'Red light only.', categoryId });
    assert.equal(filed.status, 201);
    const lost = filed.body;
    const [first] = await waitFor('the receipt event parked', async () => {
      const items = (await parked()).body.items.filter((item) => item.subject === lost.id);
      return items.length === 1 ? items : undefined;
    });
    await db.raw('drop trigger refuse_mail on deliveries');
    await db.raw('drop function refuse_mail()');
    assert.equal(receiptsFor(lost.key).length, 0);

    const listed = await parked();
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.unavailable, []);
    assert.equal(listed.body.consumers['notification-service']?.waiting, 1);
    assert.equal(listed.body.consumers['incident-service']?.waiting, 0);
    for (const name of ['incident-service', 'notification-service', 'analytics-service']) assert.equal(listed.body.consumers[name]?.eventBus.status, 'up', name);
    assert.equal(first!.consumer, 'notification-service');
    assert.equal(first!.eventType, 'incident.created');
    assert.equal(first!.reason, 'database error P0001: deliveries is read-only during the restore', 'the reason without the statement');
    assert.equal(first!.attempts, 3);
    assert.ok(first!.firstFailedAt <= first!.parkedAt);
    assert.equal(first!.status, 'parked');

    const detail = await admin.call<ParkedEventDetail>('GET', `/admin/events/parked/${first!.id}`);
    assert.equal(detail.status, 200);
    assert.equal((detail.body.event as { subject: string }).subject, lost.id);
    // Filters: by consumer, type and subject.
    assert.equal((await parked('?consumer=analytics-service')).body.items.filter((item) => item.subject === lost.id).length, 0);
    assert.equal((await parked(`?type=incident.created&subject=${lost.id}`)).body.items.length, 1);

    const replayed = await admin.call<ParkedEventView>('POST', `/admin/events/parked/${first!.id}/replay`);
    assert.equal(replayed.status, 200);
    assert.equal(replayed.body.status, 'replayed');
    assert.equal(replayed.body.replays, 1);
    await waitFor('the receipt mailed', async () => receiptsFor(lost.key).length === 1);

    const again = await admin.call<{ code: string; instance: string }>('POST', `/admin/events/parked/${first!.id}/replay`);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'EVENT.ALREADY_RESOLVED');
    assert.equal(again.body.instance, `/admin/events/parked/${first!.id}/replay`, 'the public path, not the consumer\'s internal one');

    // The same event parked a second time (by another replica, say), replayed in bulk: the
    // consumer's inbox knows it, so nothing happens twice.
    const lot = new ParkingLot(db, 'notification-service');
    await lot.park({ consumer: 'notification-service', eventId: detail.body.eventId, type: 'incident.created', body: JSON.stringify(detail.body.event), reason: 'again', attempts: 3, firstFailedAt: new Date().toISOString(), deadLetteredAt: new Date().toISOString() });
    const bulk = await admin.call<ReplayParkedEventsResult>('POST', '/admin/events/parked/replay', { consumer: 'notification-service', subject: lost.id });
    assert.equal(bulk.status, 202);
    assert.equal(bulk.body.requested, 1);
    assert.deepEqual(bulk.body.byConsumer, { 'notification-service': 1 });
    await waitFor('the bulk replay handed over', async () => (await parked('?status=replayed')).body.items.filter((item) => item.subject === lost.id).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(receiptsFor(lost.key).length, 1, 'the receipt went out once');
    assert.equal((await parked()).body.consumers['notification-service']?.waiting, 0);
  });

  test('when an event of a future data version arrives, then each consumer parks it at once, and an admin discards it with a reason that is kept', async () => {
    const outboxRow = await platform.incidents.db('outbox').where({ type: 'incident.created', subject: incident.id }).first<{ payload: Record<string, unknown> }>();
    const future = { ...outboxRow.payload, id: randomUUID(), dataversion: 99 };
    await platform.buses[1]!.publish(future as never);
    const both = await waitFor('parked by notification and analytics', async () => {
      const items = (await parked()).body.items.filter((item) => item.eventId === future.id);
      return items.length === 2 ? items : undefined;
    });
    assert.deepEqual(both.map((item) => item.consumer).sort(), ['analytics-service', 'notification-service']);
    for (const item of both) assert.match(item.reason, /dataversion 99/);

    const target = both[0]!;
    const noReason = await admin.call<{ code: string; errors: { path: string }[] }>('DELETE', `/admin/events/parked/${target.id}`, {});
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.errors[0]!.path, '/reason');
    const discarded = await admin.call<ParkedEventView>('DELETE', `/admin/events/parked/${target.id}`, { reason: 'Sent by a newer incident-service by mistake.' });
    assert.equal(discarded.status, 200);
    assert.equal(discarded.body.status, 'discarded');
    assert.equal(discarded.body.discardReason, 'Sent by a newer incident-service by mistake.');
    assert.equal((await admin.call('DELETE', `/admin/events/parked/${target.id}`, { reason: 'twice' })).status, 409);
    const kept = (await parked('?status=discarded')).body.items.find((item) => item.id === target.id);
    assert.equal(kept?.discardReason, 'Sent by a newer incident-service by mistake.');
    assert.ok(kept?.resolvedBy, 'who discarded it is kept');
  });

  test('when someone other than an admin asks, then every operation is refused; unknown ids are 404 and bad filters 400', async () => {
    const id = randomUUID();
    for (const [who, client] of [['reporter', reporter], ['staff', staff], ['manager', manager]] as const) {
      for (const [method, path, body] of [
        ['GET', '/admin/events/parked', undefined],
        ['GET', `/admin/events/parked/${id}`, undefined],
        ['POST', `/admin/events/parked/${id}/replay`, undefined],
        ['POST', '/admin/events/parked/replay', {}],
        ['DELETE', `/admin/events/parked/${id}`, { reason: 'not mine to say' }],
      ] as const) {
        const response = await client.call<{ code: string }>(method, path, body);
        assert.equal(response.status, 403, `${who}: ${method} ${path}`);
        assert.equal(response.body.code, 'AUTH.FORBIDDEN');
      }
    }
    assert.equal((await new ApiClient(platform.gatewayUrl).call('GET', '/admin/events/parked')).status, 401);
    // The services' own endpoints take only the internal token, and the gateway never routes them.
    assert.equal((await fetch(`${platform.incidentUrl}/internal/events/parked`)).status, 401);
    assert.equal((await admin.call('GET', '/internal/events/parked')).status, 404);

    const missing = await admin.call<{ code: string }>('POST', `/admin/events/parked/${id}/replay`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.code, 'EVENT.PARKED_NOT_FOUND');
    assert.equal((await admin.call('GET', '/admin/events/parked/not-an-id')).status, 404);
    const badLimit = await admin.call<{ errors: { path: string }[] }>('GET', '/admin/events/parked?limit=0');
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.body.errors[0]!.path, '/limit');
    assert.equal((await admin.call('GET', '/admin/events/parked?consumer=mailer')).status, 400);
    assert.equal((await admin.call('PUT', '/admin/events/parked')).status, 405);
    assert.equal((await admin.call('GET', '/admin/nothing')).status, 404);
  });
});

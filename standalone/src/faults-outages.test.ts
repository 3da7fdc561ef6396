import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TcpProxy, testAmqpUrl, waitFor } from '@desk/testing';
import { fileIncident, report, settle, setUpDesk, tally } from './test-support/faults.js';
import { startPlatform, type ApiClient, type RunningPlatform } from './test-support/platform.js';

// The fault suite, part 2: the broker unreachable for 90 s while the desk is busy, against real
// Postgres, RabbitMQ (through a TCP proxy the test cuts) and SMTP.

const OUTAGE_MS = 90_000;
const INCIDENTS = 200;

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += width) await Promise.all(items.slice(start, start + width).map(work));
}

describe('fault suite: a broker outage (Postgres, RabbitMQ, SMTP, every service)', () => {
  let proxy: TcpProxy;
  let platform: RunningPlatform;
  let admin: ApiClient;
  let reporter: ApiClient;
  let categoryId: string;

  before(async () => {
    proxy = await new TcpProxy('127.0.0.1', Number(new URL(testAmqpUrl()).port || 5672)).start();
    platform = await startPlatform({ amqpUrl: proxy.proxiedUrl(testAmqpUrl()) });
    ({ admin, reporter, categoryId } = await setUpDesk(platform, { email: 'outage@example.com', password: 'kettle-orbit-meadow', fullName: 'Otto Outage' }));
  });

  after(async () => {
    await platform?.close();
    await proxy?.stop();
  });

  test(`1. the broker unreachable for ${OUTAGE_MS / 1000} s while ${INCIDENTS} incidents are filed and changed: every write answers, every service stays ready, and everything is delivered once after`, async (t) => {
    const buses = [platform.identity.bus, platform.incidents.bus, platform.notifications.bus, platform.analytics.bus];
    proxy.cut();
    const cutAt = Date.now();
    await waitFor('every service to see the broker gone', () => buses.every((bus) => bus.health().status === 'down'), { timeoutMs: 20_000, intervalMs: 100 });

    const incidents: { id: string; key: string }[] = [];
    const statuses: number[] = [];
    await inBatches([...Array(INCIDENTS).keys()], 10, async (index) => {
      const incident = await fileIncident(reporter, categoryId, `Outage incident ${index + 1}`);
      incidents.push(incident);
      statuses.push(201);
      const changed = await admin.call('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' });
      statuses.push(changed.status);
    });
    const writesTookMs = Date.now() - cutAt;
    assert.deepEqual([...new Set(statuses)].sort(), [200, 201], 'every write answered 2xx while the broker was away');

    // Readiness is the service's own: its database. The broker's absence is reported, not unready.
    const urls = [platform.gatewayUrl, platform.identityUrl, platform.incidentUrl, platform.notificationUrl, platform.analyticsUrl];
    const unready: string[] = [];
    while (Date.now() - cutAt < OUTAGE_MS) {
      for (const url of urls) {
        const ready = await fetch(`${url}/health/ready`);
        if (ready.status !== 200) unready.push(`${url} ${ready.status}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    assert.deepEqual(unready, [], 'every service stayed ready through the outage');
    const pending = await tally(platform, incidents.map((incident) => incident.id));
    assert.equal(pending.handled, 0, 'nothing got through while the broker was away');

    proxy.restore();
    const restoredAt = Date.now();
    const firstDelivery = await waitFor(
      'the backlog to start draining',
      async () => ((await tally(platform, incidents.map((incident) => incident.id))).handled > 0 ? Date.now() - restoredAt : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const figures = await settle(platform, incidents.map((incident) => incident.id), 180_000);
    const drainedMs = Date.now() - restoredAt;
    report(t, `case 1 (broker unreachable ${OUTAGE_MS / 1000} s)`, figures, {
      writes: statuses.length,
      writesTookMs,
      drainStartedAfterMs: firstDelivery,
      allDeliveredAfterMs: drainedMs,
    }, platform);
    assert.ok(firstDelivery <= 10_000, `the backlog started draining ${firstDelivery} ms after the broker returned`);
    assert.equal(figures.produced, INCIDENTS * 2);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicates, 0);
    assert.equal(figures.parked, 0);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { contextOf, exchangeFor } from '@desk/contracts';
import { Outbox, ParkingLot, RabbitMqEventBus, retryTiers, type EventBus } from '@desk/messaging';
import { createLogger } from '@desk/platform';
import { LogCapture, TcpProxy, testAmqpUrl, waitFor } from '@desk/testing';
import amqp from 'amqplib';
import { fileIncident, report, settle, setUpDesk } from './test-support/faults.js';
import { startPlatform, type ApiClient, type RunningPlatform } from './test-support/platform.js';

// The fault suite, part 1: faults of the links between the services and the broker, against
// real Postgres, RabbitMQ (through a TCP proxy the test can freeze) and SMTP. Each case counts
// the events produced and their effects (inbox rows, facts, mails), and asserts none lost, none
// doubled, nothing parked. Part 2 (faults-outages.test.ts) holds the long outages.

describe('fault suite: links, crashes and poison (Postgres, RabbitMQ, SMTP, every service)', () => {
  let proxy: TcpProxy;
  let platform: RunningPlatform;
  let reporter: ApiClient;
  let categoryId: string;

  before(async () => {
    proxy = await new TcpProxy('127.0.0.1', Number(new URL(testAmqpUrl()).port || 5672)).start();
    platform = await startPlatform({ amqpUrl: proxy.proxiedUrl(testAmqpUrl()) });
    ({ reporter, categoryId } = await setUpDesk(platform, { email: 'faults@example.com', password: 'kettle-orbit-meadow', fullName: 'Fay Faults' }));
  });

  after(async () => {
    await platform?.close();
    await proxy?.stop();
  });

  test('3. a crash between the broker\'s confirm and the outbox mark: the event goes out again, and its effects happen once', async (t) => {
    const outbox = platform.incidents.outbox;
    await outbox.stop();
    const incident = await fileIncident(reporter, categoryId, `Crash after confirm ${randomUUID().slice(0, 8)}`);
    // A relay that publishes (the broker confirms) and then dies before marking the row.
    const realBus = platform.incidents.bus;
    let crashed = 0;
    const crashingBus: EventBus = {
      publish: async (event) => {
        await realBus.publish(event);
        crashed += 1;
        throw new Error('the process died after the confirm');
      },
      subscribe: (...args) => realBus.subscribe(...args),
      redeliver: (...args) => realBus.redeliver(...args),
      deadLetters: (...args) => realBus.deadLetters(...args),
      health: () => realBus.health(),
      canPublish: () => realBus.canPublish(),
      close: () => Promise.resolve(),
    };
    const dying = new Outbox({ db: platform.incidents.db, bus: crashingBus, logger: createLogger({ service: 'dying-relay', destination: new LogCapture() }), source: '/incident-service', retryDelayMs: () => 0 });
    await dying.relayOnce();
    assert.ok(crashed >= 1, 'the event reached the broker before the crash');
    const row = await platform.incidents.db('outbox').where({ subject: incident.id }).first<{ published_at: Date | null }>();
    assert.equal(row?.published_at, null, 'not marked: the restarted relay publishes it again');
    outbox.start();
    const figures = await settle(platform, [incident.id]);
    report(t, 'case 3 (crash between confirm and mark)', figures, { publishedBeforeTheCrash: crashed, publishedAgainAfter: 1 }, platform);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicates, 0);
    assert.equal(figures.parked, 0);
    assert.equal(figures.mails, 1, 'one receipt');
  });

  test('4. a poison event: parked after its attempts with the reason, and replayable once the cause is gone, with one effect', async (t) => {
    const namespace = platform.namespace;
    const consumer = `poison-test-${randomUUID().slice(0, 8)}`;
    const bus = await RabbitMqEventBus.connect({
      url: testAmqpUrl(),
      logger: createLogger({ service: consumer, destination: new LogCapture() }),
      connectionName: consumer,
      namespace,
      policy: { maxAttempts: 3, retryDelayMs: retryTiers([100, 200]) },
    });
    const lot = new ParkingLot(platform.notifications.db, consumer, { bus });
    const effects: string[] = [];
    let poisoned = true;
    try {
      await bus.waitUntilConnected();
      await bus.subscribe(
        consumer,
        {
          'incident.created': async (event) => {
            if (poisoned) throw new Error(`cannot file ${event.subject}: the category map has no entry for it`);
            effects.push(event.id);
          },
        },
        { park: lot.park },
      );
      const incident = await fileIncident(reporter, categoryId, `Poison ${randomUUID().slice(0, 8)}`);
      const [parked] = await waitFor('the event parked', async () => {
        const items = await lot.list({ subject: incident.id });
        return items.length === 1 ? items : undefined;
      });
      assert.equal(parked!.attempts, 3);
      assert.match(parked!.reason, /the category map has no entry/);
      assert.equal(effects.length, 0);

      poisoned = false;
      const replayed = await lot.replay(parked!.id, 'fault-suite');
      assert.equal(replayed?.status, 'replayed');
      await waitFor('the replayed event handled', () => effects.length === 1);
      assert.equal(await lot.replay(parked!.id, 'fault-suite'), undefined, 'a replayed event cannot be replayed again');
      await new Promise((resolve) => setTimeout(resolve, 500));
      t.diagnostic(`case 4 (poison): parked after 3 attempts with its reason; replayed; effects ${effects.length}`);
      assert.equal(effects.length, 1);
      // The platform's own consumers handled the same event normally.
      const figures = await settle(platform, [incident.id]);
      report(t, 'case 4 (poison), platform consumers', figures, {}, platform);
      assert.equal(figures.lost + figures.duplicates + figures.parked, 0);
    } finally {
      await bus.deleteTopology().catch(() => undefined);
      await bus.close();
    }
  });

  test('5. a half-open broker link (a proxy that stops forwarding without closing): every service notices within 15 s, says so, and recovers', async (t) => {
    const buses = [platform.incidents.bus, platform.notifications.bus, platform.analytics.bus];
    // Half-open, and no new connection until the checks below are done: the services stay down meanwhile.
    proxy.freeze({ refuseNew: true });
    const frozenAt = Date.now();
    const noticed = await Promise.all(
      buses.map(async (bus) => {
        await waitFor('the bus to notice', () => bus.health().status === 'down', { timeoutMs: 20_000, intervalMs: 100 });
        return Date.now() - frozenAt;
      }),
    );
    // Reported, not unready: the service serves on and its outbox keeps what it writes.
    const health = (await (await fetch(`${platform.notificationUrl}/health`)).json()) as { status: string; checks: { eventBus: { status: string } } };
    assert.equal(health.checks.eventBus.status, 'down');
    assert.equal((await fetch(`${platform.notificationUrl}/health/ready`)).status, 200);
    proxy.restore();
    await waitFor('every bus to reconnect', () => buses.every((bus) => bus.health().status === 'up'), { timeoutMs: 20_000 });
    const recoveredAfter = Date.now() - frozenAt;
    const incident = await fileIncident(reporter, categoryId, `After the half-open link ${randomUUID().slice(0, 8)}`);
    const figures = await settle(platform, [incident.id]);
    report(t, 'case 5 (half-open link)', figures, { noticedWithinMs: Math.max(...noticed), recoveredWithinMs: recoveredAfter }, platform);
    assert.ok(Math.max(...noticed) <= 15_000, `noticed after ${noticed.join(', ')} ms`);
    assert.equal(figures.lost + figures.duplicates + figures.parked, 0);
  });

  test('6. a consumer\'s queue deleted under it: it declares the queue again and consumes within 10 s', async (t) => {
    const connection = await amqp.connect(testAmqpUrl());
    try {
      const channel = await connection.createChannel();
      const queue = `${platform.namespace}notification-service`;
      await channel.deleteQueue(queue);
      const deletedAt = Date.now();
      await waitFor(
        'the queue declared again, with its consumer',
        async () => {
          const probe = await connection.createChannel();
          probe.on('error', () => undefined);
          try {
            return (await probe.checkQueue(queue)).consumerCount > 0;
          } catch {
            return false;
          } finally {
            await probe.close().catch(() => undefined);
          }
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      const consumingAfter = Date.now() - deletedAt;
      // Bound again to its exchange: an incident filed now reaches it.
      assert.ok((await channel.checkExchange(`${platform.namespace}${exchangeFor(contextOf('incident.created'))}`)) !== undefined);
      const incident = await fileIncident(reporter, categoryId, `After the queue was deleted ${randomUUID().slice(0, 8)}`);
      const figures = await settle(platform, [incident.id]);
      report(t, 'case 6 (queue deleted)', figures, { consumingAgainWithinMs: consumingAfter }, platform);
      assert.ok(consumingAfter <= 10_000);
      assert.equal(figures.lost + figures.duplicates + figures.parked, 0);
      await channel.close();
    } finally {
      await connection.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectDatabase } from '@desk/platform';
import { TcpProxy, createTestDatabase, testAmqpUrl, uniqueBrokerNamespace, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import { withInbox } from './inbox.js';
import { inboxMigration, outboxFailureMigration, outboxMigration } from './migrations.js';
import { Outbox } from './outbox.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { effectsMigration, silentLogger } from './test-support/bus-contract.js';

const EVENT_COUNT = 1000;

let database: TestDatabase;
let db: Knex;

before(async () => {
  database = await createTestDatabase('broker-restart');
  db = await connectDatabase({
    url: database.url,
    schema: 'restart',
    migrations: [
      outboxMigration,
      outboxFailureMigration,
      inboxMigration,
      effectsMigration,
    ],
    logger: silentLogger,
  });
});

after(async () => {
  await db?.destroy();
  await database?.drop();
});

test('when the broker connection is cut with 1,000 events in flight, then the consumer ends with each event exactly once', async () => {
  const amqpPort = Number(new URL(testAmqpUrl()).port || 5672);
  const proxy = await new TcpProxy('127.0.0.1', amqpPort).start();
  const namespace = uniqueBrokerNamespace('restart');
  const connect = (connectionName: string) =>
    RabbitMqEventBus.connect({
      url: proxy.proxiedUrl(testAmqpUrl()),
      logger: silentLogger,
      connectionName,
      namespace,
      policy: { maxAttempts: 10, retryDelayMs: () => 50 },
      reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
    });
  // Publisher and consumer on connections of their own, as in two services.
  const publisher = await connect('restart test publisher');
  const consumer = await connect('restart test consumer');
  let handled = 0;
  let cutAt = 0;
  const outbox = new Outbox({ db, bus: publisher, logger: silentLogger, source: '/identity-service', pollIntervalMs: 100, retryDelayMs: () => 100 });

  try {
    await Promise.all([publisher.waitUntilConnected(), consumer.waitUntilConnected()]);
    await consumer.subscribe(
      'restart-consumer',
      withInbox(db, 'restart-consumer', {
        'department.created': async (event, trx) => {
          await trx('effects').insert({ event_id: event.id });
          // A little work per event keeps messages in flight when the cut comes.
          await sleep(2);
          handled += 1;
          // Cut the connection from inside a handler, so the cut lands while messages are
          // being handled, unacknowledged, and the outbox still has rows to publish.
          if (handled === 200) cutAt = Date.now();
          if (handled === 200) proxy.cut();
        },
      }),
      { prefetch: 50 },
    );
    outbox.start();

    const written: string[] = [];
    for (let batch = 0; batch < EVENT_COUNT / 100; batch += 1) {
      await db.transaction(async (trx) => {
        for (let i = 0; i < 100; i += 1) {
          const id = crypto.randomUUID();
          const now = new Date().toISOString();
          const event = await outbox.add(trx, 'department.created', {
            subject: id,
            data: { department: { id, name: `Department ${batch}-${i}`, description: null, createdAt: now, updatedAt: now } },
          });
          written.push(event.id);
        }
      });
    }

    await waitFor('the cut, 200 events in', () => cutAt > 0, { timeoutMs: 20_000 });
    const pendingAtCut = await outbox.pendingCount();
    await waitFor('the consumer to notice the outage', () => consumer.health().status === 'down');
    await sleep(1000);
    proxy.restore();

    await waitFor(
      'every event to take effect',
      async () => Number((await db('effects').countDistinct<{ count: string }[]>('event_id as count'))[0]!.count) === EVENT_COUNT,
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    await waitFor('the outbox to be empty', async () => (await outbox.pendingCount()) === 0, { timeoutMs: 10_000 });
    // Redeliveries after the reconnect may still be arriving: let them land before counting.
    await sleep(500);

    assert.ok(pendingAtCut > 0, `the outbox still had events to publish at the cut (${pendingAtCut})`);
    const effects = await db('effects').select('event_id');
    assert.equal(effects.length, EVENT_COUNT, 'no event took effect twice');
    assert.deepEqual(new Set(effects.map((row: { event_id: string }) => row.event_id)), new Set(written));
    assert.equal((await consumer.deadLetters('restart-consumer')).length, 0);
  } finally {
    await outbox.stop();
    await consumer.deleteTopology().catch(() => undefined);
    await consumer.close();
    await publisher.close();
    await proxy.stop();
  }
});

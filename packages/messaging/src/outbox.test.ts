import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnyEvent, EventEnvelope } from '@desk/contracts';
import { connectDatabase } from '@desk/platform';
import { TcpProxy, createTestDatabase, testAmqpUrl, uniqueBrokerNamespace, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import { PublishError, type EventBus } from './bus.js';
import { InProcessEventBus } from './in-process-bus.js';
import { outboxFailureMigration, outboxMigration } from './migrations.js';
import { Outbox } from './outbox.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { silentLogger, testPolicy } from './test-support/bus-contract.js';

function departmentData(id: string, name: string) {
  const now = new Date().toISOString();
  return { department: { id, name, description: null, createdAt: now, updatedAt: now } };
}

describe('Outbox', () => {
  let database: TestDatabase;
  let db: Knex;

  before(async () => {
    database = await createTestDatabase('outbox');
    db = await connectDatabase({ url: database.url, schema: 'producer', migrations: [outboxMigration, outboxFailureMigration], logger: silentLogger });
  });

  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  beforeEach(async () => {
    await db('outbox').delete();
  });

  async function commitDepartment(outbox: Outbox, name: string, subject = crypto.randomUUID()) {
    return db.transaction((trx) => outbox.add(trx, 'department.created', { subject, data: departmentData(subject, name) }));
  }

  test('when the broker is unreachable, then committed events wait in the outbox and are delivered once it is back', async () => {
    const proxy = await new TcpProxy('127.0.0.1', Number(new URL(testAmqpUrl()).port || 5672)).start();
    const bus = await RabbitMqEventBus.connect({
      url: proxy.proxiedUrl(testAmqpUrl()),
      logger: silentLogger,
      connectionName: 'outbox outage test',
      namespace: uniqueBrokerNamespace('outbox'),
      policy: testPolicy,
      reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    });
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service', pollIntervalMs: 100, retryDelayMs: () => 100 });
    try {
      await bus.waitUntilConnected();
      const received = new Set<string>();
      await bus.subscribe('consumer', { 'department.created': async (event) => void received.add(event.id) });
      outbox.start();

      proxy.cut();
      await waitFor('the bus to notice the outage', () => bus.health().status === 'down');
      const written: EventEnvelope[] = [];
      for (let i = 0; i < 10; i += 1) written.push(await commitDepartment(outbox, `During outage ${i}`));
      await sleep(500); // several relay rounds while the broker is away
      assert.equal(received.size, 0);
      const waiting = await db('outbox').whereNull('published_at');
      assert.equal(waiting.length, written.length);
      assert.ok(waiting.every((row: { attempts: number }) => row.attempts === 0), 'an outage spends no attempt and grows no backoff');

      proxy.restore();
      const back = Date.now();
      await waitFor('every event to arrive', () => received.size === written.length, { timeoutMs: 15_000 });
      assert.ok(Date.now() - back < 10_000, `the backlog drained ${Date.now() - back} ms after the broker came back`);
      assert.deepEqual(received, new Set(written.map((event) => event.id)));
      await waitFor('every row to be marked published', async () => (await outbox.pendingCount()) === 0);
    } finally {
      await outbox.stop();
      await bus.deleteTopology().catch(() => undefined);
      await bus.close();
      await proxy.stop();
    }
  });

  test('when the relay was stopped between commit and publish, then its next start delivers', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const received: string[] = [];
    await bus.subscribe('consumer', { 'department.created': async (event) => void received.push(event.id) });

    const first = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service' });
    first.start();
    await first.stop();
    const event = await commitDepartment(first, 'Committed while stopped');
    await sleep(200);
    assert.equal(received.length, 0, 'nothing is published while no relay runs');
    assert.equal(await first.pendingCount(), 1);

    const restarted = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service' });
    restarted.start();
    await waitFor('the event after restart', () => received.includes(event.id));
    await restarted.stop();
    await bus.close();
  });

  test('when the writing transaction rolls back, then its event is never published', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const received: AnyEvent[] = [];
    await bus.subscribe('consumer', { 'department.created': async (event) => void received.push(event) });
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service', pollIntervalMs: 50 });
    outbox.start();

    await assert.rejects(
      db.transaction(async (trx) => {
        await outbox.add(trx, 'department.created', { subject: crypto.randomUUID(), data: departmentData(crypto.randomUUID(), 'Rolled back') });
        throw new Error('the change failed after the event was written');
      }),
      /the change failed/,
    );
    const marker = await commitDepartment(outbox, 'Committed after');
    await waitFor('the committed event', () => received.some((event) => event.id === marker.id));
    await sleep(150);
    assert.deepEqual(received.map((event) => event.type === 'department.created' && event.data.department.name), ['Committed after']);
    assert.equal((await db('outbox')).length, 1, 'the rolled-back row never existed');
    await outbox.stop();
    await bus.close();
  });

  test('when one publish fails, then later events of that subject wait for it and other subjects go on', async () => {
    const inner = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const order: string[] = [];
    await inner.subscribe('consumer', {
      'department.created': async (event) => void order.push(event.data.department.name),
    });
    // The broker refuses the first attempt of one event (a nack), as RabbitMQ may under pressure.
    let refused = false;
    const flaky: EventBus = {
      publish: async (event) => {
        if (!refused && event.type === 'department.created' && event.data.department.name === 'A1') {
          refused = true;
          throw new PublishError('nacked', 'RabbitMQ refused the message');
        }
        await inner.publish(event);
      },
      subscribe: (...args) => inner.subscribe(...args),
      redeliver: (...args) => inner.redeliver(...args),
      deadLetters: (...args) => inner.deadLetters(...args),
      health: () => inner.health(),
      canPublish: () => inner.canPublish(),
      close: () => inner.close(),
    };
    // Long enough that the failed row is still waiting when it is looked at, on a busy machine too.
    const outbox = new Outbox({ db, bus: flaky, logger: silentLogger, source: '/identity-service', retryDelayMs: () => 1_500 });
    const subjectA = crypto.randomUUID();
    const subjectB = crypto.randomUUID();
    await db.transaction(async (trx) => {
      for (const name of ['A1', 'A2', 'A3']) {
        await outbox.add(trx, 'department.created', { subject: subjectA, data: departmentData(subjectA, name) });
      }
      await outbox.add(trx, 'department.created', { subject: subjectB, data: departmentData(subjectB, 'B1') });
    });

    outbox.start();
    await waitFor('the other subject to be delivered', () => order.includes('B1'));
    assert.ok(!order.includes('A2'), 'A2 waits while A1 is due for a retry');
    const failed = await db('outbox').where('attempts', 1).first<{ last_error: string }>();
    assert.match(failed.last_error, /refused/);
    await waitFor('subject A after the retry', () => order.includes('A3'), { timeoutMs: 5000 });
    assert.deepEqual(order.filter((name) => name.startsWith('A')), ['A1', 'A2', 'A3']);
    await outbox.stop();
    await inner.close();
  });

  test('when an event of a subject has no consumer, then the later events of that subject still go out', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const received: string[] = [];
    await bus.subscribe('consumer', { 'department.updated': async (event) => void received.push(event.id) });
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service', retryDelayMs: () => 60_000 });
    const subject = crypto.randomUUID();
    const later = await db.transaction(async (trx) => {
      await outbox.add(trx, 'department.created', { subject, data: departmentData(subject, 'Nobody listens to this') });
      const now = new Date().toISOString();
      return outbox.add(trx, 'department.updated', {
        subject,
        data: { department: { id: subject, name: 'Renamed', description: null, createdAt: now, updatedAt: now }, changedFields: ['name'] },
      });
    });
    assert.deepEqual(await outbox.relayOnce(), { published: 1, failed: 1 });
    assert.deepEqual(received, [later.id]);
    await bus.close();
  });

  test('when nothing is bound to a type no service consumes, then its row is retired at once, not retried', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    // Every type has a consumer today (notification-service relays them all to webhooks); the
    // catalogue of a deployment where category.* had none is stood in.
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/incident-service', retryDelayMs: () => 10, consumersOf: (type) => (type.startsWith('category.') ? [] : ['notification-service']) });
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    await db.transaction((trx) =>
      outbox.add(trx, 'category.created', { subject: id, data: { category: { id, name: 'Printers', description: null, departmentId: crypto.randomUUID(), isActive: true, createdAt: now, updatedAt: now } } }),
    );
    assert.deepEqual(await outbox.relayOnce(), { published: 0, failed: 0 });
    const row = await db('outbox').first<{ published_at: Date | null; last_failure: string; attempts: number }>();
    assert.ok(row.published_at, 'done with');
    assert.equal(row.last_failure, 'retired');
    assert.equal(row.attempts, 0);
    await sleep(20);
    assert.deepEqual(await outbox.relayOnce(), { published: 0, failed: 0 }, 'never tried again');
    assert.equal(await outbox.pendingCount(), 0);
    await bus.close();
  });

  test('when no consumer is bound to a type, then its rows stay pending with the reason', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service', retryDelayMs: () => 60_000 });
    await commitDepartment(outbox, 'Nobody listens');
    const round = await outbox.relayOnce();
    assert.deepEqual(round, { published: 0, failed: 1 });
    const row = await db('outbox').first<{ published_at: Date | null; last_error: string }>();
    assert.equal(row.published_at, null);
    assert.match(row.last_error, /no consumer is bound to "department.created"/);
    await bus.close();
  });

  test('when an event is written, then its row holds the whole envelope, its type and subject', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service' });
    const event = await commitDepartment(outbox, 'Traced');
    const row = await db('outbox').where('event_id', event.id).first<{ payload: EventEnvelope; type: string; subject: string }>();
    assert.equal(row.type, 'department.created');
    assert.equal(row.subject, event.subject);
    assert.deepEqual(row.payload, event);
    assert.equal(row.payload.source, '/identity-service');
    await bus.close();
  });
});

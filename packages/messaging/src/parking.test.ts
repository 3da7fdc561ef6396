import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectDatabase } from '@desk/platform';
import { createTestDatabase, testAmqpUrl, uniqueBrokerNamespace, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import type { EventBus } from './bus.js';
import { withInbox } from './inbox.js';
import { InProcessEventBus } from './in-process-bus.js';
import { inboxMigration } from './migrations.js';
import { EventsCommandError, runEventsCommand } from './events-command.js';
import { ParkingLot, parkedEventsMigration } from './parking.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { departmentCreated, effectsMigration, silentLogger, testPolicy } from './test-support/bus-contract.js';

let database: TestDatabase;
let db: Knex;

before(async () => {
  database = await createTestDatabase('parking');
  db = await connectDatabase({
    url: database.url,
    schema: 'consumer',
    migrations: [inboxMigration, parkedEventsMigration, effectsMigration],
    logger: silentLogger,
  });
});

after(async () => {
  await db?.destroy();
  await database?.drop();
});

for (const kind of ['in-process', 'RabbitMQ'] as const) {
  describe(`the parking lot, on the ${kind} bus`, () => {
    let bus: EventBus;
    let lot: ParkingLot;
    let broken = true;
    const consumer = `parking-${kind === 'in-process' ? 'memory' : 'rabbit'}`;

    before(async () => {
      if (kind === 'in-process') bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
      else {
        const rabbit = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: silentLogger, connectionName: 'parking test', namespace: uniqueBrokerNamespace('parking'), policy: testPolicy });
        await rabbit.waitUntilConnected(10_000);
        bus = rabbit;
      }
      lot = new ParkingLot(db, consumer, { bus, logger: silentLogger });
      await bus.subscribe(
        consumer,
        withInbox(db, consumer, {
          'department.created': async (event, trx) => {
            if (broken && event.data.department.name.startsWith('Poison')) throw new Error('the projection rejects this department');
            await trx('effects').insert({ event_id: event.id });
          },
        }),
        { park: lot.park },
      );
    });

    after(async () => {
      if (bus instanceof RabbitMqEventBus) await bus.deleteTopology();
      await bus?.close();
    });

    test('when an event fails all its attempts, then it is parked in the consumer\'s database with its reason, attempts and times, not in a dead-letter queue', async () => {
      const poison = departmentCreated('Poison one');
      await bus.publish(poison);
      const [parked] = await waitFor('the event parked', async () => {
        const found = await lot.list({ eventType: 'department.created' });
        return found.some((event) => event.eventId === poison.id) ? found.filter((event) => event.eventId === poison.id) : undefined;
      });
      assert.equal(parked!.attempts, testPolicy.maxAttempts);
      assert.match(parked!.reason, /the projection rejects this department/);
      assert.equal(parked!.subject, poison.subject);
      assert.ok(Date.parse(parked!.firstFailedAt) <= Date.parse(parked!.parkedAt));
      assert.equal(await lot.count(), 1);
      assert.deepEqual(await bus.deadLetters(consumer), []);
    });

    test('when an admin replays a parked event after the fix, then it is handled once, also when replayed again meanwhile', async () => {
      const [parked] = await lot.list();
      broken = false;
      const replayed = await lot.replay(parked!.id, 'admin@example.com');
      assert.equal(replayed?.status, 'replayed');
      assert.equal(replayed?.resolvedBy, 'admin@example.com');
      await waitFor('the effect', async () => (await db('effects').where({ event_id: parked!.eventId })).length === 1);
      assert.equal(await lot.replay(parked!.id, 'admin@example.com'), undefined, 'a replayed event is no longer parked');
      // The same event handed over again (a second replay after a re-park, say): the inbox drops it.
      await bus.redeliver(consumer, JSON.stringify({ ...departmentCreated('Poison one, again'), id: parked!.eventId }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal((await db('effects').where({ event_id: parked!.eventId })).length, 1);
      assert.equal(await lot.count(), 0);
    });

    test('when an event carries a data version this consumer does not know yet, then it is parked at once, replayable once the consumer is upgraded', async () => {
      const future = { ...departmentCreated('From the future'), dataversion: 99 };
      await bus.redeliver(consumer, JSON.stringify(future));
      const [parked] = await waitFor('the future event parked', async () => {
        const found = (await lot.list()).filter((event) => event.eventId === future.id);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(parked!.attempts, 1, 'not retried: no attempt can succeed before an upgrade');
      assert.match(parked!.reason, /version|99/i);
      await lot.discard(parked!.id, 'test', 'cleared for the next case');
    });

    test('when an operator uses the events command, then it lists, requests a replay the running service carries out, and discards with a reason', async () => {
      broken = true;
      const poison = departmentCreated('Poison three');
      await bus.publish(poison);
      await waitFor('the third event parked', async () => (await lot.list()).some((event) => event.eventId === poison.id));
      // The command works through the database only, as from a shell next to the service.
      const shell = new ParkingLot(db, consumer);
      const listed = await runEventsCommand(shell, ['parked', '--type', 'department.created']);
      assert.match(listed, new RegExp(`parked event\\(s\\) of ${consumer}`));
      assert.match(listed, /the projection rejects this department/);
      const parkedId = (await shell.list()).find((event) => event.eventId === poison.id)!.id;
      await assert.rejects(runEventsCommand(shell, ['discard', parkedId]), (error: unknown) => error instanceof EventsCommandError && /--reason/.test(error.message));
      await assert.rejects(runEventsCommand(shell, ['replay', crypto.randomUUID()]), /has no parked event/);
      await assert.rejects(runEventsCommand(shell, ['explode']), /Usage:/);

      broken = false;
      assert.match(await runEventsCommand(shell, ['replay', parkedId], 'ops@example.com'), /requested/);
      lot.start(50);
      try {
        await waitFor('the requested replay to take effect', async () => (await db('effects').where({ event_id: poison.id })).length === 1);
        const [replayed] = await shell.list({ status: 'replayed', subject: poison.subject });
        assert.equal(replayed?.resolvedBy, 'ops@example.com');
      } finally {
        await lot.stop();
      }
    });

    test('when an admin discards a parked event, then it stays on record with who and why, and is not replayable', async () => {
      broken = true;
      const poison = departmentCreated('Poison two');
      await bus.publish(poison);
      const [parked] = await waitFor('the second event parked', async () => {
        const found = (await lot.list()).filter((event) => event.eventId === poison.id);
        return found.length > 0 ? found : undefined;
      });
      const discarded = await lot.discard(parked!.id, 'admin@example.com', 'a test department, never meant to exist');
      assert.equal(discarded?.status, 'discarded');
      assert.equal(discarded?.discardReason, 'a test department, never meant to exist');
      assert.equal(await lot.replay(parked!.id, 'admin@example.com'), undefined);
      assert.ok((await lot.list({ status: 'discarded' })).some((event) => event.eventId === poison.id));
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { buildEvent, type AnyEvent, type EventEnvelope } from '@desk/contracts';
import { connectDatabase, type Migration } from '@desk/platform';
import { createTestDatabase, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import pino from 'pino';
import { NotYetError, PublishError, type DeliveryPolicy, type EventBus } from '../bus.js';
import { withInbox } from '../inbox.js';
import { inboxMigration } from '../migrations.js';

export const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** A consumer's effects for tests: one row per effect, no unique constraint, so a doubled effect is countable. */
export const effectsMigration: Migration = {
  name: '0001_effects',
  async up(knex) {
    await knex.schema.createTable('effects', (table) => {
      table.bigIncrements('id');
      table.uuid('event_id').notNullable();
    });
  },
};

/** Fast retries so the contract runs in well under a second per case. */
export const testPolicy: DeliveryPolicy = { maxAttempts: 3, retryDelayMs: () => 30 };

export function departmentCreated(name = `Dept ${randomUUID().slice(0, 8)}`): EventEnvelope<'department.created'> {
  const id = randomUUID();
  const now = new Date().toISOString();
  return buildEvent('department.created', {
    source: '/identity-service',
    subject: id,
    data: { department: { id, name, description: null, createdAt: now, updatedAt: now } },
  });
}

export function departmentUpdated(): EventEnvelope<'department.updated'> {
  const id = randomUUID();
  const now = new Date().toISOString();
  return buildEvent('department.updated', {
    source: '/identity-service',
    subject: id,
    data: { department: { id, name: 'Renamed', description: 'x', createdAt: now, updatedAt: now }, changedFields: ['name'] },
  });
}

export interface BusUnderTest {
  bus: EventBus;
  /** Tears down what the bus created (queues, connections). */
  dispose(): Promise<void>;
}

/**
 * The behaviour every EventBus implementation must have. Each case gets a fresh bus (and so a
 * fresh set of consumers), built by `create` with the test policy.
 */
export function eventBusContract(name: string, create: (policy: DeliveryPolicy) => Promise<BusUnderTest>): void {
  describe(`${name} (EventBus contract)`, () => {
    let database: TestDatabase;
    let db: Knex;

    before(async () => {
      database = await createTestDatabase(`bus-${name}`);
      db = await connectDatabase({
        url: database.url,
        schema: 'consumer',
        migrations: [inboxMigration, effectsMigration],
        logger: silentLogger,
      });
    });

    after(async () => {
      await db?.destroy();
      await database?.drop();
    });

    async function withBus(run: (bus: EventBus) => Promise<void>, policy: DeliveryPolicy = testPolicy): Promise<void> {
      const underTest = await create(policy);
      try {
        await run(underTest.bus);
      } finally {
        await underTest.dispose();
      }
    }

    test('when an event is published, then every consumer bound to its type receives it once, intact', () =>
      withBus(async (bus) => {
        const received: Record<string, AnyEvent[]> = { audit: [], notifications: [], other: [] };
        await bus.subscribe('audit', { 'department.created': async (event) => void received.audit!.push(event) });
        await bus.subscribe('notifications', {
          'department.created': async (event) => void received.notifications!.push(event),
          'department.updated': async (event) => void received.notifications!.push(event),
        });
        await bus.subscribe('other', { 'department.updated': async (event) => void received.other!.push(event) });

        const event = departmentCreated();
        await bus.publish(event);

        await waitFor('both consumers to receive the event', () => received.audit!.length === 1 && received.notifications!.length === 1);
        assert.deepEqual(received.audit![0], event);
        assert.deepEqual(received.notifications![0], event);
        assert.equal(received.other!.length, 0, 'a consumer not bound to the type receives nothing');
      }));

    test('when nobody is bound to an event type, then publishing it is refused as unroutable', () =>
      withBus(async (bus) => {
        await bus.subscribe('audit', { 'department.created': async () => {} });
        await assert.rejects(bus.publish(departmentUpdated()), (error: unknown) => {
          assert.ok(error instanceof PublishError);
          assert.equal(error.failure, 'unroutable');
          return true;
        });
      }));

    test('when a handler says "not yet" (NotYetError) more often than maxAttempts, then the event waits without spending attempts, and is handled', () =>
      withBus(async (bus) => {
        const waiting = departmentCreated('Waits');
        const seen: { attempt: number }[] = [];
        let handled = false;
        await bus.subscribe('audit', {
          'department.created': async (_event, delivery) => {
            seen.push({ attempt: delivery.attempt });
            if (seen.length <= 5) throw new NotYetError('the replica has not caught up yet');
            handled = true;
          },
        });
        await bus.publish(waiting);
        await waitFor('the event to be handled after its waits', () => handled);
        assert.deepEqual(seen.map((delivery) => delivery.attempt), [1, 1, 1, 1, 1, 1], 'waiting is not an attempt');
        assert.deepEqual(await bus.deadLetters('audit'), []);
      }));

    test('when a retry waits for its delay, then it holds no prefetch slot: later events are handled meanwhile', () =>
      withBus(
        async (bus) => {
          const failingOnce = departmentCreated('Fails once');
          const handled: string[] = [];
          let failed = false;
          await bus.subscribe(
            'audit',
            {
              'department.created': async (event) => {
                if (event.id === failingOnce.id && !failed) {
                  failed = true;
                  throw new Error('a moment of trouble');
                }
                handled.push(event.id);
              },
            },
            { prefetch: 1 },
          );
          await bus.publish(failingOnce);
          await waitFor('the first attempt to fail', () => failed);
          const later = Array.from({ length: 3 }, () => departmentCreated());
          for (const event of later) await bus.publish(event);
          await waitFor('the later events to be handled while the retry waits', () => later.every((event) => handled.includes(event.id)), { timeoutMs: 1_500 });
          assert.ok(!handled.includes(failingOnce.id), 'the retry is still waiting');
          await waitFor('the retry to be handled after its delay', () => handled.includes(failingOnce.id), { timeoutMs: 5_000 });
        },
        { maxAttempts: 3, retryDelayMs: () => 2_000 },
      ));

    test('when a handler keeps throwing, then the event is retried, dead-lettered with the reason, and others keep flowing', () =>
      withBus(async (bus) => {
        const poison = departmentCreated('Poison');
        const attempts: number[] = [];
        const handled: string[] = [];
        await bus.subscribe(
          'audit',
          {
            'department.created': async (event, delivery) => {
              if (event.id === poison.id) {
                attempts.push(delivery.attempt);
                throw new Error('replica table is locked');
              }
              handled.push(event.id);
            },
          },
          { prefetch: 4 },
        );

        await bus.publish(poison);
        const others = Array.from({ length: 5 }, () => departmentCreated());
        for (const event of others) await bus.publish(event);

        await waitFor('the other events to be handled', () => handled.length === others.length);
        const letters = await waitFor('the poison event to be dead-lettered', async () => {
          const found = await bus.deadLetters('audit');
          return found.length > 0 ? found : undefined;
        });
        assert.deepEqual(attempts, [1, 2, 3], 'tried maxAttempts times, counting up');
        assert.equal(letters.length, 1);
        assert.equal(letters[0]!.eventId, poison.id);
        assert.equal(letters[0]!.type, 'department.created');
        assert.match(letters[0]!.reason, /replica table is locked/);
        assert.deepEqual(JSON.parse(letters[0]!.body), poison);
        assert.deepEqual(new Set(handled), new Set(others.map((event) => event.id)));
      }));

    test('when a handler fails and then recovers, then the event is handled and not dead-lettered', () =>
      withBus(async (bus) => {
        let calls = 0;
        let handledOn: number | undefined;
        await bus.subscribe('audit', {
          'department.created': async (_event, delivery) => {
            calls += 1;
            if (calls < 2) throw new Error('database restarting');
            handledOn = delivery.attempt;
          },
        });
        await bus.publish(departmentCreated());
        await waitFor('the second attempt to succeed', () => handledOn === 2);
        assert.equal((await bus.deadLetters('audit')).length, 0);
      }));

    test('when the same event is delivered twice to an inbox consumer, then it has one effect', () =>
      withBus(async (bus) => {
        const consumer = `inbox-${randomUUID().slice(0, 8)}`;
        let deliveries = 0;
        await bus.subscribe(
          consumer,
          withInbox(db, consumer, {
            'department.created': async (event, trx) => {
              deliveries += 1;
              await trx('effects').insert({ event_id: event.id });
            },
          }),
        );
        const event = departmentCreated();
        const marker = departmentCreated();
        await bus.publish(event);
        await bus.publish(event);
        await bus.publish(marker);
        await waitFor('the marker event to take effect', async () => (await db('effects').where('event_id', marker.id)).length === 1);
        await waitFor('both copies to be processed', async () =>
          (await db('inbox').where({ consumer, event_id: event.id })).length === 1,
        );
        const effects = await db('effects').where('event_id', event.id);
        assert.equal(effects.length, 1, 'one effect for two deliveries');
        assert.ok(deliveries <= 2);
      }));

    test('when an event does not match its schema, then it is dead-lettered without retries and the consumer carries on', () =>
      withBus(async (bus) => {
        const handled: string[] = [];
        await bus.subscribe('audit', { 'department.created': async (event) => void handled.push(event.id) });
        const broken = departmentCreated();
        // A producer on an old or buggy build: the department lost its name.
        const invalid = { ...broken, data: { department: { ...broken.data.department, name: undefined } } } as unknown as AnyEvent;
        await bus.publish(invalid);
        const good = departmentCreated();
        await bus.publish(good);

        await waitFor('the valid event to be handled', () => handled.includes(good.id));
        const letters = await waitFor('the invalid event to be dead-lettered', async () => {
          const found = await bus.deadLetters('audit');
          return found.length > 0 ? found : undefined;
        });
        assert.equal(letters[0]!.eventId, broken.id);
        assert.equal(letters[0]!.attempts, 1, 'no retries: it would never parse');
        assert.match(letters[0]!.reason, /department\.name/);
        assert.ok(!handled.includes(broken.id));
      }));

    test('when an event says it comes from a service other than the producer the catalogue names, then it is set aside unhandled, with the reason', () =>
      withBus(async (bus) => {
        const handled: string[] = [];
        await bus.subscribe('audit', { 'department.created': async (event) => void handled.push(event.id) });
        // Departments are identity-service's; incident-service (or anyone else) cannot announce one.
        const forged = { ...departmentCreated(), source: '/incident-service' } as AnyEvent;
        await bus.publish(forged);
        const good = departmentCreated();
        await bus.publish(good);

        await waitFor('the genuine event to be handled', () => handled.includes(good.id));
        const letters = await waitFor('the forged event to be set aside', async () => {
          const found = await bus.deadLetters('audit');
          return found.length > 0 ? found : undefined;
        });
        assert.equal(letters[0]!.eventId, forged.id);
        assert.equal(letters[0]!.attempts, 1);
        assert.match(letters[0]!.reason, /comes from \/identity-service only; this one says it comes from "\/incident-service"/);
        assert.ok(!handled.includes(forged.id));
      }));
  });
}

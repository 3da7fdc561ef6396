import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { TcpProxy, testAmqpUrl, uniqueBrokerNamespace, waitFor } from '@desk/testing';
import amqp from 'amqplib';
import { PublishError } from './bus.js';
import { eventBusHealthCheck } from './create-bus.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { departmentCreated, silentLogger, testPolicy } from './test-support/bus-contract.js';

const run = promisify(execFile);

/** Asks the broker itself to close our connection, as an operator or a node restart would. */
async function closeConnectionFromBroker(connectionName: string): Promise<void> {
  // The tab-separated listing shows pids in the `<node.creation.id.serial>` form that
  // close_connection accepts (the JSON formatter's do not).
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName} (`))
    .map((line) => line.split('\t')[0]!);
  assert.ok(pids.length > 0, `the broker lists the connection "${connectionName}"`);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'closed by the recovery test']);
}

test('when the broker closes the connection, then the bus reports itself down, reconnects, and consumes again', async () => {
  const connectionName = `recovery-test-${randomUUID().slice(0, 8)}`;
  const bus = await RabbitMqEventBus.connect({
    url: testAmqpUrl(),
    logger: silentLogger,
    connectionName,
    namespace: uniqueBrokerNamespace('recovery'),
    policy: testPolicy,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
  });
  const health = eventBusHealthCheck(bus);
  try {
    await bus.waitUntilConnected();
    await health.check();
    const received: string[] = [];
    await bus.subscribe('recovering', { 'department.created': async (event) => void received.push(event.id) });
    const before = departmentCreated();
    await bus.publish(before);
    await waitFor('the event before the close', () => received.includes(before.id));

    await closeConnectionFromBroker(connectionName);
    const failure = await waitFor('the health check to fail', () =>
      health.check().then(
        () => undefined,
        (error: Error) => error.message,
      ),
    );
    assert.match(failure, /not connected to RabbitMQ/);

    await waitFor('the bus to reconnect', () => bus.health().status === 'up', { timeoutMs: 10_000 });
    const after = departmentCreated();
    await bus.publish(after);
    await waitFor('the event after the reconnect', () => received.includes(after.id));
    assert.deepEqual(received, [before.id, after.id]);
  } finally {
    await bus.deleteTopology().catch(() => undefined);
    await bus.close();
  }
});

test('when a consumer\'s queue is deleted under it, then it declares the queue again and consumes within 10 s', async () => {
  const namespace = uniqueBrokerNamespace('cancel');
  const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: silentLogger, connectionName: `cancel-test-${randomUUID().slice(0, 8)}`, namespace, policy: testPolicy });
  const admin = await amqp.connect(testAmqpUrl());
  try {
    await bus.waitUntilConnected();
    const received: string[] = [];
    await bus.subscribe('cancelled', { 'department.created': async (event) => void received.push(event.id) });
    const channel = await admin.createChannel();
    await channel.deleteQueue(`${namespace}cancelled`);
    await channel.close();
    const deletedAt = Date.now();
    // Publishing is refused as unroutable until the queue is back; then the event arrives.
    const after = departmentCreated();
    await waitFor('the queue to be declared again', () => bus.publish(after).then(() => true, () => false), { timeoutMs: 10_000, intervalMs: 100 });
    await waitFor('the event after the deletion', () => received.includes(after.id), { timeoutMs: 10_000 });
    assert.ok(Date.now() - deletedAt < 10_000);
  } finally {
    await admin.close();
    await bus.deleteTopology().catch(() => undefined);
    await bus.close();
  }
});

test('when the link to the broker goes half-open (nothing arrives, nothing closes), then the bus notices within 15 s, reconnects and consumes again', async () => {
  const proxy = await new TcpProxy('127.0.0.1', Number(new URL(testAmqpUrl()).port || 5672)).start();
  const bus = await RabbitMqEventBus.connect({
    url: proxy.proxiedUrl(testAmqpUrl()),
    logger: silentLogger,
    connectionName: `half-open-test-${randomUUID().slice(0, 8)}`,
    namespace: uniqueBrokerNamespace('halfopen'),
    policy: testPolicy,
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
  });
  try {
    await bus.waitUntilConnected();
    const received: string[] = [];
    await bus.subscribe('half-open', { 'department.created': async (event) => void received.push(event.id) });
    proxy.freeze();
    const frozenAt = Date.now();
    await waitFor('the bus to notice', () => bus.health().status === 'down', { timeoutMs: 20_000, intervalMs: 100 });
    const noticedAfter = Date.now() - frozenAt;
    assert.ok(noticedAfter <= 15_000, `noticed after ${noticedAfter} ms`);
    await waitFor('the bus to reconnect', () => bus.health().status === 'up', { timeoutMs: 10_000 });
    const after = departmentCreated();
    await bus.publish(after);
    await waitFor('the event after the reconnect', () => received.includes(after.id));
  } finally {
    await bus.deleteTopology().catch(() => undefined);
    await bus.close();
    await proxy.stop();
  }
});


test('when one consumer\'s queue cannot be declared, then publishing (on a connection of its own) and the other consumers go on, and it starts once the cause is gone', async () => {
  const namespace = uniqueBrokerNamespace('declare');
  const connectionName = `declare-test-${randomUUID().slice(0, 8)}`;
  const admin = await amqp.connect(testAmqpUrl());
  // A queue of the same name with other arguments (a classic one): declaring ours is refused.
  const channel = await admin.createChannel();
  await channel.assertQueue(`${namespace}broken`, { durable: true });
  const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: silentLogger, connectionName, namespace, policy: testPolicy, reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
  try {
    await bus.waitUntilConnected();
    const { stdout } = await run('rabbitmqctl', ['list_connections', 'client_properties', '-q']);
    assert.ok(stdout.includes(`{"connection_name","${connectionName} (publish)"}`), 'a connection for publishing');
    assert.ok(stdout.includes(`{"connection_name","${connectionName} (consume)"}`), 'a connection for consuming');

    const healthy: string[] = [];
    const broken: string[] = [];
    await bus.subscribe('healthy', { 'department.created': async (event) => void healthy.push(event.id) });
    await bus.subscribe('broken', { 'department.created': async (event) => void broken.push(event.id) });
    const first = departmentCreated();
    await bus.publish(first);
    await waitFor('the healthy consumer to get the event', () => healthy.includes(first.id));
    assert.equal(bus.canPublish(), true);
    assert.equal(bus.health().status, 'up');

    await channel.deleteQueue(`${namespace}broken`);
    const second = departmentCreated();
    await waitFor('the broken consumer to start', () => bus.publish(second).then(() => broken.length > 0 || undefined, () => undefined), { timeoutMs: 15_000, intervalMs: 500 });
    assert.ok(healthy.includes(second.id));
  } finally {
    await channel.close().catch(() => undefined);
    await admin.close();
    await bus.deleteTopology().catch(() => undefined);
    await bus.close();
  }
});

test('when RabbitMQ blocks the publishing connection (a resource alarm), then publishes wait as while disconnected, and go out again once it unblocks', async () => {
  const bus = await RabbitMqEventBus.connect({ url: testAmqpUrl(), logger: silentLogger, connectionName: `blocked-test-${randomUUID().slice(0, 8)}`, namespace: uniqueBrokerNamespace('blocked'), policy: testPolicy });
  try {
    await bus.waitUntilConnected();
    const received: string[] = [];
    await bus.subscribe('blocked', { 'department.created': async (event) => void received.push(event.id) });
    // What amqplib emits on the broker's connection.blocked / connection.unblocked: a real alarm
    // would block every test sharing the broker.
    const { connection } = bus['publishing'];
    connection.emit('blocked', 'low on memory');
    assert.equal(bus.canPublish(), false);
    assert.deepEqual(bus.health(), { status: 'down', detail: 'RabbitMQ is blocking publishes: low on memory' });
    await assert.rejects(bus.publish(departmentCreated()), (error: Error) => error instanceof PublishError && error.failure === 'not-connected');
    connection.emit('unblocked');
    assert.equal(bus.canPublish(), true);
    const after = departmentCreated();
    await bus.publish(after);
    await waitFor('the event after the unblock', () => received.includes(after.id));
  } finally {
    await bus.deleteTopology().catch(() => undefined);
    await bus.close();
  }
});

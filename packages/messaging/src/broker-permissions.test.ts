import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { testAmqpUrl, uniqueBrokerNamespace, waitFor } from '@desk/testing';
import amqp from 'amqplib';
import { PublishError } from './bus.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { departmentCreated, silentLogger } from './test-support/bus-contract.js';

// The broker users deploy/rabbitmq/permissions.json defines, created for real on the local
// RabbitMQ (rabbitmqctl) with this test's namespace: each service may publish to its own
// exchange only, and a consumer sets aside what another user put straight into its queue.

const run = promisify(execFile);
const permissions = JSON.parse(readFileSync(path.join(__dirname, '../../../deploy/rabbitmq/permissions.json'), 'utf8')) as {
  vhost: string;
  users: Record<string, { configure: string; write: string; read: string }>;
};

async function rabbitmqctl(...args: string[]): Promise<void> {
  await run('rabbitmqctl', ['--timeout', '30', ...args], { timeout: 60_000 });
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** rabbitmqctl reaches the broker from this machine (CI's does; a broker in a container may not). */
function rabbitmqctlAvailable(): boolean {
  return spawnSync('rabbitmqctl', ['--timeout', '20', 'status'], { timeout: 30_000, stdio: 'ignore' }).status === 0;
}

describe('broker users: one per service, each publishing only to its own exchange (deploy/rabbitmq/permissions.json)', { skip: rabbitmqctlAvailable() ? false : 'rabbitmqctl does not reach the broker from here' }, () => {
  const namespace = uniqueBrokerNamespace('perm');
  const prefix = `test_${randomBytes(3).toString('hex')}_`;
  const password = randomBytes(12).toString('hex');
  const created: string[] = [];
  const buses: RabbitMqEventBus[] = [];
  const local = new URL(testAmqpUrl());

  function urlFor(service: string): string {
    const url = new URL(local);
    url.username = `${prefix}${service}`;
    url.password = password;
    return url.toString();
  }

  async function busAs(service: string): Promise<RabbitMqEventBus> {
    const bus = await RabbitMqEventBus.connect({ url: urlFor(service), logger: silentLogger, connectionName: `permissions test ${service}`, namespace, policy: { maxAttempts: 3, retryDelayMs: () => 50 } });
    buses.push(bus);
    await bus.waitUntilConnected(10_000);
    return bus;
  }

  before(async () => {
    for (const [service, rules] of Object.entries(permissions.users)) {
      const user = `${prefix}${service}`;
      await rabbitmqctl('add_user', user, password);
      created.push(user);
      const ns = escapeRegex(namespace);
      await rabbitmqctl('set_permissions', '-p', permissions.vhost, user, rules.configure.replaceAll('{ns}', ns), rules.write.replaceAll('{ns}', ns), rules.read.replaceAll('{ns}', ns));
    }
  });

  after(async () => {
    for (const bus of buses) await bus.close().catch(() => undefined);
    // The queues and exchanges, as the broker's admin (the services may not delete what is not theirs).
    const connection = await amqp.connect(testAmqpUrl());
    const channel = await connection.createChannel();
    for (const queue of ['notification-service', 'notification-service.dead-letter', 'notification-service.retry.50ms']) await channel.deleteQueue(`${namespace}${queue}`).catch(() => undefined);
    for (const exchange of ['notification-service.dlx', 'identity.events', 'incident.events']) await channel.deleteExchange(`${namespace}${exchange}`).catch(() => undefined);
    await connection.close().catch(() => undefined);
    for (const user of created) await rabbitmqctl('delete_user', user).catch(() => undefined);
  });

  test('identity-service publishes its events and notification-service, as its own user, consumes them, retries included', async () => {
    const handled: string[] = [];
    let failures = 0;
    const notification = await busAs('notification_service');
    const parked: string[] = [];
    await notification.subscribe(
      'notification-service',
      {
        'department.created': async (event) => {
          // The first attempt at each event fails: its retry goes through a delay queue and the default exchange.
          if (failures++ % 2 === 0) throw new Error('not this time');
          handled.push(event.id);
        },
      },
      { park: async (letter) => void parked.push(letter.reason) },
    );
    await waitFor('the consumer to be ready', () => notification.health().status === 'up');
    const identity = await busAs('identity_service');
    const event = departmentCreated();
    await identity.publish(event);
    await waitFor('the event to be handled after its retry', () => handled.includes(event.id));
    assert.deepEqual(parked, []);

    // Nobody but identity-service may publish to identity's exchange.
    await assert.rejects(notification.publish(departmentCreated()), (error: unknown) => error instanceof PublishError);
    const incident = await busAs('incident_service');
    await assert.rejects(incident.publish(departmentCreated()), (error: unknown) => error instanceof PublishError);
  });

  test('when another service’s user puts a message straight into a consumer’s queue, then the consumer sets it aside, naming that user', async () => {
    const parked: { eventId: string | null; reason: string }[] = [];
    const handled: string[] = [];
    // One consumer on the queue: the previous case's buses go first.
    for (const bus of buses.splice(0)) await bus.close();
    const notification = await busAs('notification_service');
    await notification.subscribe('notification-service', { 'department.created': async (event) => void handled.push(event.id) }, { park: async (letter) => void parked.push(letter) });
    await waitFor('the consumer to be ready', () => notification.health().status === 'up');
    // incident-service's user may write to the default exchange (for its own retries), so the
    // broker lets it through; the consumer knows it is not its own retry by the validated user-id.
    const intruder = await amqp.connect(urlFor('incident_service'));
    const channel = await intruder.createConfirmChannel();
    const forged = departmentCreated();
    channel.sendToQueue(`${namespace}notification-service`, Buffer.from(JSON.stringify(forged)), { userId: `${prefix}incident_service`, messageId: forged.id, type: forged.type, persistent: true });
    await channel.waitForConfirms();
    await intruder.close();
    const letter = await waitFor('the forged message to be set aside', () => parked.find((entry) => entry.eventId === forged.id));
    assert.match(letter.reason, new RegExp(`put straight into the queue by broker user "${prefix}incident_service"`));
    assert.ok(!handled.includes(forged.id));
  });
});

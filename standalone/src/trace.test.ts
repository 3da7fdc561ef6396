import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTelemetry, withServiceResources } from '@desk/platform/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { RunningPlatform } from './test-support/platform.js';

// Telemetry starts before the services' modules load (they are imported in `before`), so the
// HTTP, Express, pg and amqplib instrumentations see every call, as in a service's main.ts.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'trace-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });

let platform: RunningPlatform;
const handled: string[] = [];
let stopConsumer: () => Promise<void> = () => Promise.resolve();

before(async () => {
  const { startPlatform } = await import('./test-support/platform.js');
  const { RabbitMqEventBus } = await import('@desk/messaging');
  const { testAmqpUrl } = await import('@desk/testing');
  const { createLogger } = await import('@desk/platform');
  const { LogCapture } = await import('@desk/testing');
  platform = await startPlatform();
  // A consumer of status changes, as notification-service will be: its handling must join the trace.
  const consumer = await RabbitMqEventBus.connect({
    url: testAmqpUrl(),
    logger: createLogger({ service: 'consumer', destination: new LogCapture() }),
    connectionName: 'trace test consumer',
    namespace: platform.namespace,
  });
  await consumer.waitUntilConnected();
  await consumer.subscribe('trace-test-consumer', {
    'incident.status_changed': async (event) => void handled.push(`${event.data.from}->${event.data.to}`),
  });
  stopConsumer = async () => {
    await consumer.deleteTopology().catch(() => undefined);
    await consumer.close();
  };
});

after(async () => {
  await stopConsumer();
  await platform?.close();
  await telemetry.shutdown();
});

test('the PATCH that resolves an incident is one trace: gateway, incident-service, its database, the message through RabbitMQ and the consumer', async () => {
  const { ApiClient, ADMIN } = await import('./test-support/platform.js');
  const { waitFor } = await import('@desk/testing');
  const admin = new ApiClient(platform.gatewayUrl);
  await admin.signIn(ADMIN.email, ADMIN.password);
  const department = await admin.call<{ id: string }>('POST', '/departments', { name: 'IT' });
  const category = await waitFor('the department in incident-service', async () => {
    const response = await admin.call<{ id: string }>('POST', '/categories', { name: 'Network', departmentId: department.body.id });
    return response.status === 201 ? response.body.id : undefined;
  });
  const incident = await admin.call<{ id: string }>('POST', '/incidents', { title: 'Switch down on floor 2', description: '', categoryId: category });
  assert.equal((await admin.call('PATCH', `/incidents/${incident.body.id}`, { status: 'IN_PROGRESS' })).status, 200);
  await waitFor('the start to be handled', () => handled.includes('OPEN->IN_PROGRESS'));
  exporter.reset();

  const resolved = await admin.call('PATCH', `/incidents/${incident.body.id}`, { status: 'RESOLVED', reason: 'Replaced the switch' });
  assert.equal(resolved.status, 200);
  await waitFor('the consumer to handle the resolution', () => handled.includes('IN_PROGRESS->RESOLVED'));
  const exchange = `${platform.namespace}incident.events`;
  const isProcess = (span: ReadableSpan) => span.kind === SpanKind.CONSUMER && span.attributes['messaging.consumer.group.name'] === 'trace-test-consumer';
  await waitFor('the consumer span to end', () => exporter.getFinishedSpans().some(isProcess));
  // notification-service and analytics-service handle the same event: their spans end too.
  const processedBy = (group: string) => exporter.getFinishedSpans().some((span) => span.kind === SpanKind.CONSUMER && span.attributes['messaging.consumer.group.name'] === group && span.attributes['messaging.rabbitmq.destination.routing_key'] === 'incident.status_changed');
  await waitFor('the platform\'s consumers to handle it', () => processedBy('notification-service') && processedBy('analytics-service'));

  const spans = exporter.getFinishedSpans();
  const isServer = (span: ReadableSpan) => span.kind === SpanKind.SERVER;
  const patchSpans = spans.filter((span) => isServer(span) && span.name.startsWith('PATCH'));
  const traceIds = new Set(patchSpans.map((span) => span.spanContext().traceId));
  assert.equal(traceIds.size, 1, `the gateway's and incident-service's PATCH server spans share one trace (${patchSpans.map((span) => span.name).join(', ')})`);
  const [traceId] = [...traceIds];
  const inTrace = spans.filter((span) => span.spanContext().traceId === traceId);
  const names = inTrace.map((span) => span.name);

  assert.ok(patchSpans.length >= 2, `a server span in the gateway and one in incident-service: ${patchSpans.map((span) => span.name).join(', ')}`);
  assert.ok(inTrace.some((span) => span.kind === SpanKind.CLIENT && /PATCH/.test(span.name)), `the gateway's call to incident-service: ${names.join(', ')}`);
  const isDatabase = (span: ReadableSpan) =>
    span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql' || span.name.startsWith('pg.');
  assert.ok(inTrace.some(isDatabase), `the database work of the change: ${names.join(', ')}`);
  // The OpenTelemetry messaging conventions, one producer span and one consumer span: no doubles.
  const producers = inTrace.filter((span) => span.kind === SpanKind.PRODUCER);
  assert.equal(producers.length, 1, `one publish span: ${names.join(', ')}`);
  const publish = producers[0]!;
  assert.equal(publish.name, `publish ${exchange}`);
  assert.equal(publish.attributes['messaging.system'], 'rabbitmq');
  assert.equal(publish.attributes['messaging.operation.type'], 'send');
  assert.equal(publish.attributes['messaging.destination.name'], exchange);
  assert.equal(publish.attributes['messaging.rabbitmq.destination.routing_key'], 'incident.status_changed');
  assert.equal(publish.attributes['desk.service'], 'incident-service');
  const consumers = inTrace.filter(isProcess);
  assert.equal(consumers.length, 1, `one process span for the consumer: ${names.join(', ')}`);
  const processSpan = consumers[0]!;
  assert.equal(processSpan.name, `process ${exchange}`);
  assert.equal(processSpan.parentSpanContext?.spanId, publish.spanContext().spanId, 'the consumer continues from the publish');
  assert.equal(processSpan.attributes['messaging.system'], 'rabbitmq');
  assert.equal(processSpan.attributes['messaging.operation.type'], 'process');
  assert.equal(processSpan.attributes['messaging.destination.name'], exchange);
  assert.equal(processSpan.attributes['messaging.rabbitmq.destination.routing_key'], 'incident.status_changed');
  assert.equal(processSpan.attributes['messaging.destination.subscription.name'], `${platform.namespace}trace-test-consumer`);

  // Each service's spans name it, and are exported under its own service.name.
  const servers = inTrace.filter(isServer);
  const serviceOf = (span: ReadableSpan) => span.attributes['desk.service'];
  assert.deepEqual([...new Set(servers.map(serviceOf))].sort(), ['gateway', 'incident-service'], 'the server spans name their service');
  assert.deepEqual(inTrace.filter((span) => serviceOf(span) === undefined).map((span) => span.name), [], 'every span names its service');
  // A consumer's database work may end after its process span did (a first attempt told "not yet"
  // ends before the retry's queries): wait for the trace to hold every consumer's.
  const databaseServices = () => [...new Set(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId && isDatabase(span)).map(serviceOf))].sort();
  await waitFor('every consumer\'s database work in the trace', () => databaseServices().length >= 3).catch(() => undefined);
  assert.deepEqual(databaseServices(), ['analytics-service', 'incident-service', 'notification-service'], 'database spans belong to the service whose request or event they serve');
  const relabelled: ReadableSpan[] = [];
  const capture = withServiceResources({ export: (spans, done) => { relabelled.push(...spans); done({ code: 0 }); }, shutdown: () => Promise.resolve() });
  capture.export(inTrace, () => undefined);
  const exportedNames = new Set(relabelled.map((span) => span.resource.attributes['service.name']));
  assert.ok(exportedNames.has('gateway') && exportedNames.has('incident-service') && exportedNames.has('trace-test-consumer'), `exported as: ${[...exportedNames].join(', ')}`);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTelemetry } from '@desk/platform/telemetry';
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
  await waitFor('the consumer span to end', () => exporter.getFinishedSpans().some((span) => span.name === 'incident.status_changed process'));

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
  assert.ok(names.includes('incident.status_changed publish'), `the outbox relay's publish joins the trace: ${names.join(', ')}`);
  assert.ok(names.includes('incident.status_changed process'), `the consumer's handling joins the trace: ${names.join(', ')}`);
  const processSpan = inTrace.find((span) => span.name === 'incident.status_changed process')!;
  assert.equal(processSpan.attributes['messaging.consumer.group.name'], 'trace-test-consumer');
});

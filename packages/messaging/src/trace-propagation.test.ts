import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { context, propagation, trace, SpanKind } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { connectDatabase, currentContext } from '@desk/platform';
import { createTestDatabase, testAmqpUrl, uniqueBrokerNamespace, waitFor, type TestDatabase } from '@desk/testing';
import type { Knex } from 'knex';
import type { EventBus } from './bus.js';
import { InProcessEventBus } from './in-process-bus.js';
import { outboxFailureMigration, outboxMigration } from './migrations.js';
import { Outbox } from './outbox.js';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { silentLogger, testPolicy } from './test-support/bus-contract.js';

// This file registers a global tracer provider, so it runs in its own process (node --test
// runs each file in one) and never leaks into the other messaging tests.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(provider);
const tracer = trace.getTracer('test');

let database: TestDatabase;
let db: Knex;

before(async () => {
  database = await createTestDatabase('trace');
  db = await connectDatabase({ url: database.url, schema: 'traced', migrations: [outboxMigration, outboxFailureMigration], logger: silentLogger });
});

after(async () => {
  await db?.destroy();
  await database?.drop();
  await provider.shutdown();
});

async function traceThroughBus(bus: EventBus, exchange = 'identity.events'): Promise<void> {
  exporter.reset();
  const seen: { traceId: string | undefined; logTraceId: string | undefined; eventId: string | undefined }[] = [];
  await bus.subscribe('traced-consumer', {
    'department.created': async () => {
      seen.push({
        traceId: trace.getActiveSpan()?.spanContext().traceId,
        logTraceId: currentContext()?.traceId,
        eventId: currentContext()?.eventId,
      });
    },
  });
  const outbox = new Outbox({ db, bus, logger: silentLogger, source: '/identity-service', pollIntervalMs: 50 });
  outbox.start();

  // A request handler writes the change and its event; the relay publishes later, elsewhere.
  const { requestTraceId, eventId } = await tracer.startActiveSpan('PATCH /departments/:id', { kind: SpanKind.SERVER }, async (span) => {
    const id = crypto.randomUUID();
    const now = new Date().toISOString();
    const event = await db.transaction((trx) =>
      outbox.add(trx, 'department.created', {
        subject: id,
        data: { department: { id, name: 'Traced', description: null, createdAt: now, updatedAt: now } },
      }),
    );
    span.end();
    return { requestTraceId: span.spanContext().traceId, eventId: event.id };
  });

  await waitFor('the consumer to handle the event', () => seen.length === 1);
  await outbox.stop();
  assert.equal(seen[0]!.traceId, requestTraceId, 'the handler runs inside the request trace');
  assert.equal(seen[0]!.logTraceId, requestTraceId, 'its log lines carry that trace id');
  assert.equal(seen[0]!.eventId, eventId, 'and the event id');

  const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === requestTraceId);
  const kinds = spans.map((span) => [span.name, span.kind]);
  assert.deepEqual(
    kinds.sort(),
    [
      ['PATCH /departments/:id', SpanKind.SERVER],
      [`process ${exchange}`, SpanKind.CONSUMER],
      [`publish ${exchange}`, SpanKind.PRODUCER],
    ].sort(),
  );
}

describe('trace context across the bus', () => {
  test('when a request writes an event, then the in-process consumer continues the same trace', async () => {
    const bus = new InProcessEventBus({ logger: silentLogger, policy: testPolicy });
    try {
      await traceThroughBus(bus);
    } finally {
      await bus.close();
    }
  });

  test('when a request writes an event, then the RabbitMQ consumer continues the same trace', async () => {
    const namespace = uniqueBrokerNamespace('trace');
    const bus = await RabbitMqEventBus.connect({
      url: testAmqpUrl(),
      logger: silentLogger,
      connectionName: 'trace test',
      namespace,
      policy: testPolicy,
    });
    try {
      await bus.waitUntilConnected();
      await traceThroughBus(bus, `${namespace}identity.events`);
    } finally {
      await bus.deleteTopology();
      await bus.close();
    }
  });
});

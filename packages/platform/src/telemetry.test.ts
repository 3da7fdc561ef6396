// Its own file (so its own process): telemetry patches modules as they load, so it must start
// before express, pg and pino are required. Everything else is imported after startTelemetry.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogCapture } from '@desk/testing';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Express } from 'express';
import type supertest from 'supertest';
import { startTelemetry, type Telemetry } from './telemetry.js';

const exporter = new InMemorySpanExporter();
const telemetry: Telemetry = startTelemetry({
  serviceName: 'telemetry-test',
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

describe('startTelemetry', () => {
  let cleanUp: () => Promise<void> = () => Promise.resolve();
  let app: Express;
  let internalApp: Express;
  let upstreamPort = 0;
  let request: typeof supertest;
  let logs: LogCapture;

  before(async () => {
    const testing = await import('@desk/testing');
    const { createHttpApp, createInternalApp } = await import('./http.js');
    const { createHttpMetrics } = await import('./metrics.js');
    const express = (await import('express')).default;
    const { createLogger } = await import('./logger.js');
    const { databaseHealthCheck } = await import('./health.js');
    const { default: knex } = await import('knex');
    request = (await import('supertest')).default;

    const database = await testing.createTestDatabase('telemetry');
    const connection = knex({ client: 'pg', connection: database.url, pool: { min: 0, max: 2 } });
    logs = new testing.LogCapture();
    const logger = createLogger({ service: 'telemetry-test', destination: logs });
    app = createHttpApp(
      { serviceName: 'telemetry-test', logger, healthChecks: [databaseHealthCheck(connection)] },
      (routes) => {
        const incidents = express.Router();
        incidents.post('/', (_req, res) => {
          res.status(201).json({});
        });
        routes.use('/incidents', incidents);
        routes.get('/broken', () => {
          throw new Error('the handler fell over');
        });
        routes.get('/incidents/:id', async (req, res) => {
          await connection.raw('select ?::text as id', [req.params.id]);
          logger.info('looked the incident up');
          res.json({ id: req.params.id });
        });
      },
    );
    // A readiness check that asks another server over HTTP (instrumented: it would make a client span).
    const http = await import('node:http');
    const upstream = http.createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((resolve) => upstream.once('listening', resolve));
    upstreamPort = (upstream.address() as { port: number }).port;
    const upstreamCheck = {
      name: 'upstream',
      check: () =>
        new Promise<void>((resolve, reject) => {
          http.get(`http://127.0.0.1:${upstreamPort}/`, (res) => res.resume().on('end', () => resolve())).on('error', reject);
        }),
    };
    internalApp = createInternalApp({ serviceName: 'telemetry-test', logger, healthChecks: [databaseHealthCheck(connection), upstreamCheck], metrics: createHttpMetrics('telemetry-test') });
    cleanUp = async () => {
      upstream.close();
      await connection.destroy();
      await database.drop();
    };
  });

  after(async () => {
    await cleanUp();
    await telemetry.shutdown();
  });

  it('when an Express app started after telemetry serves a request, then a server span, a pg child span and log ids share one trace', async () => {
    exporter.reset();
    const response = await request(app).get('/incidents/INC-000042');
    assert.equal(response.status, 200);

    const spans = exporter.getFinishedSpans();
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    assert.ok(server, `no server span among: ${spans.map((span) => span.name).join(', ')}`);
    // named by the route pattern that matched, not the raw path
    assert.equal(server.attributes['http.route'], '/incidents/:id');
    assert.equal(server.name, 'GET /incidents/:id');
    assert.equal(server.resource.attributes['service.name'], 'telemetry-test');
    // the stable HTTP conventions' attributes, and the service that served it
    assert.equal(server.attributes['http.request.method'], 'GET');
    assert.equal(server.attributes['url.path'], '/incidents/INC-000042');
    assert.equal(server.attributes['url.scheme'], 'http');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.attributes['network.protocol.version'], '1.1');
    assert.equal(server.attributes['server.address'], '127.0.0.1');
    assert.equal(typeof server.attributes['server.port'], 'number');
    assert.equal(server.attributes['desk.service'], 'telemetry-test');
    assert.equal(server.status.code, SpanStatusCode.UNSET);
    const traceId = server.spanContext().traceId;
    // Express's routers and handlers get no spans of their own: the server span, its queries and the caller's
    assert.deepEqual(
      spans.filter((span) => span.kind === SpanKind.INTERNAL).map((span) => span.name),
      [],
      'no span for an Express router, middleware or handler',
    );

    const query = spans.find((span) => span.name.startsWith('pg.query'));
    assert.ok(query, `no pg span among: ${spans.map((span) => span.name).join(', ')}`);
    assert.equal(query.spanContext().traceId, traceId);

    const handlerLine = logs.find((line) => line.msg === 'looked the incident up')[0];
    assert.equal(handlerLine?.traceId, traceId);
    assert.match(String(handlerLine?.spanId), /^[0-9a-f]{16}$/);
    const accessLine = logs.find((line) => line.msg === 'request completed').at(-1);
    assert.equal(accessLine?.traceId, traceId);
  });

  it("when a router's own root answers, then its server span is named by the router's path", async () => {
    exporter.reset();
    assert.equal((await request(app).post('/incidents').send({})).status, 201);
    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    assert.equal(server?.name, 'POST /incidents');
    assert.equal(server?.attributes['http.route'], '/incidents');
  });

  it('when a handler fails with a 500, then its server span is in error and says so; a 404 is not', async () => {
    exporter.reset();
    assert.equal((await request(app).get('/broken')).status, 500);
    assert.equal((await request(app).get('/nowhere')).status, 404);
    const [broken, missing] = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER);
    assert.equal(broken?.name, 'GET /broken');
    assert.equal(broken?.status.code, SpanStatusCode.ERROR);
    assert.equal(broken?.attributes['http.response.status_code'], 500);
    assert.equal(broken?.attributes['error.type'], '500');
    // no route matched: named by the method alone, as the conventions say
    assert.equal(missing?.name, 'GET');
    assert.equal(missing?.status.code, SpanStatusCode.UNSET);
    assert.equal(missing?.attributes['http.response.status_code'], 404);
    assert.equal(missing?.attributes['http.route'], undefined);
  });

  it('when a caller sends a traceparent, then the server span continues that trace', async () => {
    exporter.reset();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await request(app).get('/incidents/1').set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`);
    const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
    assert.equal(server?.spanContext().traceId, traceId);
    assert.equal(server?.parentSpanContext?.spanId, '00f067aa0ba902b7');
  });

  it('when /health is probed, then no server span is recorded and its database query starts no trace', async () => {
    exporter.reset();
    const response = await request(app).get('/health');
    assert.equal(response.status, 200);
    // the only span left is supertest's own outgoing GET
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.filter((span) => span.kind !== SpanKind.CLIENT || span.name.startsWith('pg.')).map((span) => span.name),
      [],
    );
  });

  it("when the internal port is probed for readiness, then neither the probe nor what its checks do (a query, a call to another server) is traced", async () => {
    exporter.reset();
    const response = await request(internalApp).get('/health/ready');
    assert.equal(response.status, 200);
    // the only span left is supertest's own outgoing GET; the check's call to the upstream makes none
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(
      spans.filter((span) => span.kind !== SpanKind.CLIENT || span.attributes['server.port'] === upstreamPort || span.attributes['net.peer.port'] === upstreamPort).map((span) => span.name),
      [],
    );
  });

  it('when started a second time, then the first handle is returned and nothing registers twice', async () => {
    const again = startTelemetry({ serviceName: 'someone-else' });
    assert.equal(again, telemetry);
    exporter.reset();
    await request(app).get('/incidents/2');
    assert.equal(exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.SERVER).length, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogCapture } from '@desk/testing';
import express from 'express';
import request from 'supertest';
import { AppError } from './errors.js';
import { createHttpApp } from './http.js';
import { createLogger } from './logger.js';
import { createHttpMetrics } from './metrics.js';

/** The sample lines of one metric, e.g. `http_requests_total{method="GET",...} 2`. */
function samplesOf(exposition: string, name: string): string[] {
  return exposition.split('\n').filter((line) => line.startsWith(`${name}{`));
}

function buildApp(serviceName = 'metrics-test') {
  const logger = createLogger({ service: serviceName, destination: new LogCapture() });
  return createHttpApp({ serviceName, logger }, (app) => {
    const incidents = express.Router();
    incidents.get('/:id', (req, res) => {
      if (req.params.id === 'missing') throw AppError.notFound('INCIDENT.NOT_FOUND', 'No such incident.');
      res.json({ id: req.params.id });
    });
    app.use('/incidents', incidents);
  });
}

describe('GET /metrics', () => {
  it('when requests were served, then counters are labelled by route pattern, never by raw id', async () => {
    const app = buildApp();
    await request(app).get('/incidents/INC-000123').expect(200);
    await request(app).get('/incidents/INC-000124').expect(200);
    await request(app).get('/incidents/missing').expect(404);
    await request(app).get('/no/such/path').expect(404);

    const response = await request(app).get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'] ?? '', /^text\/plain/);
    const requestCounts = samplesOf(response.text, 'http_requests_total');
    assert.deepEqual(requestCounts, [
      'http_requests_total{method="GET",route="/incidents/:id",status="200",service="metrics-test"} 2',
      'http_requests_total{method="GET",route="/incidents/:id",status="404",service="metrics-test"} 1',
      'http_requests_total{method="GET",route="unmatched",status="404",service="metrics-test"} 1',
    ]);
    assert.ok(
      samplesOf(response.text, 'http_request_duration_seconds_count').includes(
        'http_request_duration_seconds_count{service="metrics-test",method="GET",route="/incidents/:id",status="200"} 2',
      ),
    );
    assert.equal(samplesOf(response.text, 'process_cpu_user_seconds_total').length, 1);
    assert.doesNotMatch(response.text, /INC-00012|no\/such/);
  });

  it('when two services share a process, then each app reports only its own requests', async () => {
    const identity = buildApp('identity');
    const incident = buildApp('incident');
    await request(identity).get('/incidents/1').expect(200);
    const text = (await request(incident).get('/metrics')).text;
    assert.deepEqual(samplesOf(text, 'http_requests_total'), []);
    assert.doesNotMatch(text, /service="identity"/);
  });

  it('when a service passes its own metrics, then its custom metrics are served with the HTTP ones', async () => {
    const metrics = createHttpMetrics('custom-test');
    const { Gauge } = await import('prom-client');
    new Gauge({ name: 'outbox_pending_events', help: 'Events waiting to be published.', registers: [metrics.registry] }).set(3);
    const logger = createLogger({ service: 'custom-test', destination: new LogCapture() });
    const app = createHttpApp({ serviceName: 'custom-test', logger, metrics }, () => {});
    const text = (await request(app).get('/metrics')).text;
    assert.deepEqual(samplesOf(text, 'outbox_pending_events'), ['outbox_pending_events{service="custom-test"} 3']);
  });
});

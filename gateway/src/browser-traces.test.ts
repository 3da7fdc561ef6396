import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTelemetry } from '@desk/platform/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { GatewayHarness } from './test-support/harness.js';

// Telemetry starts before the gateway's modules load, as in main.ts: the uploaded spans must end
// up in the same pipeline (here an in-memory exporter) as the gateway's own.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'gateway', spanProcessors: [new SimpleSpanProcessor(exporter)] });

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const clickId = '00f067aa0ba902b7';
const fetchId = '53995c3f42cd8ad8';
const nanos = (offsetMs: number) => String(BigInt(Date.now() + offsetMs) * 1_000_000n);

function upload(spans: unknown[], resource: unknown = { attributes: [{ key: 'service.name', value: { stringValue: 'identity-service' } }] }) {
  return { resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'portal' }, spans }] }] };
}

const click = { traceId, spanId: clickId, name: 'Report an incident', kind: 1, startTimeUnixNano: nanos(-400), endTimeUnixNano: nanos(-10), attributes: [{ key: 'desk.action', value: { stringValue: 'Report an incident' } }] };
const apiCall = {
  traceId,
  spanId: fetchId,
  parentSpanId: clickId,
  name: 'HTTP POST',
  kind: 3,
  startTimeUnixNano: nanos(-390),
  endTimeUnixNano: nanos(-20),
  attributes: [
    { key: 'http.url', value: { stringValue: 'http://127.0.0.1:8080/incidents?q=salary%20of%20Sam' } },
    { key: 'http.status_code', value: { intValue: 201 } },
    { key: 'desk.service', value: { stringValue: 'incident-service' } },
    { key: 'enduser.id', value: { stringValue: 'someone-else' } },
    { key: 'password', value: { stringValue: 'hunter2' } },
  ],
  status: { code: 0 },
};

describe('the portal\'s span uploads (POST /telemetry/traces)', () => {
  let g: GatewayHarness;
  let token: string;
  const person = crypto.randomUUID();

  before(async () => {
    const { startGateway } = await import('./test-support/harness.js');
    g = await startGateway({ TRACE_UPLOADS_PER_MINUTE: '3' });
    token = await g.tokenFor({ id: person, role: 'reporter' });
  });
  after(async () => {
    await g?.close();
    await telemetry.shutdown();
  });

  const post = (body: unknown, headers: Record<string, string> = { Authorization: `Bearer ${token}` }) =>
    fetch(`${g.url}/telemetry/traces`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

  test('when nobody is signed in, then the upload is refused and nothing is recorded', async () => {
    exporter.reset();
    const response = await post(upload([click]), {});
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId).length, 0);
  });

  test('when a service account uploads, then it is refused: browser spans come from people', async () => {
    const { signAccessToken } = await import('@desk/auth');
    const service = (await signAccessToken({ id: crypto.randomUUID(), role: 'service', departmentId: null, scopes: ['incidents:read'], clientId: 'monitoring' }, g.key, { issuer: g.config.JWT_ISSUER, audience: g.config.JWT_AUDIENCE, ttlSeconds: 60 })).token;
    const response = await post(upload([click]), { Authorization: `Bearer ${service}` });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { code: string }).code, 'AUTH.FORBIDDEN');
  });

  test('when a signed-in person uploads a click and its API call, then both reach the exporter as the portal\'s, with their ids and only safe attributes', async () => {
    exporter.reset();
    const response = await post(upload([click, apiCall]));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {});
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
    assert.deepEqual(spans.map((span) => span.name).sort(), ['HTTP POST', 'Report an incident']);
    const recordedClick = spans.find((span) => span.name === 'Report an incident')!;
    const recordedCall = spans.find((span) => span.name === 'HTTP POST')!;
    assert.equal(recordedClick.spanContext().spanId, clickId);
    assert.equal(recordedClick.parentSpanContext, undefined, 'the click starts the trace');
    assert.equal(recordedCall.spanContext().spanId, fetchId);
    assert.equal(recordedCall.parentSpanContext?.spanId, clickId, 'the API call is a child of the click');
    assert.equal(recordedCall.kind, SpanKind.CLIENT);
    assert.deepEqual(recordedCall.attributes, {
      'http.url': 'http://127.0.0.1:8080/incidents',
      'http.status_code': 201,
      'desk.service': 'portal',
      'enduser.id': person,
    });
    assert.equal(recordedClick.attributes['desk.action'], 'Report an incident');
    // the resource the browser sent (claiming identity-service) is not the one exported
    assert.notEqual(recordedClick.resource.attributes['service.name'], 'identity-service');
  });

  test('when a span\'s times cannot be believed, then it is counted as refused and the others are kept', async () => {
    exporter.reset();
    const old = { ...click, spanId: '1111111111111111', startTimeUnixNano: nanos(-3 * 3600_000), endTimeUnixNano: nanos(-3 * 3600_000 + 5) };
    const response = await post(upload([old, { ...click, spanId: '2222222222222222' }]));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { partialSuccess: { rejectedSpans: number } }).partialSuccess.rejectedSpans, 1);
    assert.deepEqual(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId).map((span) => span.spanContext().spanId), ['2222222222222222']);
  });

  test('when the upload is malformed, then 400 names the field; over the limit, 429', async () => {
    const bad = await post(upload([{ ...click, traceId: 'not-hex' }]));
    assert.equal(bad.status, 400);
    const problem = (await bad.json()) as { code: string; errors: { path: string }[] };
    assert.equal(problem.code, 'VALIDATION.FAILED');
    assert.equal(problem.errors[0]?.path, '/resourceSpans/0/scopeSpans/0/spans/0/traceId');
    // TRACE_UPLOADS_PER_MINUTE is 3 here, and this person has used them up above
    const limited = await post(upload([click]));
    assert.equal(limited.status, 429);
  });

  test('when the portal asks to send trace context, then CORS allows traceparent and tracestate from its origin', async () => {
    const response = await fetch(`${g.url}/incidents`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,traceparent,tracestate' },
    });
    assert.ok(response.status < 300, `preflight answered ${response.status}`);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:3000');
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    assert.match(allowed, /traceparent/);
    assert.match(allowed, /tracestate/);
  });
});

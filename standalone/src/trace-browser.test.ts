import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTelemetry } from '@desk/platform/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The trace the README promises, from the click to the email: a person reports an incident in
// Chromium, and one trace holds the portal's click and its API call (uploaded by the browser to
// the gateway's /telemetry/traces), the gateway, incident-service, the event through RabbitMQ,
// notification-service handling it and the mail it sends. Telemetry starts before the platform's
// modules load (they are imported in `before`), as in the launcher's main.ts.
const exporter = new InMemorySpanExporter();
const telemetry = startTelemetry({ serviceName: 'trace-browser-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });

let web: PortalInBrowser;

before(async () => {
  process.env.PORTAL_TRACING = 'enabled';
  const { startPortalInBrowser } = await import('./test-support/portal-browser.js');
  web = await startPortalInBrowser({ seedDemo: true });
});

after(async () => {
  await web?.close();
  await telemetry.shutdown();
});

const serviceOf = (span: ReadableSpan) => span.attributes['desk.service'];
const describeSpan = (span: ReadableSpan) => `${String(serviceOf(span))}: ${span.name}`;

test('reporting an incident by clicking is one trace from the click to the mail: portal, gateway, incident-service, RabbitMQ, notification-service, SMTP', async (t) => {
  const { DEMO_PASSWORD } = await import('./config.js');
  const { waitFor } = await import('@desk/testing');
  const title = `Printer on floor 3 jams on every page ${Date.now()}`;
  const reporter = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD });
  await reporter.goto(`${web.portalUrl}/incidents/new`);
  await reporter.getByRole('combobox', { name: 'Category' }).click();
  await reporter.getByRole('option', { name: 'Network' }).click();
  await reporter.getByLabel('Title').fill(title);
  await reporter.getByLabel('Description').fill('Every job stops after the first sheet.');
  exporter.reset();

  await reporter.getByRole('button', { name: 'Report incident' }).click();
  await reporter.waitForURL(/\/incidents\/INC-\d{6,}$/);

  const isClick = (span: ReadableSpan) => span.name === 'Report an incident' && serviceOf(span) === 'portal';
  const click = await waitFor('the portal to upload its click span', () => exporter.getFinishedSpans().find(isClick), { timeoutMs: 20_000 });
  const traceId = click.spanContext().traceId;
  const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const isMail = (span: ReadableSpan) => span.name === 'smtp send';
  await waitFor('the mail the incident caused, in the same trace', () => inTrace().some(isMail), { timeoutMs: 30_000 });
  const spans = inTrace().sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + (a.startTime[1] - b.startTime[1]));
  const names = spans.map(describeSpan);
  const byId = new Map(spans.map((span) => [span.spanContext().spanId, span]));
  const parentOf = (span: ReadableSpan) => (span.parentSpanContext ? byId.get(span.parentSpanContext.spanId) : undefined);

  assert.equal(click.parentSpanContext, undefined, `the click starts the trace: ${names.join(' | ')}`);
  assert.equal(click.attributes['desk.page'], '/incidents/new');
  const call = spans.find((span) => serviceOf(span) === 'portal' && span.kind === SpanKind.CLIENT && parentOf(span) === click);
  assert.ok(call, `the portal's POST to the gateway is a child of the click: ${names.join(' | ')}`);
  assert.match(String(call.attributes['http.url'] ?? call.attributes['url.full']), /\/incidents$/);
  const gateway = spans.find((span) => serviceOf(span) === 'gateway' && span.kind === SpanKind.SERVER);
  assert.ok(gateway, `a gateway server span: ${names.join(' | ')}`);
  assert.equal(parentOf(gateway), call, 'the gateway continues from the browser\'s traceparent');
  const incidentServer = spans.find((span) => serviceOf(span) === 'incident-service' && span.kind === SpanKind.SERVER && span.name.startsWith('POST'));
  assert.ok(incidentServer, `incident-service's server span: ${names.join(' | ')}`);
  const publish = spans.find((span) => span.kind === SpanKind.PRODUCER && span.attributes['messaging.rabbitmq.destination.routing_key'] === 'incident.created');
  assert.ok(publish, `the incident.created publish: ${names.join(' | ')}`);
  assert.equal(serviceOf(publish), 'incident-service');
  const notified = spans.find((span) => span.kind === SpanKind.CONSUMER && serviceOf(span) === 'notification-service' && parentOf(span) === publish);
  assert.ok(notified, `notification-service processes the event as a child of the publish: ${names.join(' | ')}`);
  const mail = spans.find(isMail)!;
  assert.equal(serviceOf(mail), 'notification-service');
  // Every span up the chain from the mail leads back to the click.
  let cursor: ReadableSpan | undefined = mail;
  const chain: string[] = [];
  while (cursor) {
    chain.unshift(describeSpan(cursor));
    cursor = parentOf(cursor);
  }
  assert.equal(chain[0], 'portal: Report an incident', `the mail's ancestry ends at the click: ${chain.join(' → ')}`);
  t.diagnostic(`the mail's ancestry: ${chain.join(' → ')}`);
  t.diagnostic(`the whole trace (${spans.length} spans, by start): ${names.join(' | ')}`);
});

test('an administrator changing an SLA target by clicking is one trace too: the portal action, its API call, the gateway and incident-service', async () => {
  const { ADMIN } = await import('./test-support/platform.js');
  const { waitFor } = await import('@desk/testing');
  const admin = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/sla' });
  const response = admin.getByLabel('MEDIUM response minutes');
  const row = admin.getByRole('row').filter({ has: response });
  const current = Number(await response.inputValue());
  await response.fill(String(current + 5));
  exporter.reset();
  await row.getByRole('button', { name: 'Save' }).click();
  await admin.getByText('medium targets saved').waitFor();

  const isAction = (span: ReadableSpan) => span.name === 'Change SLA targets' && serviceOf(span) === 'portal';
  const action = await waitFor('the portal to upload its action span', () => exporter.getFinishedSpans().find(isAction), { timeoutMs: 20_000 });
  const traceId = action.spanContext().traceId;
  const inTrace = () => exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const served = await waitFor(
    'incident-service to serve the PUT in the same trace',
    () => inTrace().find((span) => serviceOf(span) === 'incident-service' && span.kind === SpanKind.SERVER && span.name.startsWith('PUT')),
    { timeoutMs: 20_000 },
  );
  assert.equal(action.parentSpanContext, undefined, 'the click starts the trace');
  assert.equal(action.attributes['desk.page'], '/admin/sla');
  assert.ok(inTrace().some((span) => serviceOf(span) === 'portal' && span.kind === SpanKind.CLIENT && span.parentSpanContext?.spanId === action.spanContext().spanId), 'its API call is the action\'s child');
  assert.ok(inTrace().some((span) => serviceOf(span) === 'gateway' && span.kind === SpanKind.SERVER), 'the gateway is in it');
  assert.ok(served);
  await admin.context().close();
});

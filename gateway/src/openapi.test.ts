import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createIdentityService, identityConfigSchema, type IdentityService } from '@desk/identity-service';
import { createIncidentService, incidentConfigSchema, type IncidentService } from '@desk/incident-service';
import { InProcessEventBus } from '@desk/messaging';
import { createLogger, listen, loadConfig } from '@desk/platform';
import { LogCapture, createTestDatabase, documentedRoutes, type OpenApiDocument, type TestDatabase } from '@desk/testing';
import { formatLintFindings, lintOpenApiDocument } from '@desk/testing/openapi-lint';
import { gatewayConfigSchema } from './config.js';
import { mergeApiDocuments } from './openapi.js';
import { createGateway, type Gateway } from './service.js';

// The real identity and incident services behind the real gateway: the merged reference must be
// valid OpenAPI 3.1 and hold every operation each service documents, plus the gateway's own.

const logger = createLogger({ service: 'openapi-test', destination: new LogCapture() });
let databases: TestDatabase[] = [];
let servers: Server[] = [];
let identity: IdentityService;
let incidents: IncidentService;
let gateway: Gateway;
let gatewayUrl: string;
let identityUrl: string;
let incidentUrl: string;

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

before(async () => {
  databases = await Promise.all([createTestDatabase('gateway-identity'), createTestDatabase('gateway-incident')]);
  const bus = new InProcessEventBus({ logger });
  identity = await createIdentityService({
    config: loadConfig(identityConfigSchema, { DATABASE_URL: databases[0]!.url, SIGNING_KEY_SECRET: randomBytes(32).toString('base64url') }),
    logger,
    bus,
  });
  const identityServer = await listen(identity.app, { port: 0, host: '127.0.0.1', logger });
  identityUrl = urlOf(identityServer);
  incidents = await createIncidentService({
    config: loadConfig(incidentConfigSchema, { DATABASE_URL: databases[1]!.url, IDENTITY_URL: identityUrl }),
    logger,
    bus,
    syncReplicas: false,
  });
  // Started, so its live change stream listens: without it the service reports itself degraded.
  await incidents.start();
  const incidentServer = await listen(incidents.app, { port: 0, host: '127.0.0.1', logger });
  incidentUrl = urlOf(incidentServer);
  gateway = createGateway({ config: loadConfig(gatewayConfigSchema, { IDENTITY_URL: identityUrl, INCIDENT_URL: incidentUrl, ACCOUNT_CHANGES_POLL_INTERVAL: '1h' }), logger });
  const gatewayServer = await listen(gateway.app, { port: 0, host: '127.0.0.1', logger });
  gatewayUrl = urlOf(gatewayServer);
  servers = [gatewayServer, incidentServer, identityServer];
});

after(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await gateway?.stop();
  await incidents?.stop();
  await identity?.stop();
  for (const database of databases) await database.drop();
});

test('the gateway\'s /openapi.json is valid OpenAPI 3.1 and lists every public operation of every service', async () => {
  const merged = (await (await fetch(`${gatewayUrl}/openapi.json`)).json()) as OpenApiDocument & { openapi: string };
  assert.equal(merged.openapi, '3.1.0');
  // Asked before the slow checks below: a connection kept alive across them may be closed by the
  // server meanwhile (its keep-alive timeout), and reusing it would fail for no fault of the gateway.
  const docs = await fetch(`${gatewayUrl}/docs/`);
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /swagger-ui/i);
  await SwaggerParser.validate(structuredClone(merged) as never);

  const fromServices = await Promise.all(
    [identityUrl, incidentUrl].map(async (url) => (await (await fetch(`${url}/openapi.json`)).json()) as OpenApiDocument),
  );
  const listed = new Set(documentedRoutes(merged));
  for (const route of fromServices.flatMap(documentedRoutes)) assert.ok(listed.has(route), `${route} is missing from the gateway's reference`);
  assert.ok(listed.has('GET /health'));
  for (const path of ['/auth/login', '/users', '/incidents', '/incidents/{id}/timeline', '/categories', '/sla-policies/{priority}']) {
    assert.ok(merged.paths[path], `${path} is documented`);
  }
  assert.ok(!Object.keys(merged.paths).some((path) => path.startsWith('/internal')), 'internal listings are never in the public reference');

  const findings = (await lintOpenApiDocument(merged)).filter((finding) => finding.severity === 'error' || finding.severity === 'warning');
  assert.equal(findings.length, 0, `Spectral (spectral:oas):\n${formatLintFindings(findings)}`);
  for (const document of fromServices) {
    for (const name of Object.keys(document.components?.schemas ?? {})) assert.ok(merged.components?.schemas?.[name], `${name} is missing from the merged components`);
  }

});

test('through the gateway, a user signs up, signs in and reaches incident-service with the token identity-service issued', async () => {
  const register = await fetch(`${gatewayUrl}/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'through@example.com', password: 'kettle-orbit-meadow', fullName: 'Through Gateway' }),
  });
  assert.equal(register.status, 202);
  const login = (await (
    await fetch(`${gatewayUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'through@example.com', password: 'kettle-orbit-meadow' }) })
  ).json()) as { accessToken: string };
  const list = await fetch(`${gatewayUrl}/incidents`, { headers: { Authorization: `Bearer ${login.accessToken}` } });
  assert.equal(list.status, 200);
  assert.deepEqual(((await list.json()) as { items: unknown[] }).items, []);
  const health = await fetch(`${gatewayUrl}/health`);
  assert.equal(health.status, 200);
  const report = (await health.json()) as { services: Record<string, string> };
  assert.equal(report.services['incident-service'], 'up');
  assert.equal(report.services['identity-service'], 'up');
});

test('when two services name different schemas alike, then the merge refuses instead of keeping one of them', () => {
  const document = (schema: unknown) => ({ paths: {}, components: { schemas: { Incident: schema } } });
  const same = mergeApiDocuments([
    { name: 'a', document: document({ type: 'object' }) },
    { name: 'b', document: document({ type: 'object' }) },
  ]) as { components: { schemas: Record<string, unknown> } };
  assert.deepEqual(same.components.schemas.Incident, { type: 'object' });
  assert.throws(
    () => mergeApiDocuments([
      { name: 'a', document: document({ type: 'object' }) },
      { name: 'b', document: document({ type: 'string' }) },
    ]),
    /The schema Incident of b differs from the one of a/,
  );
  assert.throws(
    () => mergeApiDocuments([
      { name: 'a', document: { paths: { '/x': { get: {} } } } },
      { name: 'b', document: { paths: { '/x': { get: {} } } } },
    ]),
    /GET \/x is documented twice/,
  );
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { FieldIssue } from '@desk/contracts';
import {
  UNDOCUMENTED,
  assertResponseHeadersDocumented,
  bodyIssueLocations,
  documentedRoutes,
  operations,
  registeredRoutes,
  type ListsRoutes,
  type OpenApiDocument,
  type Operation,
} from '@desk/testing';
import type { Express } from 'express';
import { startIncidents, type IncidentHarness } from './test-support/harness.js';

// The reference must list exactly what the service serves: every documented operation answers
// through the real app, and every route the app registers (but the internal and operational
// ones) is documented.

describe('the OpenAPI document of incident-service', () => {
  let incidents: IncidentHarness;
  let adminToken: string;
  let document: OpenApiDocument;

  /** Calls a documented operation through the real app: path parameters a random UUID, an empty body of the declared type. */
  function call(method: string, path: string, operation: Operation, options: { token?: string; query?: string } = {}) {
    const url = path.replace(/\{\w+\}/g, () => randomUUID()) + (options.query ?? '');
    let pending = incidents.http[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (options.token) pending = pending.set('Authorization', `Bearer ${options.token}`);
    if (['post', 'put', 'patch'].includes(method)) {
      const contentType = Object.keys(operation.requestBody?.content ?? {})[0] ?? 'application/json';
      pending = contentType === 'application/x-www-form-urlencoded' ? pending.type('form').send('') : pending.send({});
    }
    return pending;
  }

  before(async () => {
    incidents = await startIncidents();
    adminToken = incidents.admin.token;
    const response = await incidents.http.get('/openapi.json').expect(200).expect('Content-Type', /json/);
    document = response.body as OpenApiDocument;
  });
  after(() => incidents?.close());

  test('when GET /openapi.json is fetched, then it validates as OpenAPI 3.1', async () => {
    assert.equal(document.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(document) as unknown as Parameters<typeof SwaggerParser.validate>[0]);
  });

  test('when each documented operation is called, then the app routes it (no HTTP.NOT_FOUND)', async () => {
    // The check means something only if an unknown route does answer HTTP.NOT_FOUND.
    const unknown = await incidents.http.get('/no-such-route').set('Authorization', `Bearer ${adminToken}`);
    assert.equal(unknown.body.code, 'HTTP.NOT_FOUND');

    for (const { method, path, operation } of operations(document)) {
      const response = await call(method, path, operation, operation.security?.length ? { token: adminToken } : {});
      assert.notEqual(response.body?.code, 'HTTP.NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not routed`);
      assert.notEqual(response.status, 401, `${method.toUpperCase()} ${path} refused the admin token: ${JSON.stringify(response.body)}`);
    }
  });

  test('when the app lists the routes it registers, then each public one is documented, and nothing else', () => {
    const all = registeredRoutes((incidents.service.app as Express & { router: ListsRoutes }).router);
    // The walk must see mount paths: the routers themselves only know `/:id/...`.
    assert.ok(all.includes('GET /incidents/{id}/timeline'), `the timeline route is missing among ${all.join(', ')}`);
    // …and the internal listings, or the exclusions below would hide nothing and prove nothing.
    assert.ok(all.some((route) => route.startsWith('GET /internal/')), `no /internal route found among ${all.join(', ')}`);
    const registered = all.filter((route) => !UNDOCUMENTED.some((pattern) => pattern.test(route.split(' ')[1]!))).sort();
    assert.deepEqual(registered, documentedRoutes(document).sort());
  });

  test('when each operation is read, then it has a summary, a 2xx response and the security its route enforces', async () => {
    for (const { method, path, operation } of operations(document)) {
      const name = `${method.toUpperCase()} ${path}`;
      assert.ok(operation.summary?.trim(), `${name} has no summary`);
      assert.ok(Object.keys(operation.responses).some((status) => /^2\d\d$/.test(status)), `${name} has no 2xx response`);
      const bearer = (operation.security ?? []).some((requirement) => 'bearerAuth' in requirement);
      const anonymous = await call(method, path, operation);
      if (bearer) {
        assert.equal(anonymous.body?.code, 'AUTH.TOKEN_MISSING', `${name} is documented as needing a token but answers without one`);
      } else {
        assert.deepEqual(operation.security, [], `${name} has an unknown security requirement`);
        assert.notEqual(anonymous.status, 401, `${name} is documented as public but refuses a caller without a token`);
      }
    }
  });

  test('when a route parses a body or a query, then the operation documents it', async () => {
    for (const { method, path, operation } of operations(document)) {
      const name = `${method.toUpperCase()} ${path}`;
      const token = operation.security?.length ? { token: adminToken } : {};
      if (['post', 'put', 'patch'].includes(method)) {
        const response = await call(method, path, operation, token);
        if (bodyIssueLocations(response.body).includes('body')) {
          const content = Object.values(operation.requestBody?.content ?? {});
          assert.ok(content.length > 0 && content.every((media) => media.schema), `${name} parses a body but documents none`);
        }
      }
      // Query schemas are strict: an unknown parameter is refused, naming the query, where one is parsed.
      const response = await call(method, path, operation, { ...token, query: '?undocumentedParameter=1' });
      if (bodyIssueLocations(response.body).includes('query')) {
        assert.ok(operation.parameters?.some((parameter) => parameter.in === 'query'), `${name} parses a query but documents no query parameters`);
      }
    }
  });

  test('when incidents are filed, read and changed, then the headers the routes read and send are documented', async () => {
    const admin = (request: ReturnType<IncidentHarness['http']['get']>) => request.set('Authorization', `Bearer ${adminToken}`);
    const check = (method: string, path: string, response: { status: number; headers: Record<string, string> }) =>
      assertResponseHeadersDocumented(document, method, path, response);
    const requestHeaders = (method: string, path: string) =>
      (document.paths[path]?.[method]?.parameters ?? []).filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name.toLowerCase());

    const departmentId = await incidents.createDepartment();
    const category = await admin(incidents.http.post('/categories')).send({ name: `Docs ${randomUUID().slice(0, 8)}`, departmentId }).expect(201);
    check('post', '/categories', category);
    const incident = { title: 'Docs printer jams', description: 'Since Monday.', categoryId: category.body.id };

    // Idempotency-Key: read by the route (a malformed one is refused naming the header), replayed with a header of its own.
    const malformedKey = await admin(incidents.http.post('/incidents')).set('Idempotency-Key', 'not a key').send(incident).expect(400);
    assert.deepEqual(malformedKey.body.errors.map((issue: FieldIssue) => issue.path), ['idempotency-key']);
    assert.ok(requestHeaders('post', '/incidents').includes('idempotency-key'), 'POST /incidents reads Idempotency-Key but does not document it');
    const key = randomUUID();
    const filed = await admin(incidents.http.post('/incidents')).set('Idempotency-Key', key).send(incident).expect(201);
    check('post', '/incidents', filed);
    const replayed = await admin(incidents.http.post('/incidents')).set('Idempotency-Key', key).send(incident).expect(201);
    assert.equal(replayed.headers['idempotent-replayed'], 'true');
    check('post', '/incidents', replayed);

    const id = filed.body.id as string;
    check('get', '/incidents/{id}', await admin(incidents.http.get(`/incidents/${id}`)).expect(200));
    // If-Match: a stale one is refused with 412, so both the header and the 412 must be documented.
    let version = filed.body.version as number;
    for (const [path, url, body] of [
      ['/incidents/{id}', `/incidents/${id}`, { priority: 'HIGH' }],
      ['/incidents/{id}/assign', `/incidents/${id}/assign`, { assigneeId: null }],
    ] as const) {
      check('patch', path, await admin(incidents.http.patch(url)).set('If-Match', '"999"').send(body).expect(412));
      assert.ok(requestHeaders('patch', path).includes('if-match'), `PATCH ${path} reads If-Match but does not document it`);
      const changed = await admin(incidents.http.patch(url)).set('If-Match', `"${version}"`).send(body).expect(200);
      check('patch', path, changed);
      version = changed.body.version;
    }
    check('post', '/incidents/{id}/comments', await admin(incidents.http.post(`/incidents/${id}/comments`)).send({ content: 'Looking.' }).expect(201));
  });
});

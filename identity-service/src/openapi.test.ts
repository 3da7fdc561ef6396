import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
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
import { ADMIN_EMAIL, ADMIN_PASSWORD, startIdentity, type IdentityHarness } from './test-support/harness.js';

// The reference must list exactly what the service serves: every documented operation answers
// through the real app, and every route the app registers (but the internal and operational
// ones) is documented.

describe('the OpenAPI document of identity-service', () => {
  let identity: IdentityHarness;
  let adminToken: string;
  let document: OpenApiDocument;

  /** Calls a documented operation through the real app: path parameters a random UUID, an empty body of the declared type. */
  function call(method: string, path: string, operation: Operation, options: { token?: string; query?: string } = {}) {
    const url = path.replace(/\{\w+\}/g, () => randomUUID()) + (options.query ?? '');
    let pending = identity.http[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](url);
    if (options.token) pending = pending.set('Authorization', `Bearer ${options.token}`);
    if (['post', 'put', 'patch'].includes(method)) {
      const contentType = Object.keys(operation.requestBody?.content ?? {})[0] ?? 'application/json';
      pending = contentType === 'application/x-www-form-urlencoded' ? pending.type('form').send('') : pending.send({});
    }
    return pending;
  }

  before(async () => {
    identity = await startIdentity();
    adminToken = await identity.tokenFor(identity.admin);
    const response = await identity.http.get('/openapi.json').expect(200).expect('Content-Type', /json/);
    document = response.body as OpenApiDocument;
  });
  after(() => identity?.close());

  test('when GET /openapi.json is fetched, then it validates as OpenAPI 3.1', async () => {
    assert.equal(document.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(document) as unknown as Parameters<typeof SwaggerParser.validate>[0]);
  });

  test('when each documented operation is called, then the app routes it (no HTTP.NOT_FOUND)', async () => {
    // The check means something only if an unknown route does answer HTTP.NOT_FOUND.
    const unknown = await identity.http.get('/no-such-route').set('Authorization', `Bearer ${adminToken}`);
    assert.equal(unknown.body.code, 'HTTP.NOT_FOUND');

    for (const { method, path, operation } of operations(document)) {
      const response = await call(method, path, operation, operation.security?.length ? { token: adminToken } : {});
      assert.notEqual(response.body?.code, 'HTTP.NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not routed`);
      assert.notEqual(response.status, 401, `${method.toUpperCase()} ${path} refused the admin token: ${JSON.stringify(response.body)}`);
    }
  });

  test('when the app lists the routes it registers, then each public one is documented, and nothing else', () => {
    const all = registeredRoutes((identity.service.app as Express & { router: ListsRoutes }).router);
    // The walk must see mount paths, or the exclusions below would hide nothing and prove nothing.
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
    // The token endpoint's form is no JSON body: it must still be documented, as a form.
    assert.ok(document.paths['/auth/token']?.post?.requestBody?.content['application/x-www-form-urlencoded']?.schema);
  });

  test('when operations answer, then the headers their responses carry are documented', async () => {
    const admin = (request: ReturnType<IdentityHarness['http']['get']>) => request.set('Authorization', `Bearer ${adminToken}`);
    const check = (method: string, path: string, response: { status: number; headers: Record<string, string> }) =>
      assertResponseHeadersDocumented(document, method, path, response);

    check('get', '/.well-known/jwks.json', await identity.http.get('/.well-known/jwks.json').expect(200));
    const department = await admin(identity.http.post('/departments')).send({ name: `Docs ${randomUUID().slice(0, 8)}` }).expect(201);
    check('post', '/departments', department);
    const email = `docs-${randomUUID().slice(0, 8)}@example.com`;
    check('post', '/users', await admin(identity.http.post('/users')).send({ email, password: 'docs-password-1', fullName: 'Docs', role: 'reporter' }).expect(201));
    const login = await identity.http.post('/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
    check('post', '/auth/login', login);
    check('post', '/auth/refresh', await identity.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200));
    check('post', '/auth/token', await identity.http.post('/auth/token').type('form').send(`grant_type=password&username=${encodeURIComponent(email)}&password=docs-password-1`).expect(200));
    check('post', '/auth/token', await identity.http.post('/auth/token').type('form').send('grant_type=client_credentials').expect(401));
    const account = await admin(identity.http.post('/service-accounts')).send({ name: `docs-${randomUUID().slice(0, 8)}`, scopes: ['incidents:read'] }).expect(201);
    check('post', '/service-accounts', account);
    check('delete', '/service-accounts/{id}', await admin(identity.http.delete(`/service-accounts/${account.body.id}`)).expect(204));
  });
});

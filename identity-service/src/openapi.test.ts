import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { assertResponseHeadersDocumented, describeOpenApiConformance, registeredRoutes, type ListsRoutes } from '@desk/testing';
import type { Express } from 'express';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startIdentity, type IdentityHarness } from './test-support/harness.js';

// The shared conformance suite (@desk/testing), then what only identity-service has: the
// internal routes it hides, the token endpoint's form, and the headers of its auth responses.

describeOpenApiConformance(
  'identity-service',
  async () => {
    const identity = await startIdentity({ OAUTH_PASSWORD_GRANT: 'enabled' });
    return { identity, app: identity.service.app, adminToken: await identity.tokenFor(identity.admin), close: () => identity.close() };
  },
  {
    extra(context) {
      test('when the app lists the routes it registers, then the walk sees the /internal routes the reference leaves out', () => {
        const all = registeredRoutes((context.target.app as Express & { router: ListsRoutes }).router);
        // The walk must see mount paths, or the exclusions would hide nothing and prove nothing.
        assert.ok(all.some((route) => route.startsWith('GET /internal/')), `no /internal route found among ${all.join(', ')}`);
      });

      test('when the token endpoint is read, then its form body is documented as a form', () => {
        // The token endpoint's form is no JSON body: it must still be documented, as a form.
        assert.ok(context.document.paths['/auth/token']?.post?.requestBody?.content['application/x-www-form-urlencoded']?.schema);
      });

      test('when operations answer, then the headers their responses carry are documented', async () => {
        const { identity } = context.target;
        const { document, target } = context;
        const admin = (request: ReturnType<IdentityHarness['http']['get']>) => request.set('Authorization', `Bearer ${target.adminToken}`);
        const check = (method: string, path: string, response: { status: number; headers: Record<string, string> }) =>
          assertResponseHeadersDocumented(document, method, path, response);

        check('get', '/.well-known/jwks.json', await identity.http.get('/.well-known/jwks.json').expect(200));
        const department = await admin(identity.http.post('/departments')).send({ name: `Docs ${randomUUID().slice(0, 8)}` }).expect(201);
        check('post', '/departments', department);
        const email = `docs-${randomUUID().slice(0, 8)}@example.com`;
        check('post', '/users', await admin(identity.http.post('/users')).send({ email, password: 'lantern-harbour-71', fullName: 'Docs', role: 'reporter' }).expect(201));
        const login = await identity.http.post('/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
        check('post', '/auth/login', login);
        check('post', '/auth/refresh', await identity.http.post('/auth/refresh').send({ refreshToken: login.body.refreshToken }).expect(200));
        check('post', '/auth/token', await identity.http.post('/auth/token').type('form').send(`grant_type=password&username=${encodeURIComponent(email)}&password=lantern-harbour-71`).expect(200));
        check('post', '/auth/token', await identity.http.post('/auth/token').type('form').send('grant_type=client_credentials').expect(401));
        const account = await admin(identity.http.post('/service-accounts')).send({ name: `docs-${randomUUID().slice(0, 8)}`, scopes: ['incidents:read'] }).expect(201);
        check('post', '/service-accounts', account);
        check('delete', '/service-accounts/{id}', await admin(identity.http.delete(`/service-accounts/${account.body.id}`)).expect(204));
      });
    },
  },
);

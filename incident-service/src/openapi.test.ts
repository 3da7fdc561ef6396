import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { FieldIssue } from '@desk/contracts';
import { assertResponseHeadersDocumented, describeOpenApiConformance, registeredRoutes, type ListsRoutes } from '@desk/testing';
import type { Express } from 'express';
import { startIncidents, type IncidentHarness } from './test-support/harness.js';

// The shared conformance suite (@desk/testing), then what only incident-service has: the
// internal listings it hides, and the headers its routes read and send.

describeOpenApiConformance(
  'incident-service',
  async () => {
    const incidents = await startIncidents();
    return { incidents, app: incidents.service.app, adminToken: incidents.admin.token, close: () => incidents.close() };
  },
  {
    // The walk must see mount paths: the routers themselves only know `/:id/...`.
    mustRegister: ['GET /incidents/{id}/timeline'],
    extra(context) {
      test('when the app lists the routes it registers, then the walk sees the /internal listings the reference leaves out', () => {
        const all = registeredRoutes((context.target.app as Express & { router: ListsRoutes }).router);
        // …and the internal listings, or the exclusions would hide nothing and prove nothing.
        assert.ok(all.some((route) => route.startsWith('GET /internal/')), `no /internal route found among ${all.join(', ')}`);
      });

      test('when incidents are filed, read and changed, then the headers the routes read and send are documented', async () => {
        const { incidents } = context.target;
        const { document, target } = context;
        const admin = (request: ReturnType<IncidentHarness['http']['get']>) => request.set('Authorization', `Bearer ${target.adminToken}`);
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
        assert.deepEqual(malformedKey.body.errors.map((issue: FieldIssue) => issue.path), ['/idempotency-key']);
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
    },
  },
);

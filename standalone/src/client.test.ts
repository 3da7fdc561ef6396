import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createDeskClient } from '@desk/client';
import { waitFor } from '@desk/testing';
import { fileAndList } from '../../packages/client/examples/file-and-list.js';
import { platformApiDocument } from '../../packages/client/scripts/api-document.js';
import { ADMIN, startPlatform, type RunningPlatform } from './test-support/platform.js';

// The generated client (@desk/client) against the real platform: the README's example program,
// run as another system would run it, with a service account's client credentials.

let platform: RunningPlatform;

before(async () => {
  platform = await startPlatform();
});
after(() => platform?.close());

test('when the gateway serves /openapi.json with every service up, then it is the document the client is generated from', async () => {
  const served: unknown = await (await fetch(`${platform.gatewayUrl}/openapi.json`)).json();
  assert.deepEqual(served, platformApiDocument());
});

test('when a service account runs the client example, then it files an incident and finds it among the open ones', async () => {
  const signIn = await createDeskClient({ baseUrl: platform.gatewayUrl }).POST('/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
  assert.ok(signIn.data, JSON.stringify(signIn.error));
  const admin = createDeskClient({ baseUrl: platform.gatewayUrl, accessToken: signIn.data.accessToken });

  const department = await admin.POST('/departments', { body: { name: 'Infrastructure' } });
  assert.ok(department.data, JSON.stringify(department.error));
  const departmentId = department.data.id;
  // incident-service learns of the department through identity's events.
  const categoryId = await waitFor('department replicated', async () => {
    const category = await admin.POST('/categories', { body: { name: 'Servers', departmentId } });
    return category.data?.id;
  });
  const account = await admin.POST('/service-accounts', { body: { name: 'Monitoring', scopes: ['incidents:read', 'incidents:write'] } });
  assert.ok(account.data, JSON.stringify(account.error));

  const { filed, open } = await fileAndList({ baseUrl: platform.gatewayUrl, clientId: account.data.clientId, clientSecret: account.data.clientSecret, categoryId });
  assert.equal(filed.status, 'OPEN');
  assert.equal(filed.priority, 'HIGH');
  assert.equal(filed.reporterId, account.data.id);
  assert.ok(open.some((incident) => incident.id === filed.id), 'the filed incident is listed');

  // A problem comes back typed, as the document describes it.
  const refused = await admin.GET('/incidents/{id}', { params: { path: { id: 'INC-999999' } } });
  assert.equal(refused.response.status, 404);
  assert.equal(refused.error?.code, 'INCIDENT.NOT_FOUND');
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Client } from 'oauth4webapi';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

// Another system as it would connect: an off-the-shelf OAuth 2.0 client (oauth4webapi, by the
// author of jose and openid-client) discovers the platform through the gateway without a token
// (RFC 8414), gets a client-credentials token for a service account and calls the API with it.

describe('an off-the-shelf OAuth client (oauth4webapi) against the gateway', () => {
  let platform: RunningPlatform;
  let credentials: { clientId: string; clientSecret: string };

  before(async () => {
    platform = await startPlatform();
    const admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const created = await admin.call<{ clientId: string; clientSecret: string }>('POST', '/service-accounts', { name: 'Monitoring (oauth4webapi)', scopes: ['incidents:read'] });
    assert.equal(created.status, 201);
    credentials = created.body;
  });

  after(async () => {
    await platform?.close();
  });

  test('it discovers the authorization server, obtains a client-credentials token whose iss and client_id are right, and lists incidents with it', async () => {
    const oauth = await import('oauth4webapi');
    const issuer = new URL(platform.gatewayUrl);
    // Plain HTTP on loopback in the test; production is https.
    const insecure = { [oauth.allowInsecureRequests]: true };
    const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    assert.equal(server.issuer, platform.gatewayUrl);
    assert.equal(server.token_endpoint, `${platform.gatewayUrl}/auth/token`);
    assert.ok(!server.grant_types_supported?.includes('password'), 'the password grant is off');

    const client: Client = { client_id: credentials.clientId };
    const response = await oauth.clientCredentialsGrantRequest(server, client, oauth.ClientSecretBasic(credentials.clientSecret), new URLSearchParams({ scope: 'incidents:read' }), insecure);
    const tokens = await oauth.processClientCredentialsResponse(server, client, response);
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.scope, 'incidents:read');

    const claims = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    assert.equal(claims.iss, platform.gatewayUrl);
    assert.equal(claims.client_id, credentials.clientId);

    const listed = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(`${platform.gatewayUrl}/incidents?limit=1`), undefined, undefined, insecure);
    assert.equal(listed.status, 200);

    // A grant the server does not take is an RFC 6749 §5.2 error the library understands.
    const refused = await fetch(`${platform.gatewayUrl}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: ADMIN.email, password: ADMIN.password }),
    });
    assert.equal(refused.status, 400);
    assert.equal(((await refused.json()) as { error: string }).error, 'unsupported_grant_type');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PEOPLE_CLIENT_ID } from '@desk/contracts';
import { decodeJwt } from 'jose';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';

describe('identity-service as an OAuth 2.0 authorization server (RFC 6749, 8414, 9068)', () => {
  let identity: IdentityHarness;
  let adminToken: string;

  before(async () => {
    identity = await startIdentity({ JWT_ISSUER: 'https://api.desk.example.com/' });
    adminToken = await identity.tokenFor(identity.admin);
  });

  after(async () => {
    await identity?.close();
  });

  const token = (form: Record<string, string>) => identity.http.post('/auth/token').type('form').send(new URLSearchParams(form).toString());

  test('when a client asks for the metadata, then it names the issuer every token carries, the endpoints and what they take, without a token', async () => {
    const response = await identity.http.get('/.well-known/oauth-authorization-server').expect(200);
    assert.equal(response.headers['cache-control'], 'public, max-age=300');
    assert.deepEqual(response.body, {
      issuer: 'https://api.desk.example.com',
      token_endpoint: 'https://api.desk.example.com/auth/token',
      jwks_uri: 'https://api.desk.example.com/.well-known/jwks.json',
      grant_types_supported: ['client_credentials', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['incidents:read', 'incidents:write', 'users:read', 'analytics:read'],
      response_types_supported: [],
      service_documentation: 'https://api.desk.example.com/docs',
    });
  });

  test('when the password grant is not enabled (the default), then it is 400 unsupported_grant_type, not a sign-in', async () => {
    const { user, password } = await identity.createUser();
    const response = await token({ grant_type: 'password', username: user.email, password }).expect(400);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.deepEqual(response.body, { error: 'unsupported_grant_type', error_description: '"password" is not enabled here; use client_credentials, refresh_token' });
  });

  test('when a service account gets a token, then it follows RFC 9068: iss is the issuer URL, client_id is its client id, typ at+jwt', async () => {
    const created = await identity.http.post('/service-accounts').set('Authorization', `Bearer ${adminToken}`).send({ name: 'RFC 9068 client', scopes: ['incidents:read'] }).expect(201);
    const issued = await token({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret }).expect(200);
    const claims = decodeJwt(issued.body.access_token);
    assert.equal(claims.iss, 'https://api.desk.example.com');
    assert.equal(claims.client_id, created.body.clientId);
    assert.equal(claims.sub, created.body.id);
    assert.equal(claims.scope, 'incidents:read');
    for (const claim of ['aud', 'exp', 'iat', 'jti']) assert.ok(claims[claim] !== undefined, claim);
  });

  test('when a person signs in, then the token names the people client, the issuer URL and the sign-in (sid)', async () => {
    const { user, password } = await identity.createUser();
    const signedIn = await identity.http.post('/auth/login').send({ email: user.email, password }).expect(200);
    const claims = decodeJwt(signedIn.body.accessToken);
    assert.equal(claims.client_id, PEOPLE_CLIENT_ID);
    assert.equal(claims.iss, 'https://api.desk.example.com');
    assert.match(String(claims.sid), /^[0-9a-f-]{36}$/);
  });

  test('when the client is unknown, or its secret wrong, then RFC 6749 §5.2: 401 invalid_client, with WWW-Authenticate when it used Basic', async () => {
    const form = await token({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'nothing' }).expect(401);
    assert.deepEqual(Object.keys(form.body).sort(), ['error', 'error_description']);
    assert.equal(form.body.error, 'invalid_client');
    const basic = await identity.http.post('/auth/token').type('form').set('Authorization', `Basic ${Buffer.from('nobody:nothing').toString('base64')}`).send('grant_type=client_credentials').expect(401);
    assert.equal(basic.body.error, 'invalid_client');
    assert.match(basic.headers['www-authenticate']!, /^Basic realm=/);
    assert.equal(basic.headers['cache-control'], 'no-store');
  });

  test('when a scope is asked for that the client does not hold, then 400 invalid_scope', async () => {
    const created = await identity.http.post('/service-accounts').set('Authorization', `Bearer ${adminToken}`).send({ name: 'Narrow client', scopes: ['incidents:read'] }).expect(201);
    const response = await token({ grant_type: 'client_credentials', client_id: created.body.clientId, client_secret: created.body.clientSecret, scope: 'incidents:read analytics:read' }).expect(400);
    assert.equal(response.body.error, 'invalid_scope');
  });
});

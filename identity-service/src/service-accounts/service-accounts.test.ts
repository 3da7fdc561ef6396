import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';

describe('service accounts and the OAuth token endpoint', () => {
  let identity: IdentityHarness;
  let adminToken: string;

  before(async () => {
    identity = await startIdentity({ OAUTH_PASSWORD_GRANT: 'enabled' });
    adminToken = await identity.tokenFor(identity.admin);
  });
  after(() => identity?.close());

  const createAccount = (name: string, scopes: string[] = ['incidents:read', 'incidents:write']) =>
    identity.http.post('/service-accounts').set('Authorization', `Bearer ${adminToken}`).send({ name, scopes });

  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const token = (fields: Record<string, string>, basic?: string) => {
    const call = identity.http.post('/auth/token').type('form').send(form(fields));
    return basic ? call.set('Authorization', `Basic ${basic}`) : call;
  };

  test('when an admin creates a service account, then the secret is shown once and never again', async () => {
    const created = await createAccount('Monitoring').expect(201);
    assert.equal(created.headers['cache-control'], 'no-store');
    assert.match(created.body.clientId, /^svc_/);
    assert.ok(created.body.clientSecret.length >= 43);
    assert.deepEqual(created.body.scopes, ['incidents:read', 'incidents:write']);
    assert.equal(created.body.isActive, true);

    const fetched = await identity.http.get(`/service-accounts/${created.body.id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    assert.equal(fetched.body.clientSecret, undefined);
    const listed = await identity.http.get('/service-accounts').set('Authorization', `Bearer ${adminToken}`).expect(200);
    assert.ok(listed.body.items.some((account: { id: string }) => account.id === created.body.id));
    assert.ok(!JSON.stringify(listed.body).includes(created.body.clientSecret));
    const stored = await identity.service.db('service_accounts').where({ id: created.body.id }).first();
    assert.notEqual(stored.secret_hash, created.body.clientSecret);
  });

  test('when the name is taken, the scopes unknown or empty, then 409 / 400 naming the field', async () => {
    await createAccount('Dup').expect(201);
    assert.equal((await createAccount('dup').expect(409)).body.code, 'SERVICE_ACCOUNT.NAME_TAKEN');
    const unknown = await createAccount('Bad', ['incidents:delete']).expect(400);
    assert.equal(unknown.body.errors[0].path, '/scopes/0');
    assert.equal((await createAccount('Empty', []).expect(400)).body.errors[0].path, '/scopes');
  });

  test('when someone other than an admin manages service accounts, then 403; without a token 401', async () => {
    const department = await identity.createDepartment();
    for (const role of ['reporter', 'staff', 'manager'] as const) {
      const { token: userToken } = await identity.createUser({ role, departmentId: role === 'reporter' ? null : department.id });
      await identity.http.get('/service-accounts').set('Authorization', `Bearer ${userToken}`).expect(403);
      await identity.http.post('/service-accounts').set('Authorization', `Bearer ${userToken}`).send({ name: 'x', scopes: ['incidents:read'] }).expect(403);
    }
    await identity.http.get('/service-accounts').expect(401);
  });

  test('when anyone asks for a route the API does not have, then 404 (or 405 with Allow), before any role or token check', async () => {
    const { token: staffToken } = await identity.createUser({ role: 'staff', departmentId: (await identity.createDepartment()).id });
    const created = await createAccount('Routes').expect(201);
    for (const token of [staffToken, adminToken, undefined]) {
      const as = (call: ReturnType<typeof identity.http.get>) => (token ? call.set('Authorization', `Bearer ${token}`) : call);
      const unknown = await as(identity.http.get(`/service-accounts/${created.body.id}/keys`)).expect(404);
      assert.equal(unknown.body.code, 'HTTP.NOT_FOUND');
      assert.equal((await as(identity.http.get('/users/someone/sessions')).expect(404)).body.code, 'HTTP.NOT_FOUND');
      const wrongMethod = await as(identity.http.put('/service-accounts')).expect(405);
      assert.deepEqual(wrongMethod.headers.allow?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
    }
    // the routes that exist still check the role
    await identity.http.get(`/service-accounts/${created.body.id}`).set('Authorization', `Bearer ${staffToken}`).expect(403);
  });

  test('when a client authenticates with client_credentials, then it gets a service token with its scopes', async () => {
    const { clientId, clientSecret, id } = (await createAccount('Deploy bot').expect(201)).body;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
    const response = await token({ grant_type: 'client_credentials' }, basic).expect(200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.body.token_type, 'Bearer');
    assert.equal(response.body.scope, 'incidents:read incidents:write');
    assert.equal(response.body.refresh_token, undefined, 'no refresh token for client credentials (RFC 6749 §4.4.3)');
    const claims = decodeJwt(response.body.access_token);
    assert.equal(claims.role, 'service');
    assert.equal(claims.sub, id);
    assert.equal(claims.scope, 'incidents:read incidents:write');

    const me = await identity.http.get('/auth/me').set('Authorization', `Bearer ${response.body.access_token}`).expect(200);
    assert.equal(me.body.kind, 'service');
    assert.equal(me.body.name, 'Deploy bot');
    assert.ok(me.body.lastUsedAt);

    // Credentials in the form work too, and a narrower scope can be asked for.
    const narrow = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'incidents:read' }).expect(200);
    assert.equal(narrow.body.scope, 'incidents:read');
    const wider = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'users:read' }).expect(400);
    assert.equal(wider.body.error, 'invalid_scope');
  });

  test('when the client secret is wrong or the account revoked, then 401 invalid_client, and its tokens stop working', async () => {
    const { clientId, clientSecret, id } = (await createAccount('Revocable').expect(201)).body;
    const wrong = await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'wrong' }).expect(401);
    assert.deepEqual(Object.keys(wrong.body).sort(), ['error', 'error_description']);
    assert.equal(wrong.body.error, 'invalid_client');
    const basicWrong = await token({ grant_type: 'client_credentials' }, Buffer.from(`${clientId}:nope`).toString('base64')).expect(401);
    assert.match(basicWrong.headers['www-authenticate']!, /^Basic/);

    const issued = (await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).expect(200)).body.access_token;
    await identity.http.delete(`/service-accounts/${id}`).set('Authorization', `Bearer ${adminToken}`).expect(204);
    await token({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).expect(401);
    await identity.http.get('/auth/me').set('Authorization', `Bearer ${issued}`).expect(401);
    const listed = await identity.http.get(`/service-accounts/${id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    assert.equal(listed.body.isActive, false);
    await identity.http.delete('/service-accounts/5f2b1f7e-0000-4000-8000-000000000000').set('Authorization', `Bearer ${adminToken}`).expect(404);
  });

  test('when the password grant is used, then it signs in like /auth/login and the refresh_token grant rotates', async () => {
    const { user, password } = await identity.createUser();
    const signedIn = await token({ grant_type: 'password', username: user.email.toUpperCase(), password }).expect(200);
    assert.equal(signedIn.body.token_type, 'Bearer');
    assert.equal(signedIn.body.expires_in, 900);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: signedIn.body.refresh_token }).expect(200);
    assert.notEqual(refreshed.body.refresh_token, signedIn.body.refresh_token);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: signedIn.body.refresh_token }).expect(400);
    assert.equal(reused.body.error, 'invalid_grant');
    const badPassword = await token({ grant_type: 'password', username: user.email, password: 'nope' }).expect(400);
    assert.deepEqual(badPassword.body, { error: 'invalid_grant', error_description: 'The email or password is not correct.' });
  });

  test('when the request is not a proper token request, then RFC 6749 errors', async () => {
    assert.equal((await token({ grant_type: 'authorization_code', code: 'x' }).expect(400)).body.error, 'unsupported_grant_type');
    assert.equal((await token({}).expect(400)).body.error, 'invalid_request');
    assert.equal((await token({ grant_type: 'password', username: 'a@example.com' }).expect(400)).body.error_description, '"password" is required');
    const json = await identity.http.post('/auth/token').send({ grant_type: 'client_credentials' }).expect(400);
    assert.equal(json.body.error, 'invalid_request');
    const twice = await identity.http.post('/auth/token').type('form').send('grant_type=password&grant_type=client_credentials').expect(400);
    assert.match(twice.body.error_description, /more than once/);
  });
});

describe('service account edge cases', () => {
  test('when Basic credentials are badly percent-encoded, then 401 invalid_client, not a server error', async () => {
    const identity = await startIdentity();
    try {
      const response = await identity.http
        .post('/auth/token')
        .type('form')
        .set('Authorization', `Basic ${Buffer.from('%zz:secret').toString('base64')}`)
        .send('grant_type=client_credentials')
        .expect(401);
      assert.equal(response.body.error, 'invalid_client');
    } finally {
      await identity.close();
    }
  });

  test('when accounts are created within one millisecond, then paging still shows each once', async () => {
    const identity = await startIdentity();
    try {
      const adminToken = await identity.tokenFor(identity.admin);
      await identity.service.db('service_accounts').insert(
        ['first', 'second', 'third'].map((name, index) => ({
          name,
          client_id: `svc_${name}`,
          secret_hash: 'x',
          scopes: ['incidents:read'],
          created_at: identity.service.db.raw(`'2026-01-01 10:00:00.000${index}00+00'::timestamptz`),
        })),
      );
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { name: string }[]; nextCursor: string | null } = (
          await identity.http.get(`/service-accounts?limit=1${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', `Bearer ${adminToken}`).expect(200)
        ).body;
        seen.push(...page.items.map((item) => item.name));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(seen, ['third', 'second', 'first']);
    } finally {
      await identity.close();
    }
  });
});

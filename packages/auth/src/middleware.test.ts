import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, describe, test } from 'node:test';
import { createHttpApp, createLogger } from '@desk/platform';
import { LogCapture } from '@desk/testing';
import type { Express } from 'express';
import { exportJWK, generateKeyPair, createLocalJWKSet } from 'jose';
import request from 'supertest';
import type { Caller } from './caller.js';
import { authenticate, callerOf, replicaAccountCheck, requireInternalToken, requireRole, requireScope, type AccountState } from './middleware.js';
import { createAccessTokenVerifier, signAccessToken, type SigningKey } from './tokens.js';

const issuer = 'https://identity.test';
const audience = 'incident-platform';

describe('authentication middleware', () => {
  let app: Express;
  let key: SigningKey;
  const deactivated = new Set<string>();
  const token = (role: 'reporter' | 'staff' | 'admin' | 'service', id = randomUUID(), scopes?: string[]) =>
    signAccessToken({ id, role, ...(scopes ? { scopes } : {}) }, key, { issuer, audience, ttlSeconds: 60 }).then((t) => t.token);

  before(async () => {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    key = { kid: 'k1', privateKey: pair.privateKey };
    const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] });
    const verify = createAccessTokenVerifier({ issuer, audience, keys: jwks });
    app = createHttpApp({ serviceName: 'auth-test', logger: createLogger({ service: 'auth-test', destination: new LogCapture() }) }, (router) => {
      router.get('/internal/things', requireInternalToken('s3cret-internal'), (_req, res) => void res.json({ ok: true }));
      router.use(authenticate({ verify, check: async (caller) => (deactivated.has(caller.id) ? 'the account is deactivated' : undefined) }));
      router.get('/me', (req, res) => void res.json(callerOf(req)));
      router.get('/admin-only', requireRole('admin'), (_req, res) => void res.json({ ok: true }));
      router.get('/incidents', requireScope('incidents:read'), (_req, res) => void res.json({ ok: true }));
    });
  });

  test('when no token is sent, then 401 problem+json with a bare Bearer challenge', async () => {
    const response = await request(app).get('/me').expect(401);
    assert.equal(response.headers['www-authenticate'], 'Bearer realm="incident-platform"');
    assert.equal(response.body.code, 'AUTH.TOKEN_MISSING');
    assert.match(response.headers['content-type']!, /application\/problem\+json/);
  });

  test('when the token is invalid, then 401 with error="invalid_token" and the reason', async () => {
    const response = await request(app).get('/me').set('Authorization', 'Bearer abc.def.ghi').expect(401);
    assert.match(response.headers['www-authenticate']!, /error="invalid_token", error_description="the token is malformed"/);
    assert.equal(response.body.code, 'AUTH.INVALID_TOKEN');
    const basic = await request(app).get('/me').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
    assert.equal(basic.body.code, 'AUTH.INVALID_TOKEN');
  });

  test('when the token is valid, then the handler sees the caller', async () => {
    const id = randomUUID();
    const response = await request(app).get('/me').set('Authorization', `Bearer ${await token('staff', id)}`).expect(200);
    assert.equal(response.body.id, id);
    assert.equal(response.body.role, 'staff');
  });

  test('when the check refuses a verified caller (deactivated since), then 401 AUTH.TOKEN_REVOKED', async () => {
    const id = randomUUID();
    deactivated.add(id);
    const response = await request(app).get('/me').set('Authorization', `Bearer ${await token('staff', id)}`).expect(401);
    assert.equal(response.body.code, 'AUTH.TOKEN_REVOKED');
    assert.match(response.body.detail, /deactivated/);
  });

  test('when the role is not allowed, then 403 AUTH.FORBIDDEN; the allowed role passes', async () => {
    const refused = await request(app).get('/admin-only').set('Authorization', `Bearer ${await token('reporter')}`).expect(403);
    assert.equal(refused.body.code, 'AUTH.FORBIDDEN');
    await request(app).get('/admin-only').set('Authorization', `Bearer ${await token('admin')}`).expect(200);
  });

  test('when a service account lacks the scope, then 403 insufficient_scope; with it, or as a user, it passes', async () => {
    const refused = await request(app).get('/incidents').set('Authorization', `Bearer ${await token('service', randomUUID(), ['users:read'])}`).expect(403);
    assert.equal(refused.body.code, 'AUTH.INSUFFICIENT_SCOPE');
    assert.match(refused.headers['www-authenticate']!, /error="insufficient_scope", scope="incidents:read"/);
    await request(app).get('/incidents').set('Authorization', `Bearer ${await token('service', randomUUID(), ['incidents:read'])}`).expect(200);
    await request(app).get('/incidents').set('Authorization', `Bearer ${await token('reporter')}`).expect(200);
  });

  test('when an internal endpoint is called without the internal token, then 401; with it, 200', async () => {
    await request(app).get('/internal/things').expect(401);
    await request(app).get('/internal/things').set('Authorization', 'Bearer wrong').expect(401);
    await request(app).get('/internal/things').set('Authorization', 'Bearer s3cret-internal').expect(200);
  });
});

describe('replicaAccountCheck', () => {
  const staffCaller = (id: string, departmentId = 'd1'): Caller =>
    ({ kind: 'user', id, role: 'staff', departmentId, scopes: [], expiresAt: new Date(Date.now() + 60_000) }) as unknown as Caller;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('without a change feed, a lookup is trusted for ttlMs, then looked up again', async () => {
    let lookups = 0;
    const check = replicaAccountCheck({ find: async () => ((lookups += 1), { isActive: true, role: 'staff', departmentId: 'd1' }), ttlMs: 40 });
    for (let i = 0; i < 5; i++) assert.equal(await check(staffCaller('u1')), undefined);
    assert.equal(lookups, 1);
    await sleep(60);
    await check(staffCaller('u1'));
    assert.equal(lookups, 2);
  });

  test('with a change feed, an account stays cached until the feed reports it changed, then the change refuses the token', async () => {
    const replica = new Map<string, AccountState>([['u1', { isActive: true, role: 'staff', departmentId: 'd1' }]]);
    const changed: { id: string; at: number }[] = [];
    let lookups = 0;
    let polls = 0;
    const check = replicaAccountCheck({
      find: async (id) => ((lookups += 1), replica.get(id)),
      changedSince: async (since) => ((polls += 1), { ids: changed.filter((change) => change.at >= since.getTime()).map((change) => change.id), asOf: new Date() }),
      pollMs: 20,
    });
    for (let i = 0; i < 5; i++) {
      assert.equal(await check(staffCaller('u1')), undefined);
      await sleep(25);
    }
    assert.equal(lookups, 1, 'one lookup however many requests while nothing changes');
    assert.ok(polls >= 2, 'the feed is asked as requests come');

    replica.set('u1', { isActive: false, role: 'staff', departmentId: 'd1' });
    changed.push({ id: 'u1', at: Date.now() });
    const refusedBy = Date.now() + 1_000;
    let reason: string | undefined;
    while (!reason && Date.now() < refusedBy) {
      reason = await check(staffCaller('u1'));
      await sleep(10);
    }
    assert.equal(reason, 'the account is deactivated');
    assert.equal(lookups, 2);
  });

  test('when the change feed fails, the failure is reported and lookups go on, trusted for 2 s only', async () => {
    const errors: unknown[] = [];
    let lookups = 0;
    const check = replicaAccountCheck({
      find: async () => ((lookups += 1), { isActive: true, role: 'staff', departmentId: 'd2' }),
      changedSince: async () => {
        throw new Error('replica unreachable');
      },
      onPollError: (error) => errors.push(error),
      pollMs: 5,
    });
    assert.equal(await check(staffCaller('u2', 'd1')), "the account's role or department has changed; sign in again");
    await sleep(10);
    await check(staffCaller('u2', 'd1'));
    assert.ok(errors.length >= 1);
    assert.equal(lookups, 1, 'the first lookup stands for its 2 s');
  });

  test('service accounts are not looked up', async () => {
    let lookups = 0;
    const check = replicaAccountCheck({ find: async () => ((lookups += 1), undefined) });
    assert.equal(await check({ kind: 'service', id: 's1', role: 'service', departmentId: null, scopes: [] } as unknown as Caller), undefined);
    assert.equal(lookups, 0);
  });
});

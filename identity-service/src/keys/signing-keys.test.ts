import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAccessTokenVerifier, signAccessToken } from '@desk/auth';
import { connectDatabase, createLogger } from '@desk/platform';
import { LogCapture, createTestDatabase, type TestDatabase } from '@desk/testing';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Knex } from 'knex';
import { identityMigrations } from '../migrations.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startIdentity } from '../test-support/harness.js';
import { SigningKeyStore } from './signing-keys.js';

const logger = createLogger({ service: 'test', destination: new LogCapture() });
const issuer = 'incident-platform';
const audience = 'incident-platform';

describe('signing keys', () => {
  let database: TestDatabase;
  let db: Knex;
  const secret = randomBytes(32).toString('base64url');
  let clock = new Date('2026-01-01T00:00:00Z');
  const store = (options: Partial<{ secret: string; rotationIntervalMs: number }> = {}) =>
    new SigningKeyStore({
      db,
      logger,
      secret: options.secret ?? secret,
      rotationIntervalMs: options.rotationIntervalMs ?? 30 * 86_400_000,
      accessTokenTtlMs: 15 * 60_000,
      now: () => clock,
    });

  before(async () => {
    database = await createTestDatabase('signing-keys');
    db = await connectDatabase({ url: database.url, schema: 'identity', migrations: identityMigrations, logger });
  });
  after(async () => {
    await db?.destroy();
    await database?.drop();
  });

  test('when the service restarts, then it signs with the same key, so nobody is signed out', async () => {
    const first = await store().signingKey();
    const afterRestart = await store().signingKey();
    assert.equal(afterRestart.kid, first.kid);
    const stored = await db('signing_keys').select('private_key_encrypted');
    assert.ok(stored.every((row: { private_key_encrypted: string }) => row.private_key_encrypted.startsWith('v1.')), 'private keys are stored encrypted');
    assert.ok(!JSON.stringify(stored).includes('"d"'), 'no raw JWK private part');
  });

  test('when the key rotates, then new tokens carry the new kid and tokens of the previous key still verify until they expire', async () => {
    const keys = store();
    const previous = await keys.signingKey();
    const { retires_at: retiresAt } = await db('signing_keys').where({ kid: previous.kid }).first<{ retires_at: Date }>();
    const sign = async () =>
      (await signAccessToken({ id: crypto.randomUUID(), role: 'reporter' }, await keys.signingKey(), { issuer, audience, ttlSeconds: 900, now: clock })).token;
    const verifyAt = async (token: string, jwks: Awaited<ReturnType<SigningKeyStore['jwks']>>) =>
      jwtVerify(token, createLocalJWKSet(jwks), { issuer, audience, currentDate: clock });

    clock = new Date(retiresAt.getTime() - 60_000); // a minute before the key retires
    const oldToken = await sign();
    assert.equal(decodeProtectedHeader(oldToken).kid, previous.kid);

    clock = new Date(retiresAt.getTime() + 1000); // just after
    const newToken = await sign();
    const newKid = decodeProtectedHeader(newToken).kid;
    assert.notEqual(newKid, previous.kid, 'a new key signs once the old one retires');

    const jwks = await keys.jwks();
    assert.deepEqual(jwks.keys.map((key) => key.kid), [newKid, previous.kid], 'both are published, newest first');
    await verifyAt(oldToken, jwks);
    await verifyAt(newToken, jwks);

    clock = new Date(retiresAt.getTime() + 15 * 60_000 + 5 * 60_000 + 1000); // the old key's last token has expired
    assert.deepEqual((await keys.jwks()).keys.map((key) => key.kid), [newKid], 'then the retired key is withdrawn');
  });

  test('when an admin rotates on demand, then the next token uses a new key at once', async () => {
    const keys = store();
    const before = await keys.signingKey();
    const after = await keys.rotate();
    assert.notEqual(after.kid, before.kid);
    assert.equal((await store().signingKey()).kid, after.kid, 'other replicas pick up the new key');
  });

  test('when two replicas rotate at the same moment, then one key is made', async () => {
    clock = new Date(clock.getTime() + 365 * 86_400_000);
    const [a, b] = await Promise.all([store().signingKey(), store().signingKey()]);
    assert.equal(a.kid, b.kid);
  });

  test('when SIGNING_KEY_SECRET changed, then start-up fails saying so', async () => {
    await assert.rejects(store({ secret: randomBytes(32).toString('base64url') }).signingKey(), /SIGNING_KEY_SECRET is not the secret/);
  });
});

describe('GET /.well-known/jwks.json', () => {
  test('when anyone asks, then the public keys are served without private parts, cacheable', async () => {
    const identity = await startIdentity();
    try {
      const response = await identity.http.get('/.well-known/jwks.json').expect(200);
      assert.match(response.headers['cache-control']!, /max-age=300/);
      assert.equal(response.body.keys.length, 1);
      const [key] = response.body.keys;
      assert.deepEqual(Object.keys(key).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
      assert.equal(key.crv, 'Ed25519');
      // A token signed now verifies against what was served.
      const login = await identity.http.post('/auth/login').send({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }).expect(200);
      const verify = createAccessTokenVerifier({ issuer: identity.config.JWT_ISSUER, audience: identity.config.JWT_AUDIENCE, keys: createLocalJWKSet(response.body) });
      assert.equal((await verify(login.body.accessToken)).role, 'admin');
    } finally {
      await identity.close();
    }
  });
});

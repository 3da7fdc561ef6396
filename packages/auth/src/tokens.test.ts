import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { InvalidTokenError, createAccessTokenVerifier, signAccessToken, type AccessTokenVerifier } from './tokens.js';

const issuer = 'https://identity.test';
const audience = 'incident-platform';

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function newKey(): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' } };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  let server: Server;
  let published: JWK[] = [];
  let jwksRequests = 0;
  let key: TestKey;
  let verify: AccessTokenVerifier;
  let jwksUrl: string;
  const subject = { id: randomUUID(), role: 'staff' as const, departmentId: randomUUID() };
  const sign = (overrides: Partial<{ ttlSeconds: number; issuer: string; audience: string; now: Date }> = {}, signingKey = key) =>
    signAccessToken(subject, signingKey, { issuer, audience, ttlSeconds: 900, ...overrides }).then((signed) => signed.token);

  before(async () => {
    key = await newKey();
    published = [key.jwk];
    server = createServer((_request, response) => {
      jwksRequests += 1;
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ keys: published }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    verify = createAccessTokenVerifier({ issuer, audience, keys: { jwksUrl }, jwksCooldownMs: 200 });
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function refused(token: string, reason: RegExp): Promise<void> {
    await assert.rejects(verify(token), (error: unknown) => {
      assert.ok(error instanceof InvalidTokenError, `expected InvalidTokenError, got ${String(error)}`);
      assert.match(error.reason, reason);
      return true;
    });
  }

  test('when a token is signed by a published key, then it verifies to the caller it names', async () => {
    const token = await sign();
    const [header] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' });
    const caller = await verify(token);
    assert.equal(caller.kind, 'user');
    assert.equal(caller.id, subject.id);
    assert.equal(caller.role, 'staff');
    assert.equal(caller.departmentId, subject.departmentId);
    assert.deepEqual(caller.scopes, []);
    assert.ok(caller.expiresAt.getTime() - caller.issuedAt.getTime() === 900_000);
  });

  test('when a service account token carries scopes, then the caller has them', async () => {
    const { token } = await signAccessToken({ id: randomUUID(), role: 'service', scopes: ['incidents:read', 'incidents:write'] }, key, { issuer, audience, ttlSeconds: 60 });
    const caller = await verify(token);
    assert.equal(caller.kind, 'service');
    assert.deepEqual(caller.scopes, ['incidents:read', 'incidents:write']);
    assert.equal(caller.departmentId, null);
  });

  test('when a verified token is presented again, then it is remembered, but never past its expiry', async () => {
    const strict = createAccessTokenVerifier({ issuer, audience, keys: { jwksUrl }, clockToleranceSeconds: 0 });
    const { token } = await signAccessToken(subject, key, { issuer, audience, ttlSeconds: 2 });
    const fetchesBefore = jwksRequests;
    const first = await strict(token);
    assert.deepEqual(await strict(token), first);
    assert.ok(jwksRequests - fetchesBefore <= 1, 'the second check needed nothing from the JWKS');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await assert.rejects(strict(token), /expired/);
  });

  test('when a token says alg "none", then it is refused', async () => {
    const payload = { iss: issuer, aud: audience, sub: subject.id, role: 'admin', iat: 1, exp: 4_000_000_000, jti: 'x' };
    await refused(`${base64url({ alg: 'none', typ: 'at+jwt' })}.${base64url(payload)}.`, /algorithm|malformed/);
  });

  test('when a token is HMAC-signed with the public key as secret, then it is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: issuer, aud: audience, sub: subject.id, role: 'admin', iat: now, exp: now + 600, jti: 'x' };
    const header = { alg: 'HS256', kid: key.kid, typ: 'at+jwt' };
    const signingInput = `${base64url(header)}.${base64url(payload)}`;
    for (const secret of [await exportSPKI(key.publicKey), JSON.stringify(key.jwk)]) {
      const signature = createHmac('sha256', secret).update(signingInput).digest('base64url');
      await refused(`${signingInput}.${signature}`, /expected algorithm/);
    }
  });

  test('when the issuer or the audience is wrong, then the token is refused naming the claim', async () => {
    await refused(await sign({ issuer: 'https://evil.test' }), /"iss" claim/);
    await refused(await sign({ audience: 'another-product' }), /"aud" claim/);
  });

  test('when the token has expired, then it is refused', async () => {
    await refused(await sign({ now: new Date(Date.now() - 3_600_000), ttlSeconds: 60 }), /expired/);
  });

  test('when the token is not valid yet (nbf in the future), then it is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer).setAudience(audience).setSubject(subject.id).setIssuedAt(now).setExpirationTime(now + 600)
      .setNotBefore(now + 3600).setJti('x')
      .sign(key.privateKey);
    await refused(token, /not valid yet/);
  });

  test('when the token has no exp, then it is refused', async () => {
    const token = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
      .setIssuer(issuer).setAudience(audience).setSubject(subject.id).setIssuedAt().setJti('x')
      .sign(key.privateKey);
    await refused(token, /"exp" claim/);
  });

  test('when the token is another kind of JWT (typ not at+jwt), then it is refused', async () => {
    const token = await new SignJWT({ role: 'staff' })
      .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'JWT' })
      .setIssuer(issuer).setAudience(audience).setSubject(subject.id).setIssuedAt().setExpirationTime('10m').setJti('x')
      .sign(key.privateKey);
    await refused(token, /"typ" claim/);
  });

  test('when the payload or the signature is tampered with, then the token is refused', async () => {
    const [header, payload, signature] = (await sign()).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    await refused(`${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`, /signature is invalid/);
    const flipped = Buffer.from(signature, 'base64url');
    flipped[0] = flipped[0]! ^ 0xff;
    await refused(`${header}.${payload}.${flipped.toString('base64url')}`, /signature is invalid/);
    await refused('not.a.jwt', /malformed/);
  });

  test('when a token names an unknown kid, then it is refused; after a rotation the new kid is fetched and the old still verifies', async () => {
    const stranger = await newKey();
    await refused(await sign({}, stranger), /unknown key/);

    const rotated = await newKey();
    const oldToken = await sign();
    published = [rotated.jwk, key.jwk];
    // the verifier refetches on an unknown kid, but not twice within its cooldown
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fetchesBefore = jwksRequests;
    const newToken = await sign({}, rotated);
    assert.equal((await verify(newToken)).id, subject.id, 'a token of the new key verifies');
    assert.ok(jwksRequests > fetchesBefore, 'the unknown kid made the verifier fetch the JWKS again');
    assert.equal((await verify(oldToken)).id, subject.id, 'a token of the previous key still verifies');
  });
});

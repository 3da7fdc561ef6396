import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccessTokenVerifier } from '@desk/auth';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startIdentity, type IdentityHarness } from '../test-support/harness.js';

describe('sign-up, sign-in and tokens', () => {
  let identity: IdentityHarness;

  before(async () => {
    identity = await startIdentity({ OAUTH_PASSWORD_GRANT: 'enabled' });
  });
  after(() => identity?.close());

  const signIn = (email: string, password: string, address = '203.0.113.10') =>
    identity.http.post('/auth/login').set('X-Forwarded-For', address).send({ email, password });

  describe('POST /auth/register', () => {
    test('when someone registers (open mode), then 202 and a usable reporter account, and user.registered is published', async () => {
      const response = await identity.http
        .post('/auth/register')
        .send({ email: 'Ana.Lima@Example.com', password: 'kettle-orbit-meadow', fullName: '  Ana Lima ' })
        .expect(202);
      assert.equal(response.body.registration, 'open');
      const login = await signIn('ana.lima@example.com', 'kettle-orbit-meadow', '203.0.113.77').expect(200);
      const user = login.body.user;
      assert.equal(user.fullName, 'Ana Lima');
      assert.equal(user.role, 'reporter');
      assert.equal(user.departmentId, null);
      const [event] = await identity.events.waitFor('user.registered', user.id);
      assert.equal(event!.data.user.email, 'ana.lima@example.com');
      assert.equal(event!.source, '/identity-service');
      assert.equal(event!.data.user.locale, null, 'no language given: none chosen yet');
    });

    test('when someone registers from a German browser (open mode), then the account starts in German; a language we do not write is a 400', async () => {
      await identity.http.post('/auth/register').send({ email: 'jana@example.com', password: 'kettle-orbit-meadow', fullName: 'Jana Berg', locale: 'de' }).expect(202);
      const login = await signIn('jana@example.com', 'kettle-orbit-meadow', '203.0.113.79').expect(200);
      assert.equal(login.body.user.locale, 'de');
      const [event] = await identity.events.waitFor('user.registered', login.body.user.id);
      assert.equal(event!.data.user.locale, 'de');
      const refused = await identity.http.post('/auth/register').send({ email: 'fr@example.com', password: 'kettle-orbit-meadow', fullName: 'Fr', locale: 'fr' }).expect(400);
      assert.deepEqual(refused.body.errors.map((issue: { path: string }) => issue.path), ['/locale']);
    });

    test('when the email has an account in any letter case, then the same 202 body, the account is untouched and its owner is told by mail', async () => {
      const first = await identity.http.post('/auth/register').send({ email: 'bo@example.com', password: 'harbour lantern 42', fullName: 'Bo' }).expect(202);
      const again = await identity.http.post('/auth/register').send({ email: 'BO@example.COM', password: 'violet orchard 77', fullName: 'Bo 2' }).expect(202);
      assert.deepEqual(again.body, first.body);
      await signIn('bo@example.com', 'harbour lantern 42', '203.0.113.78').expect(200);
      await signIn('bo@example.com', 'violet orchard 77', '203.0.113.78').expect(401);
      const user = await identity.service.db('users').where({ email: 'bo@example.com' }).first();
      assert.equal(user.full_name, 'Bo');
      const [attempt] = await identity.events.waitFor('account.registration_attempted', user.id);
      assert.equal(attempt!.data.email, 'bo@example.com');
    });

    test('when the password is common, then 422 PASSWORD.TOO_COMMON naming the field, and no account', async () => {
      const response = await identity.http.post('/auth/register').send({ email: 'weak@example.com', password: 'password1234', fullName: 'Weak' }).expect(422);
      assert.equal(response.body.code, 'PASSWORD.TOO_COMMON');
      assert.equal(response.body.errors[0].path, '/password');
      assert.equal(await identity.service.db('users').where({ email: 'weak@example.com' }).first(), undefined);
    });

    test('when fields are missing, bad or unknown, then 400 names each one', async () => {
      const response = await identity.http
        .post('/auth/register')
        .send({ email: 'not-an-email', password: 'short', role: 'admin' })
        .expect(400);
      assert.equal(response.body.code, 'VALIDATION.FAILED');
      const paths = response.body.errors.map((issue: { path: string }) => issue.path).sort();
      assert.deepEqual(paths, ['/email', '/fullName', '/password', '/role']);
      const tooLong = await identity.http.post('/auth/register').send({ email: 'c@example.com', password: 'x'.repeat(129), fullName: 'C' }).expect(400);
      assert.match(tooLong.body.errors[0].message, /at most 128/);
      const tooShort = await identity.http.post('/auth/register').send({ email: 'c@example.com', password: 'eleven char', fullName: 'C' }).expect(400);
      assert.match(tooShort.body.errors[0].message, /at least 12/);
    });
  });

  describe('POST /auth/login', () => {
    test('when the password is right, then an EdDSA access token with the expected header and claims, and a refresh token', async () => {
      const { user, password } = await identity.createUser({ role: 'staff', departmentId: (await identity.createDepartment()).id });
      const response = await signIn(user.email, password).expect(200);
      assert.equal(response.headers['cache-control'], 'no-store');
      const body = response.body;
      assert.equal(body.tokenType, 'Bearer');
      assert.equal(body.expiresIn, 900);
      assert.equal(body.user.id, user.id);
      assert.match(body.refreshToken, /^[A-Za-z0-9_-]{43}$/);

      const header = decodeProtectedHeader(body.accessToken);
      assert.equal(header.alg, 'EdDSA');
      assert.equal(header.typ, 'at+jwt');
      const jwks = (await identity.http.get('/.well-known/jwks.json').expect(200)).body;
      assert.ok(jwks.keys.some((key: { kid: string }) => key.kid === header.kid), 'the kid is published');

      const claims = decodeJwt(body.accessToken);
      assert.equal(claims.iss, identity.config.JWT_ISSUER);
      assert.equal(claims.aud, identity.config.JWT_AUDIENCE);
      assert.equal(claims.sub, user.id);
      assert.equal(claims.role, 'staff');
      assert.equal(claims.dept, user.departmentId);
      assert.equal(claims.exp! - claims.iat!, 900);
      assert.ok(typeof claims.jti === 'string' && claims.jti.length > 0);

      // Verified against the published JWKS the way other services will.
      const verify = createAccessTokenVerifier({
        issuer: identity.config.JWT_ISSUER,
        audience: identity.config.JWT_AUDIENCE,
        keys: async (protectedHeader) => {
          const { createLocalJWKSet } = await import('jose');
          return createLocalJWKSet(jwks)(protectedHeader);
        },
      });
      assert.equal((await verify(body.accessToken)).id, user.id);
    });

    test('when the email is unknown, the password wrong or the account deactivated, then the same 401 body, in similar time', async () => {
      // The work each path does is measured as this process's CPU time (the service runs in it,
      // argon2 on libuv's threads, which count too): unlike wall time, it does not grow when
      // other processes keep the machine busy.
      const timed = async (email: string, pw: string, address: string) => {
        const started = process.cpuUsage();
        const response = await signIn(email, pw, address).expect(401);
        const used = process.cpuUsage(started);
        return { body: response.body as Record<string, unknown>, ms: (used.user + used.system) / 1000 };
      };
      // Three rounds, the paths interleaved and fresh accounts each round (no throttling), so one
      // odd moment does not decide the comparison: medians do.
      const rounds: { unknown: number; wrong: number; deactivated: number }[] = [];
      const strip = ({ requestId: _requestId, ...rest }: Record<string, unknown>) => rest;
      for (let round = 0; round < 3; round++) {
        const { user, password } = await identity.createUser();
        const { user: gone, password: gonePassword } = await identity.createUser();
        await identity.service.db('users').where({ id: gone.id }).update({ is_active: false });
        const unknown = await timed(`nobody-${round}@example.com`, password, `198.51.100.${1 + round * 3}`);
        const wrong = await timed(user.email, 'wrong password', `198.51.100.${2 + round * 3}`);
        const deactivated = await timed(gone.email, gonePassword, `198.51.100.${3 + round * 3}`);
        assert.deepEqual(strip(unknown.body), strip(wrong.body));
        assert.deepEqual(strip(wrong.body), strip(deactivated.body));
        assert.equal(wrong.body.code, 'AUTH.INVALID_CREDENTIALS');
        rounds.push({ unknown: unknown.ms, wrong: wrong.ms, deactivated: deactivated.ms });
      }
      // Each path verifies one argon2 hash (tens of milliseconds); a path that returned early
      // would take a fraction of that.
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
      const times = (['unknown', 'wrong', 'deactivated'] as const).map((path) => median(rounds.map((round) => round[path])));
      assert.ok(Math.min(...times) > Math.max(...times) / 3, `similar median CPU times: ${times.map(Math.round).join(', ')} ms`);
    });

    test('when sign-ins keep failing, then the account is slowed with 429 and Retry-After, and the right password waits too', async () => {
      const { user, password } = await identity.createUser();
      const address = '192.0.2.77';
      for (let attempt = 1; attempt <= 5; attempt += 1) await signIn(user.email, 'wrong password', address).expect(401);
      const throttled = await signIn(user.email, password, address).expect(429);
      assert.equal(throttled.body.code, 'AUTH.TOO_MANY_ATTEMPTS');
      assert.ok(Number(throttled.headers['retry-after']) >= 1);
      // The same account from another address is not locked by this address's failures.
      await signIn(user.email, password, '192.0.2.78').expect(200);
    });

    test('when 40 wrong passwords for one account arrive at once, then at most 5 are verified, the rest get 429, the right password waits, and time then a success clear it', async () => {
      const { user, password } = await identity.createUser();
      const address = '192.0.2.90';
      const statuses = await Promise.all(Array.from({ length: 40 }, async () => (await signIn(user.email, 'wrong password', address)).status));
      const verified = statuses.filter((status) => status === 401).length;
      const refused = statuses.filter((status) => status === 429).length;
      assert.equal(verified + refused, 40, `only 401 and 429: ${statuses.join(',')}`);
      assert.ok(verified >= 1 && verified <= 5, `at most the budget of 5 reached password verification (${verified})`);
      const locked = await signIn(user.email, password, address).expect(429);
      assert.equal(locked.body.code, 'AUTH.TOO_MANY_ATTEMPTS');
      const waitSeconds = Number(locked.headers['retry-after']);
      assert.ok(waitSeconds >= 60, `the lock lasts a refill interval, not a second (${waitSeconds} s)`);
      // The budget drains rather than resets: one refill interval later there is room for one attempt.
      await identity.service.db('login_throttle').where('key', 'like', `%${user.email.toLowerCase()}%`).update({
        window_started_at: identity.service.db.raw('window_started_at - make_interval(secs => ?)', [waitSeconds]),
      });
      await signIn(user.email, 'wrong password', address).expect(401);
      assert.equal((await signIn(user.email, password, address)).status, 429, 'that one attempt was spent: still locked');
      await identity.service.db('login_throttle').where('key', 'like', `%${user.email.toLowerCase()}%`).update({
        window_started_at: identity.service.db.raw("window_started_at - interval '3 minutes'"),
      });
      await signIn(user.email, password, address).expect(200);
      // The success emptied this account-and-address budget: five attempts are free again.
      for (let attempt = 1; attempt <= 4; attempt += 1) await signIn(user.email, 'wrong password', address).expect(401);
      await signIn(user.email, password, address).expect(200);
    });

    test('when the OAuth password grant meets a locked account, then it answers 429 like sign-in does', async () => {
      const { user } = await identity.createUser();
      const address = '192.0.2.91';
      for (let attempt = 1; attempt <= 5; attempt += 1) await signIn(user.email, 'wrong password', address).expect(401);
      const response = await identity.http
        .post('/auth/token')
        .set('X-Forwarded-For', address)
        .type('form')
        .send({ grant_type: 'password', username: user.email, password: 'whatever' });
      assert.equal(response.status, 429, JSON.stringify(response.body));
      assert.equal(response.body.error, 'invalid_grant');
      assert.ok(Number(response.headers['retry-after']) >= 1);
    });

    test('when the body is not what login takes, then 400 names the field', async () => {
      const response = await identity.http.post('/auth/login').send({ email: 'a@example.com' }).expect(400);
      assert.deepEqual(response.body.errors.map((issue: { path: string }) => issue.path), ['/password']);
      await identity.http.post('/auth/login').set('Content-Type', 'application/json').send('{"email":').expect(400);
    });

    test('the bootstrap admin from ADMIN_EMAIL / ADMIN_PASSWORD can sign in', async () => {
      const response = await signIn(ADMIN_EMAIL, ADMIN_PASSWORD, '192.0.2.200').expect(200);
      assert.equal(response.body.user.role, 'admin');
    });
  });

  describe('refresh and logout', () => {
    test('when a refresh token is used, then it rotates: a new pair comes back and the old token is dead', async () => {
      const { user, password } = await identity.createUser();
      const first = (await signIn(user.email, password).expect(200)).body;
      const second = (await identity.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.equal(second.user.id, user.id);
      await identity.http.get('/auth/me').set('Authorization', `Bearer ${second.accessToken}`).expect(200);
      const third = (await identity.http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(200)).body;
      assert.ok(third.refreshToken);
    });

    test('when a used refresh token is presented again, then every token of that sign-in is revoked', async () => {
      const { user, password } = await identity.createUser();
      const first = (await signIn(user.email, password).expect(200)).body;
      const second = (await identity.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(200)).body;
      const reuse = await identity.http.post('/auth/refresh').send({ refreshToken: first.refreshToken }).expect(401);
      assert.equal(reuse.body.code, 'AUTH.REFRESH_TOKEN_REUSED');
      // The thief's or the user's newer token is dead as well: that sign-in is over.
      const after = await identity.http.post('/auth/refresh').send({ refreshToken: second.refreshToken }).expect(401);
      assert.equal(after.body.code, 'AUTH.INVALID_REFRESH_TOKEN');
      // Another sign-in of the same user is untouched.
      const other = (await signIn(user.email, password, '203.0.113.99').expect(200)).body;
      await identity.http.post('/auth/refresh').send({ refreshToken: other.refreshToken }).expect(200);
    });

    test('when a sign-in has passed its absolute lifetime, then refreshing is refused', async () => {
      const { user, password } = await identity.createUser();
      const tokens = (await signIn(user.email, password).expect(200)).body;
      await identity.service.db('refresh_tokens').where({ user_id: user.id }).update({ expires_at: new Date(Date.now() - 1000) });
      const response = await identity.http.post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      assert.match(response.body.detail, /expired/);
    });

    test('when refresh tokens are stored, then only their hashes are', async () => {
      const { user, password } = await identity.createUser();
      const tokens = (await signIn(user.email, password).expect(200)).body;
      const rows = await identity.service.db('refresh_tokens').where({ user_id: user.id });
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(tokens.refreshToken));
    });

    test('when someone logs out, then 204 and the refresh token no longer works; unknown tokens also get 204', async () => {
      const { user, password } = await identity.createUser();
      const tokens = (await signIn(user.email, password).expect(200)).body;
      await identity.http.post('/auth/logout').send({ refreshToken: tokens.refreshToken }).expect(204);
      await identity.http.post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
      await identity.http.post('/auth/logout').send({ refreshToken: 'never-issued' }).expect(204);
      await identity.http.post('/auth/logout').send({}).expect(400);
    });

    test('when the account is deactivated, then its refresh token is refused', async () => {
      const { user, password } = await identity.createUser();
      const tokens = (await signIn(user.email, password).expect(200)).body;
      await identity.service.db('users').where({ id: user.id }).update({ is_active: false });
      await identity.http.post('/auth/refresh').send({ refreshToken: tokens.refreshToken }).expect(401);
    });
  });

  describe('GET /auth/me', () => {
    test('when a user asks, then they get their own account', async () => {
      const { user, token } = await identity.createUser();
      const response = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
      assert.deepEqual(response.body, { kind: 'user', ...user });
    });

    test('when there is no token or a bad one, then 401 with a Bearer challenge', async () => {
      const missing = await identity.http.get('/auth/me').expect(401);
      assert.match(missing.headers['www-authenticate']!, /^Bearer/);
      const bad = await identity.http.get('/auth/me').set('Authorization', 'Bearer nonsense').expect(401);
      assert.match(bad.headers['www-authenticate']!, /error="invalid_token"/);
    });

    test('when the account was deactivated or its role changed after the token was issued, then the token is refused at once', async () => {
      const { user, token } = await identity.createUser();
      await identity.service.db('users').where({ id: user.id }).update({ role: 'admin' });
      const changed = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      assert.equal(changed.body.code, 'AUTH.TOKEN_REVOKED');
      await identity.service.db('users').where({ id: user.id }).update({ role: 'reporter', is_active: false });
      const deactivated = await identity.http.get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
      assert.match(deactivated.body.detail, /deactivated/);
    });
  });

  test('no response body or log line ever carries a password hash or a raw password', async () => {
    const password = 'very secret words';
    const registered = await identity.http.post('/auth/register').send({ email: 'secretive@example.com', password, fullName: 'S' }).expect(202);
    const login = await signIn('secretive@example.com', password, '203.0.113.44').expect(200);
    const everything = JSON.stringify([registered.body, login.body, identity.logs.lines]);
    assert.ok(!everything.includes('$argon2'), 'no argon2 hash');
    assert.ok(!everything.includes(password), 'no raw password');
  });
});

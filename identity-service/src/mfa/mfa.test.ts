import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';
import { totpCode } from './totp.js';

// Codes for three distinct 30-second steps around now: each works once, in this order (a code
// for a step older than one already used is refused).
const codeAt = (secret: string, stepOffset: -1 | 0 | 1) => totpCode(secret, Date.now() + stepOffset * 30_000);

describe('two-step sign-in (TOTP and recovery codes)', () => {
  let identity: IdentityHarness;
  before(async () => {
    identity = await startIdentity();
  });
  after(() => identity?.close());

  const signIn = (email: string, password: string) => identity.http.post('/auth/login').send({ email, password });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** A person with two-step sign-in on: their secret, recovery codes and a token. */
  async function enrolled() {
    const person = await identity.createUser();
    const setup = await identity.http.post('/auth/mfa/setup').set(bearer(person.token)).send({ currentPassword: person.password }).expect(200);
    const enabled = await identity.http.post('/auth/mfa/enable').set(bearer(person.token)).send({ code: codeAt(setup.body.secret, -1) }).expect(200);
    return { ...person, secret: setup.body.secret as string, recoveryCodes: enabled.body.recoveryCodes as string[] };
  }

  test('turning it on: the password first, then a code from the app; ten recovery codes once; the seed is stored sealed', async () => {
    const { user, token, password } = await identity.createUser();
    const wrongPassword = await identity.http.post('/auth/mfa/setup').set(bearer(token)).send({ currentPassword: 'not it' }).expect(422);
    assert.equal(wrongPassword.body.code, 'PASSWORD.CURRENT_INCORRECT');
    const setup = await identity.http.post('/auth/mfa/setup').set(bearer(token)).send({ currentPassword: password }).expect(200);
    assert.match(setup.body.secret, /^[A-Z2-7]{32}$/);
    assert.match(setup.body.otpauthUri, /^otpauth:\/\/totp\//);
    assert.ok(setup.body.otpauthUri.includes(`secret=${setup.body.secret}`));
    assert.match(setup.body.qrCode, /^data:image\/svg\+xml;base64,/);
    assert.equal(setup.headers['cache-control'], 'no-store');
    const stored = await identity.service.db('user_mfa').where({ user_id: user.id }).first();
    assert.ok(!stored.secret_sealed.includes(setup.body.secret), 'the seed is not stored in clear');

    const wrongCode = await identity.http.post('/auth/mfa/enable').set(bearer(token)).send({ code: '000000' === codeAt(setup.body.secret, 0) ? '111111' : '000000' }).expect(422);
    assert.equal(wrongCode.body.code, 'MFA.CODE_INCORRECT');
    assert.equal(wrongCode.body.errors[0].path, '/code');
    assert.equal((await identity.http.get('/auth/mfa').set(bearer(token)).expect(200)).body.enabled, false);

    const enabled = await identity.http.post('/auth/mfa/enable').set(bearer(token)).send({ code: codeAt(setup.body.secret, 0) }).expect(200);
    assert.equal(enabled.body.recoveryCodes.length, 10);
    assert.equal(new Set(enabled.body.recoveryCodes).size, 10);
    const status = await identity.http.get('/auth/mfa').set(bearer(token)).expect(200);
    assert.deepEqual({ ...status.body, enabledAt: typeof status.body.enabledAt }, { enabled: true, enabledAt: 'string', recoveryCodesLeft: 10, required: false });
    const [mail] = await identity.events.waitFor('account.second_factor_changed', user.id);
    assert.equal(mail!.data.change, 'enabled');
    assert.equal((await identity.http.post('/auth/mfa/setup').set(bearer(token)).send({ currentPassword: password }).expect(409)).body.code, 'MFA.ALREADY_ENABLED');
  });

  test('signing in: the password gives a challenge, a code finishes it, and a code works only once', async () => {
    const person = await enrolled();
    const first = await signIn(person.user.email, person.password).expect(401);
    assert.equal(first.body.code, 'AUTH.MFA_REQUIRED');
    assert.equal(first.body.expiresIn, 300);
    assert.equal(typeof first.body.challengeToken, 'string');
    assert.equal(first.body.accessToken, undefined);

    const wrong = await identity.http.post('/auth/login/mfa').send({ challengeToken: first.body.challengeToken, code: '12345' }).expect(400);
    assert.equal(wrong.body.errors[0].path, '/code');
    const code = codeAt(person.secret, 0);
    const done = await identity.http.post('/auth/login/mfa').send({ challengeToken: first.body.challengeToken, code }).expect(200);
    assert.equal(done.body.user.id, person.user.id);
    assert.ok(done.body.accessToken && done.body.refreshToken);
    assert.equal(done.body.recoveryCodes, undefined);
    await identity.http.get('/auth/me').set(bearer(done.body.accessToken)).expect(200);
    // The challenge is spent, and the same code on a new challenge is a replay.
    assert.equal((await identity.http.post('/auth/login/mfa').send({ challengeToken: first.body.challengeToken, code }).expect(401)).body.code, 'AUTH.MFA_CHALLENGE_INVALID');
    const second = await signIn(person.user.email, person.password).expect(401);
    assert.equal((await identity.http.post('/auth/login/mfa').send({ challengeToken: second.body.challengeToken, code }).expect(401)).body.code, 'AUTH.MFA_CODE_INVALID');
    await identity.http.post('/auth/login/mfa').send({ challengeToken: second.body.challengeToken, code: codeAt(person.secret, 1) }).expect(200);
  });

  test('a password change spends the sign-ins still waiting for their second factor', async () => {
    const person = await enrolled();
    const waiting = (await signIn(person.user.email, person.password).expect(401)).body.challengeToken;
    await identity.http.post('/auth/password').set(bearer(person.token)).send({ currentPassword: person.password, newPassword: 'kettle-orbit-meadow' }).expect(204);
    const refused = await identity.http.post('/auth/login/mfa').send({ challengeToken: waiting, code: codeAt(person.secret, 0) }).expect(401);
    assert.equal(refused.body.code, 'AUTH.MFA_CHALLENGE_INVALID');
  });

  test('a recovery code signs in once, tells the person by mail, and counts down', async () => {
    const person = await enrolled();
    const challenge = (await signIn(person.user.email, person.password).expect(401)).body.challengeToken;
    const recoveryCode = person.recoveryCodes[3]!;
    const done = await identity.http.post('/auth/login/mfa').send({ challengeToken: challenge, recoveryCode: ` ${recoveryCode.toUpperCase()} ` }).expect(200);
    assert.equal(done.body.user.id, person.user.id);
    const [used] = await identity.events.waitFor('account.second_factor_changed', person.user.id, 2);
    assert.equal(used!.data.change, 'enabled');
    const events = await identity.events.waitFor('account.second_factor_changed', person.user.id, 2);
    assert.equal(events[1]!.data.change, 'recovery_code_used');
    assert.equal(events[1]!.data.recoveryCodesLeft, 9);
    assert.equal((await identity.http.get('/auth/mfa').set(bearer(done.body.accessToken)).expect(200)).body.recoveryCodesLeft, 9);
    const again = (await signIn(person.user.email, person.password).expect(401)).body.challengeToken;
    const reused = await identity.http.post('/auth/login/mfa').send({ challengeToken: again, recoveryCode }).expect(401);
    assert.equal(reused.body.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal(reused.body.errors[0].path, '/recoveryCode');
  });

  test('five wrong codes end a challenge, and a known password does not buy more guesses: the account budget answers 429', async () => {
    const person = await enrolled();
    const challenge = (await signIn(person.user.email, person.password).expect(401)).body.challengeToken;
    const right = codeAt(person.secret, 0);
    const wrongCode = right === '000000' ? '000001' : '000000';
    const wrongCodeLogs = () => identity.logs.find((line) => line.msg === 'sign-in refused' && line.reason === 'wrong second-factor code');
    const logsBefore = wrongCodeLogs().length;
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await identity.http.post('/auth/login/mfa').send({ challengeToken: challenge, code: wrongCode })).status);
    }
    // The sign-in's password step reserved one unit of the account's 5; four wrong codes spend the rest.
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429]);
    assert.equal((await signIn(person.user.email, person.password)).status, 429);
    const log = wrongCodeLogs().slice(logsBefore);
    assert.equal(log.length, 4);
    assert.ok(log.every((line) => !JSON.stringify(line).includes(person.user.email)));

    // Another person, within their budget: the fifth wrong code kills the challenge even for a right one.
    const other = await enrolled();
    await identity.service.db('mfa_challenges').where({ user_id: other.user.id }).delete();
    const otherChallenge = (await signIn(other.user.email, other.password).expect(401)).body.challengeToken;
    await identity.service.db('mfa_challenges').where({ user_id: other.user.id }).update({ failed_attempts: 5 });
    assert.equal((await identity.http.post('/auth/login/mfa').send({ challengeToken: otherChallenge, code: codeAt(other.secret, 0) }).expect(401)).body.code, 'AUTH.MFA_CHALLENGE_INVALID');
  });

  test('new recovery codes replace the old ones; turning it off needs the password and a code; then the password alone signs in', async () => {
    const person = await enrolled();
    const badCode = await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: person.password, code: codeAt(person.secret, 0) === '000000' ? '000001' : '000000' }).expect(422);
    assert.equal(badCode.body.code, 'MFA.CODE_INCORRECT');
    const both = await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: person.password }).expect(400);
    assert.equal(both.body.errors[0].path, '/code');
    const replaced = await identity.http.post('/auth/mfa/recovery-codes').set(bearer(person.token)).send({ currentPassword: person.password, code: codeAt(person.secret, 0) }).expect(200);
    assert.equal(replaced.body.recoveryCodes.length, 10);
    const stale = await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: person.password, recoveryCode: person.recoveryCodes[0] }).expect(422);
    assert.equal(stale.body.errors[0].path, '/recoveryCode');
    const wrongPassword = await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: 'not it', recoveryCode: replaced.body.recoveryCodes[0] }).expect(422);
    assert.equal(wrongPassword.body.code, 'PASSWORD.CURRENT_INCORRECT');
    await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: person.password, recoveryCode: replaced.body.recoveryCodes[0] }).expect(204);
    await signIn(person.user.email, person.password).expect(200);
    const changes = (await identity.events.waitFor('account.second_factor_changed', person.user.id, 3)).map((event) => event.data.change);
    assert.deepEqual(changes, ['enabled', 'recovery_codes_replaced', 'disabled']);
    assert.equal((await identity.service.db('mfa_recovery_codes').where({ user_id: person.user.id })).length, 0);
    assert.equal((await identity.http.post('/auth/mfa/disable').set(bearer(person.token)).send({ currentPassword: person.password, code: '123456' }).expect(409)).body.code, 'MFA.NOT_ENABLED');
  });

  test('an admin resets a lost factor: sessions end, the person is told, the trail names the admin; others may not', async () => {
    const person = await enrolled();
    const session = await identity.http
      .post('/auth/login/mfa')
      .send({ challengeToken: (await signIn(person.user.email, person.password).expect(401)).body.challengeToken, code: codeAt(person.secret, 0) })
      .expect(200);
    const manager = await identity.createUser({ role: 'manager', departmentId: (await identity.createDepartment()).id });
    await identity.http.post(`/users/${person.user.id}/mfa-reset`).set(bearer(manager.token)).expect(403);
    await identity.http.post(`/users/${person.user.id}/mfa-reset`).set(bearer(person.token)).expect(403);
    await identity.http.get(`/users/${person.user.id}/mfa`).set(bearer(person.token)).expect(403);
    const adminToken = await identity.tokenFor(identity.admin);
    assert.equal((await identity.http.get(`/users/${person.user.id}/mfa`).set(bearer(adminToken)).expect(200)).body.enabled, true);

    await identity.http.post(`/users/${person.user.id}/mfa-reset`).set(bearer(adminToken)).set('X-Forwarded-For', '203.0.113.9').expect(204);
    assert.equal((await identity.http.get(`/users/${person.user.id}/mfa`).set(bearer(adminToken)).expect(200)).body.enabled, false);
    assert.equal((await identity.http.post('/auth/refresh').send({ refreshToken: session.body.refreshToken })).status, 401);
    await signIn(person.user.email, person.password).expect(200);
    const changes = (await identity.events.waitFor('account.second_factor_changed', person.user.id, 2)).map((event) => event.data.change);
    assert.deepEqual(changes, ['enabled', 'reset_by_admin']);
    const trail = await identity.http.get('/admin/audit').query({ targetId: person.user.id, action: 'user.mfa_reset' }).set(bearer(adminToken)).expect(200);
    assert.equal(trail.body.items.length, 1);
    assert.equal(trail.body.items[0].actor.id, identity.admin.id);
    assert.equal(trail.body.items[0].before.mfaEnabled, true);
    assert.equal(trail.body.items[0].after.mfaEnabled, false);
    assert.equal((await identity.http.post(`/users/${person.user.id}/mfa-reset`).set(bearer(adminToken)).expect(409)).body.code, 'MFA.NOT_ENABLED');
  });
});

describe('ADMIN_MFA=required', () => {
  let identity: IdentityHarness;
  before(async () => {
    identity = await startIdentity({ ADMIN_MFA: 'required', OAUTH_PASSWORD_GRANT: 'enabled' });
  });
  after(() => identity?.close());

  const signIn = (email: string, password: string) => identity.http.post('/auth/login').send({ email, password });

  test('an admin without a factor enrols at sign-in, gets recovery codes with the tokens, and cannot turn it off; other roles may go without', async () => {
    const admin = await identity.createUser({ role: 'admin' });
    const first = await signIn(admin.user.email, admin.password).expect(401);
    assert.equal(first.body.code, 'AUTH.MFA_ENROLMENT_REQUIRED');
    // A code before any setup: there is nothing to confirm yet.
    assert.equal((await identity.http.post('/auth/login/mfa').send({ challengeToken: first.body.challengeToken, code: '123456' }).expect(409)).body.code, 'MFA.SETUP_EXPIRED');
    const setup = await identity.http.post('/auth/login/mfa/setup').send({ challengeToken: first.body.challengeToken }).expect(200);
    const done = await identity.http.post('/auth/login/mfa').send({ challengeToken: first.body.challengeToken, code: codeAt(setup.body.secret, 0) }).expect(200);
    assert.equal(done.body.recoveryCodes.length, 10);
    assert.equal(done.body.user.role, 'admin');
    const status = await identity.http.get('/auth/mfa').set('Authorization', `Bearer ${done.body.accessToken}`).expect(200);
    assert.equal(status.body.required, true);
    const off = await identity.http
      .post('/auth/mfa/disable')
      .set('Authorization', `Bearer ${done.body.accessToken}`)
      .send({ currentPassword: admin.password, code: codeAt(setup.body.secret, 1) })
      .expect(409);
    assert.equal(off.body.code, 'MFA.REQUIRED');
    // The next sign-in asks for a code, not for a new enrolment.
    assert.equal((await signIn(admin.user.email, admin.password).expect(401)).body.code, 'AUTH.MFA_REQUIRED');
    // An enrolment setup is refused for a challenge that wants a code.
    const verify = (await signIn(admin.user.email, admin.password).expect(401)).body.challengeToken;
    assert.equal((await identity.http.post('/auth/login/mfa/setup').send({ challengeToken: verify }).expect(409)).body.code, 'MFA.ALREADY_ENABLED');

    const reporter = await identity.createUser();
    await signIn(reporter.user.email, reporter.password).expect(200);
  });

  test('a sign-in an admin began before the rule is not refreshed, and the OAuth password grant cannot skip the second step', async () => {
    const admin = await identity.createUser({ role: 'admin' });
    const started = identity.config.ADMIN_MFA;
    (identity.config as { ADMIN_MFA: string }).ADMIN_MFA = 'optional';
    const session = await signIn(admin.user.email, admin.password).expect(200);
    (identity.config as { ADMIN_MFA: string }).ADMIN_MFA = started;
    const refused = await identity.http.post('/auth/refresh').send({ refreshToken: session.body.refreshToken }).expect(401);
    assert.equal(refused.body.code, 'AUTH.INVALID_REFRESH_TOKEN');
    assert.match(refused.body.detail, /second factor/);
    const grant = await identity.http
      .post('/auth/token')
      .type('form')
      .send({ grant_type: 'password', username: admin.user.email, password: admin.password })
      .expect(400);
    assert.equal(grant.body.error, 'invalid_grant');
    assert.equal(grant.body.access_token, undefined);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';

describe('passwords: change, forgot, reset and admin reset', () => {
  let identity: IdentityHarness;
  before(async () => {
    identity = await startIdentity();
  });
  after(() => identity?.close());

  const signIn = (email: string, password: string) => identity.http.post('/auth/login').send({ email, password });
  const liveSessions = async (userId: string) =>
    Number((await identity.service.db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').count({ count: '*' }).first())!.count);

  test('when a person changes their password with the current one, then 204, every session ends, the new one signs in and they are told by mail', async () => {
    const { user, password } = await identity.createUser();
    const first = await signIn(user.email, password).expect(200);
    await signIn(user.email, password).expect(200);
    assert.equal(await liveSessions(user.id), 2);
    await identity.http
      .post('/auth/password')
      .set('Authorization', `Bearer ${first.body.accessToken}`)
      .send({ currentPassword: password, newPassword: 'kettle-orbit-meadow' })
      .expect(204);
    assert.equal(await liveSessions(user.id), 0);
    assert.equal((await identity.http.post('/auth/refresh').send({ refreshToken: first.body.refreshToken })).status, 401);
    await signIn(user.email, password).expect(401);
    await signIn(user.email, 'kettle-orbit-meadow').expect(200);
    const [changed] = await identity.events.waitFor('account.password_changed', user.id);
    assert.equal(changed!.data.how, 'changed');
  });

  test('a wrong current password, a common new one, or no sign-in is refused, naming the field', async () => {
    const { user, token, password } = await identity.createUser();
    const wrong = await identity.http.post('/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: 'not my password', newPassword: 'kettle-orbit-meadow' }).expect(422);
    assert.equal(wrong.body.code, 'PASSWORD.CURRENT_INCORRECT');
    assert.equal(wrong.body.errors[0].path, '/currentPassword');
    const common = await identity.http.post('/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: password, newPassword: 'qwertyuiop123' }).expect(422);
    assert.equal(common.body.code, 'PASSWORD.TOO_COMMON');
    assert.equal(common.body.errors[0].path, '/newPassword');
    const short = await identity.http.post('/auth/password').set('Authorization', `Bearer ${token}`).send({ currentPassword: password, newPassword: 'short one' }).expect(400);
    assert.equal(short.body.errors[0].path, '/newPassword');
    await identity.http.post('/auth/password').send({ currentPassword: password, newPassword: 'kettle-orbit-meadow' }).expect(401);
    await signIn(user.email, password).expect(200);
  });

  test('forgot password answers 202 with one body whether or not the account exists; the link resets once within 30 minutes and ends every session', async () => {
    const { user, password } = await identity.createUser();
    const session = await signIn(user.email, password).expect(200);
    const known = await identity.http.post('/auth/password/forgot').send({ email: user.email.toUpperCase() }).expect(202);
    const unknown = await identity.http.post('/auth/password/forgot').send({ email: 'nobody-here@example.com' }).expect(202);
    assert.deepEqual(unknown.body, known.body);
    const [mail] = await identity.events.waitFor('account.password_reset_requested', user.id);
    assert.equal(mail!.data.requestedBy, 'self');
    const ttl = Date.parse(mail!.data.expiresAt) - Date.now();
    assert.ok(ttl > 29 * 60_000 && ttl <= 30 * 60_000, `link lasts 30 minutes (${ttl} ms)`);

    const weak = await identity.http.post('/auth/password/reset').send({ token: mail!.data.token, newPassword: 'password1234' }).expect(422);
    assert.equal(weak.body.errors[0].path, '/newPassword');
    await identity.http.post('/auth/password/reset').send({ token: mail!.data.token, newPassword: 'violet orchard 77' }).expect(204);
    assert.equal(await liveSessions(user.id), 0);
    assert.equal((await identity.http.post('/auth/refresh').send({ refreshToken: session.body.refreshToken })).status, 401);
    await signIn(user.email, 'violet orchard 77').expect(200);
    const again = await identity.http.post('/auth/password/reset').send({ token: mail!.data.token, newPassword: 'another orchard 78' }).expect(400);
    assert.equal(again.body.code, 'PASSWORD.RESET_LINK_INVALID');
    const [changed] = await identity.events.waitFor('account.password_changed', user.id);
    assert.equal(changed!.data.how, 'reset');
  });

  test('an expired reset link is refused, and only the newest link of a person works', async () => {
    const { user } = await identity.createUser();
    await identity.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    await identity.http.post('/auth/password/forgot').send({ email: user.email }).expect(202);
    const [older, newer] = await identity.events.waitFor('account.password_reset_requested', user.id, 2);
    assert.equal((await identity.http.post('/auth/password/reset').send({ token: older!.data.token, newPassword: 'violet orchard 77' }).expect(400)).body.code, 'PASSWORD.RESET_LINK_INVALID');
    await identity.service.db('password_reset_tokens').where({ user_id: user.id }).update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal((await identity.http.post('/auth/password/reset').send({ token: newer!.data.token, newPassword: 'violet orchard 77' }).expect(400)).body.code, 'PASSWORD.RESET_LINK_INVALID');
  });

  test('an admin sends a reset (202): the person is mailed a link and signed out at once; non-admins are refused', async () => {
    const { user, password, token: ownToken } = await identity.createUser();
    await signIn(user.email, password).expect(200);
    const department = await identity.createDepartment();
    const { token: managerToken } = await identity.createUser({ role: 'manager', departmentId: department.id });
    await identity.http.post(`/users/${user.id}/password-reset`).set('Authorization', `Bearer ${ownToken}`).expect(403);
    await identity.http.post(`/users/${user.id}/password-reset`).set('Authorization', `Bearer ${managerToken}`).expect(403);
    await identity.http.post(`/users/${user.id}/password-reset`).expect(401);

    const adminToken = await identity.tokenFor(identity.admin);
    await identity.http.post(`/users/${user.id}/password-reset`).set('Authorization', `Bearer ${adminToken}`).expect(202);
    assert.equal(await liveSessions(user.id), 0);
    const [mail] = await identity.events.waitFor('account.password_reset_requested', user.id);
    assert.equal(mail!.data.requestedBy, 'admin');
    // The audit trail says who sent it to whom, never the link.
    const audit = await identity.http.get(`/admin/audit?targetId=${user.id}&action=user.password_reset`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    assert.equal(audit.body.items.length, 1);
    assert.equal(audit.body.items[0].actor.id, identity.admin.id);
    assert.ok(!JSON.stringify(audit.body.items[0]).includes(mail!.data.token));
    await identity.http.post('/auth/password/reset').send({ token: mail!.data.token, newPassword: 'violet orchard 77' }).expect(204);
    await signIn(user.email, 'violet orchard 77').expect(200);

    const missing = await identity.http.post('/users/00000000-0000-4000-8000-000000000000/password-reset').set('Authorization', `Bearer ${adminToken}`).expect(404);
    assert.equal(missing.body.code, 'USER.NOT_FOUND');
  });

  test('admins cannot create users with common passwords', async () => {
    const adminToken = await identity.tokenFor(identity.admin);
    const response = await identity.http
      .post('/users')
      .set('Authorization', `Bearer ${adminToken}`)
      .send({ email: 'weak-staff@example.com', password: 'iloveyou12345', fullName: 'Weak', role: 'reporter' })
      .expect(422);
    assert.equal(response.body.code, 'PASSWORD.TOO_COMMON');
  });
});

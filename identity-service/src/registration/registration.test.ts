import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startIdentity, type IdentityHarness } from '../test-support/harness.js';

const signIn = (identity: IdentityHarness, email: string, password: string) => identity.http.post('/auth/login').send({ email, password });

describe('registration with a verified address (REGISTRATION=verified)', () => {
  let identity: IdentityHarness;
  before(async () => {
    identity = await startIdentity({ REGISTRATION: 'verified' });
  });
  after(() => identity?.close());

  test('when a new address registers, then 202, a single-use link by mail, no account and no sign-in until it is followed', async () => {
    const body = { email: 'nova@example.com', password: 'kettle-orbit-meadow', fullName: 'Nova' };
    const response = await identity.http.post('/auth/register').send(body).expect(202);
    assert.equal(response.body.registration, 'verified');
    const [mail] = await identity.events.waitFor('account.verification_requested', 'nova@example.com');
    assert.equal(mail!.data.email, 'nova@example.com');
    assert.ok(Date.parse(mail!.data.expiresAt) - Date.now() > 23 * 3_600_000);
    // No user yet: nothing (receipts, notifications) can reach the address.
    assert.equal(await identity.service.db('users').where({ email: 'nova@example.com' }).first(), undefined);
    assert.equal(identity.events.ofType('user.registered').filter((event) => event.data.user.email === 'nova@example.com').length, 0);
    const refused = await signIn(identity, body.email, body.password).expect(403);
    assert.equal(refused.body.code, 'AUTH.EMAIL_NOT_VERIFIED');
    // A wrong password learns nothing about the registration.
    assert.equal((await signIn(identity, body.email, 'not the password at all').expect(401)).body.code, 'AUTH.INVALID_CREDENTIALS');

    await identity.http.post('/auth/verify').send({ token: mail!.data.token }).expect(204);
    const login = await signIn(identity, body.email, body.password).expect(200);
    assert.equal(login.body.user.role, 'reporter');
    await identity.events.waitFor('user.registered', login.body.user.id);
    const reused = await identity.http.post('/auth/verify').send({ token: mail!.data.token }).expect(400);
    assert.equal(reused.body.code, 'AUTH.VERIFICATION_LINK_INVALID');
    assert.equal(mail!.data.locale, undefined, 'no language given: the mail is in the default');
    assert.equal(login.body.user.locale, null);
  });

  test('when a German browser registers, then the verification mail is asked for in German and the verified account starts in German', async () => {
    const body = { email: 'jonas@example.com', password: 'kettle-orbit-meadow', fullName: 'Jonas Weber', locale: 'de' };
    await identity.http.post('/auth/register').send(body).expect(202);
    const [mail] = await identity.events.waitFor('account.verification_requested', 'jonas@example.com');
    assert.equal(mail!.data.locale, 'de');
    await identity.http.post('/auth/verify').send({ token: mail!.data.token }).expect(204);
    const login = await signIn(identity, body.email, body.password).expect(200);
    assert.equal(login.body.user.locale, 'de');
    const [registered] = await identity.events.waitFor('user.registered', login.body.user.id);
    assert.equal(registered!.data.user.locale, 'de');
  });

  test('an existing address gets the same 202 body; its owner is told instead, and the account is untouched', async () => {
    const { user, password } = await identity.createUser({ email: 'owner@example.com' });
    const fresh = await identity.http.post('/auth/register').send({ email: 'someone-new@example.com', password: 'violet orchard 77', fullName: 'X' }).expect(202);
    const taken = await identity.http.post('/auth/register').send({ email: 'OWNER@example.com', password: 'violet orchard 77', fullName: 'X' }).expect(202);
    assert.deepEqual(taken.body, fresh.body);
    await identity.events.waitFor('account.registration_attempted', user.id);
    assert.equal(identity.events.ofType('account.verification_requested').filter((event) => event.data.email === 'owner@example.com').length, 0);
    await signIn(identity, 'owner@example.com', password).expect(200);
  });

  test('an address is sent at most 3 registration mails an hour; the answer does not change', async () => {
    const body = { email: 'bombed@example.com', password: 'violet orchard 77', fullName: 'Target' };
    const answers = await Promise.all(Array.from({ length: 6 }, () => identity.http.post('/auth/register').send(body)));
    for (const answer of answers) assert.equal(answer.status, 202);
    const logged = await identity.service.db('account_mail_log').where({ email: 'bombed@example.com' }).count({ count: '*' }).first();
    assert.equal(Number(logged!.count), 3);
    await identity.events.waitFor('account.verification_requested', 'bombed@example.com', 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(identity.events.ofType('account.verification_requested').filter((event) => event.subject === 'bombed@example.com').length, 3);
  });

  test('an unknown, tampered or expired link is refused', async () => {
    assert.equal((await identity.http.post('/auth/verify').send({ token: 'no-such-token' }).expect(400)).body.code, 'AUTH.VERIFICATION_LINK_INVALID');
    await identity.http.post('/auth/register').send({ email: 'late@example.com', password: 'violet orchard 77', fullName: 'Late' }).expect(202);
    const [mail] = await identity.events.waitFor('account.verification_requested', 'late@example.com');
    await identity.service.db('pending_registrations').where({ email: 'late@example.com' }).update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal((await identity.http.post('/auth/verify').send({ token: mail!.data.token }).expect(400)).body.code, 'AUTH.VERIFICATION_LINK_INVALID');
  });
});

describe('registration limited to domains, and closed registration', () => {
  let domains: IdentityHarness;
  let closed: IdentityHarness;
  before(async () => {
    [domains, closed] = await Promise.all([startIdentity({ REGISTRATION: 'domains:example.com' }), startIdentity({ REGISTRATION: 'closed' })]);
  });
  after(async () => {
    await Promise.all([domains?.close(), closed?.close()]);
  });

  test('domains: an address in the list verifies by mail; one outside gets the same answer and no mail', async () => {
    const inside = await domains.http.post('/auth/register').send({ email: 'in@example.com', password: 'violet orchard 77', fullName: 'In' }).expect(202);
    const outside = await domains.http.post('/auth/register').send({ email: 'out@elsewhere.test', password: 'violet orchard 77', fullName: 'Out' }).expect(202);
    assert.deepEqual(outside.body, inside.body);
    assert.equal(inside.body.registration, 'domains');
    await domains.events.waitFor('account.verification_requested', 'in@example.com');
    assert.equal(await domains.service.db('pending_registrations').where({ email: 'out@elsewhere.test' }).first(), undefined);
  });

  test('closed: 202 saying so, nothing made, nothing mailed', async () => {
    const response = await closed.http.post('/auth/register').send({ email: 'nobody@example.com', password: 'violet orchard 77', fullName: 'N' }).expect(202);
    assert.equal(response.body.registration, 'closed');
    assert.match(response.body.message, /closed/);
    assert.equal(await closed.service.db('users').where({ email: 'nobody@example.com' }).first(), undefined);
    assert.equal(await closed.service.db('pending_registrations').where({ email: 'nobody@example.com' }).first(), undefined);
  });
});

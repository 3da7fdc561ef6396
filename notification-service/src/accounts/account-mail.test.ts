import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildEvent } from '@desk/contracts';
import { waitFor } from '@desk/testing';
import { startNotifications, type NotificationHarness } from '../test-support/harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('account mail', () => {
  let h: NotificationHarness;
  before(async () => {
    h = await startNotifications();
  });
  after(() => h?.close());

  const mailsTo = (address: string) => h.smtp.mails.filter((mail) => mail.to.includes(address));

  test('a verification request mails its link to the portal once, also when the event is delivered twice, to an address that is no user', async () => {
    const token = randomUUID();
    const event = buildEvent('account.verification_requested', {
      source: '/identity-service',
      subject: 'newcomer@example.com',
      data: { email: 'newcomer@example.com', fullName: 'New Comer', token, expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    await h.bus.publish(event);
    await h.bus.publish(event);
    await h.handled(event.id);
    await waitFor('the verification mail', () => mailsTo('newcomer@example.com').length >= 1);
    await sleep(400);
    const mails = mailsTo('newcomer@example.com');
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, 'Finish registering at the service desk');
    assert.ok(mails[0]!.text.includes(`https://desk.example.com/verify?token=${token}`));
    assert.equal(mails[0]!.headers.get('x-incident-key'), undefined);
  });

  test('a reset request (by an admin), a password change and a registration attempt each reach the account\'s address', async () => {
    const person = await h.createUser('reporter');
    const token = randomUUID();
    const base = { userId: person.user.id, email: person.user.email, fullName: person.user.fullName };
    for (const event of [
      buildEvent('account.password_reset_requested', { source: '/identity-service', subject: person.user.id, data: { ...base, token, expiresAt: new Date(Date.now() + 1_800_000).toISOString(), requestedBy: 'admin' } }),
      buildEvent('account.password_changed', { source: '/identity-service', subject: person.user.id, data: { ...base, how: 'reset', changedAt: new Date().toISOString() } }),
      buildEvent('account.registration_attempted', { source: '/identity-service', subject: person.user.id, data: base }),
    ]) {
      await h.bus.publish(event);
    }
    await waitFor('three mails', () => mailsTo(person.user.email).length >= 3);
    const subjects = mailsTo(person.user.email).map((mail) => mail.subject).sort();
    assert.deepEqual(subjects, ['Choose a new password', 'Someone tried to register your address', 'Your password was changed']);
    const reset = mailsTo(person.user.email).find((mail) => mail.subject === 'Choose a new password')!;
    assert.ok(reset.text.includes(`https://desk.example.com/reset-password?token=${token}`));
    assert.match(reset.text, /administrator/);
  });

  test('changes to a second factor are mailed to the account, saying what happened', async () => {
    const person = await h.createUser('reporter');
    const base = { userId: person.user.id, email: person.user.email, fullName: person.user.fullName, changedAt: new Date().toISOString() };
    for (const [change, recoveryCodesLeft] of [['enabled', 10], ['recovery_code_used', 0], ['reset_by_admin', 0]] as const) {
      await h.bus.publish(buildEvent('account.second_factor_changed', { source: '/identity-service', subject: person.user.id, data: { ...base, change, recoveryCodesLeft } }));
    }
    await waitFor('three mails', () => mailsTo(person.user.email).length >= 3);
    const subjects = mailsTo(person.user.email).map((mail) => mail.subject).sort();
    assert.deepEqual(subjects, ['A recovery code was used to sign in', 'An administrator removed your two-step sign-in', 'Two-step sign-in is on']);
    const used = mailsTo(person.user.email).find((mail) => mail.subject === 'A recovery code was used to sign in')!;
    assert.match(used.text, /no recovery codes left/);
    assert.ok(used.text.includes('https://desk.example.com/account'));
  });

  test('a registration made in German gets its verification mail in German, with a German date and duration', async () => {
    const token = randomUUID();
    const event = buildEvent('account.verification_requested', {
      source: '/identity-service',
      subject: 'neuling@example.com',
      time: new Date('2026-03-12T14:05:00.000Z'),
      data: { email: 'neuling@example.com', fullName: 'Nina Neuling', token, expiresAt: '2026-03-13T14:05:00.000Z', locale: 'de' },
    });
    await h.bus.publish(event);
    const [mail] = await waitFor('the verification mail', () => (mailsTo('neuling@example.com').length > 0 ? mailsTo('neuling@example.com') : undefined));
    assert.equal(mail!.subject, 'Schließen Sie Ihre Registrierung beim Service Desk ab');
    const text = mail!.text.replace(/\s/g, ' ');
    assert.match(text, /^Guten Tag Nina Neuling,/);
    assert.match(text, /Er funktioniert einmal, innerhalb von 24 Stunden \(bis 13\. März 2026, 14:05 UTC\)\./);
    assert.ok(mail!.text.includes(`Adresse bestätigen: https://desk.example.com/verify?token=${token}`));
    assert.match(mail!.html, /<html lang="de">/);
  });

  test('mail about an existing account is written in the language the account chose (the replica\'s), English when it chose none', async () => {
    const german = await h.createUser('reporter', null, { locale: 'de' });
    const english = await h.createUser('reporter', null, { locale: null });
    for (const person of [german, english]) {
      await h.bus.publish(
        buildEvent('account.password_reset_requested', {
          source: '/identity-service',
          subject: person.user.id,
          time: new Date('2026-03-12T14:05:00.000Z'),
          data: { userId: person.user.id, email: person.user.email, fullName: person.user.fullName, token: randomUUID(), expiresAt: '2026-03-12T14:35:00.000Z', requestedBy: 'self' },
        }),
      );
      await h.bus.publish(
        buildEvent('account.second_factor_changed', {
          source: '/identity-service',
          subject: person.user.id,
          data: { userId: person.user.id, email: person.user.email, fullName: person.user.fullName, change: 'recovery_code_used', recoveryCodesLeft: 3, changedAt: new Date().toISOString() },
        }),
      );
    }
    await waitFor('two mails each', () => mailsTo(german.user.email).length >= 2 && mailsTo(english.user.email).length >= 2);
    const germanReset = mailsTo(german.user.email).find((mail) => mail.subject === 'Wählen Sie ein neues Passwort')!;
    assert.match(germanReset.text.replace(/\s/g, ' '), /innerhalb von 30 Minuten \(bis 12\. März 2026, 14:35 UTC\)/);
    assert.ok(mailsTo(german.user.email).find((mail) => mail.subject === 'Zur Anmeldung wurde ein Wiederherstellungscode verwendet')!.text.includes('Sie haben noch 3 Wiederherstellungscodes.'));
    const englishReset = mailsTo(english.user.email).find((mail) => mail.subject === 'Choose a new password')!;
    assert.match(englishReset.text.replace(/\s/g, ' '), /within 30 minutes \(until Mar 12, 2026, 2:35 PM UTC\)/);
    assert.ok(mailsTo(english.user.email).find((mail) => mail.subject === 'A recovery code was used to sign in')!.text.includes('3 recovery codes left.'));
  });

  test('account mail stays out of the admins\' delivery listing (it carries single-use links)', async () => {
    const listing = await h.http.get('/notifications/deliveries').set('Authorization', `Bearer ${h.admin.token}`).expect(200);
    assert.ok(listing.body.items.length > 0 || h.smtp.mails.length > 0);
    assert.ok(listing.body.items.every((item: { incidentId: string | null }) => item.incidentId !== null));
  });
});

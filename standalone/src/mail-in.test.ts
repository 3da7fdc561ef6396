import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';

const PASSWORD = 'kettle-orbit-meadow';

/**
 * Mail in across the platform: a reporter's mail becomes an incident, the notification mails
 * about it carry the thread a reply needs, and the reply becomes a comment; a stranger's mail
 * makes them a reporter pending verification and is filed once they choose a password.
 */
describe('mail in, end to end (every service, real SMTP both ways)', () => {
  let platform: RunningPlatform;
  let smtp: Transporter;
  let adminClient: ApiClient;
  let staff: ApiClient;
  let reporter: ApiClient;
  const reporterEmail = 'mara.mail@example.com';

  before(async () => {
    platform = await startPlatform({
      incident: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_UNKNOWN_SENDERS: 'register', INBOUND_RETRY_INTERVAL: '300ms' },
      notification: { MAIL_REPLY_TO: 'Service Desk <desk@example.com>' },
    });
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: platform.incidents.inboundSmtpPort!, secure: false, ignoreTLS: true });
    adminClient = new ApiClient(platform.gatewayUrl);
    await adminClient.signIn(ADMIN.email, ADMIN.password);
    const department = await adminClient.call<{ id: string }>('POST', '/departments', { name: 'Mail IT' });
    await waitFor('the department replicated', async () => {
      const response = await adminClient.call<{ id: string }>('POST', '/categories', { name: 'Mail general', departmentId: department.body.id });
      return response.status === 201 ? response.body.id : undefined;
    });
    const member = async (email: string, role: 'staff' | 'reporter') => {
      const created = await adminClient.call('POST', '/users', { email, password: PASSWORD, fullName: email.split('@')[0], role, ...(role === 'staff' ? { departmentId: department.body.id } : {}) });
      assert.equal(created.status, 201);
      const client = new ApiClient(platform.gatewayUrl);
      await client.signIn(email, PASSWORD);
      await waitFor(`${email} known to incident-service`, async () => (await client.call('GET', '/incidents?limit=1')).status === 200);
      return client;
    };
    staff = await member('sven.staff@example.com', 'staff');
    reporter = await member(reporterEmail, 'reporter');
    // The incident replica learns each address with the account's event.
    await waitFor('the address in the replica', async () => ((await platform.incidents.db('users').whereRaw('lower(email) = ?', [reporterEmail]).first()) ? true : undefined));
  });
  const send = (mail: SendMailOptions) => smtp.sendMail(mail) as Promise<{ response: string }>;
  after(async () => {
    smtp?.close();
    await platform?.close();
  });

  test('a mail files an incident; the receipt comes back threaded with a Reply-To of the desk; the reply to staff\'s comment is a comment, quote removed', async (t) => {
    const startedAt = performance.now();
    const sent = await send({ from: `Mara <${reporterEmail}>`, to: 'desk@example.com', subject: 'Badge reader at gate 2 is dead', text: 'Nobody gets in at gate 2.' });
    const key = /filed on (INC-\d+)/.exec(sent.response)?.[1];
    assert.ok(key, sent.response);
    const listed = await waitFor('the incident in the reporter\'s list', async () => {
      const response = await reporter.call<{ items: { key: string; title: string }[] }>('GET', '/incidents?limit=5');
      return response.body.items.find((item) => item.key === key);
    });
    t.diagnostic(`inbound mail → incident visible through the gateway: ${(performance.now() - startedAt).toFixed(0)} ms`);
    assert.equal(listed.title, 'Badge reader at gate 2 is dead');

    const receipt = await waitFor('the receipt mail', async () => platform.smtp.to(reporterEmail).find((mail) => mail.headers.get('x-incident-key') === key));
    assert.match(receipt.headers.get('reply-to') ?? '', /desk@example\.com/);

    assert.equal((await staff.call('POST', `/incidents/${key}/comments`, { content: 'Which badge number do you have?' })).status, 201);
    const question = await waitFor('the comment mail', async () => platform.smtp.to(reporterEmail).find((mail) => mail.headers.get('x-incident-key') === key && /Which badge number/.test(mail.text)));
    // The reply as a mail client writes it: answering the comment mail, quoting it.
    await smtp.sendMail({
      from: reporterEmail,
      to: 'desk@example.com',
      subject: `Re: ${question.subject}`,
      inReplyTo: question.messageId,
      references: [...question.references, question.messageId],
      text: `Badge 4711.\n\nOn Sat, 5 Dec 2026 at 10:00, Service Desk <desk@example.com> wrote:\n> ${question.text.split('\n').join('\n> ')}`,
    });
    const comments = await waitFor('the reply as a comment', async () => {
      const response = await staff.call<{ items: { content: string; isInternal: boolean }[] }>('GET', `/incidents/${key}/comments`);
      return response.body.items.length === 2 ? response.body.items : undefined;
    });
    assert.deepEqual(comments.map((comment) => comment.content).sort(), ['Badge 4711.', 'Which badge number do you have?']);
  });

  test('a stranger\'s mail makes them a reporter pending verification; following the link they choose a password, and their mail is filed as theirs', async () => {
    const stranger = 'new.person@elsewhere.example';
    // Written in German (Content-Language): the link comes in German too.
    const sent = await send({ from: `New Person <${stranger}>`, to: 'desk@example.com', subject: 'Cannot reach the wiki', text: 'The wiki times out.', headers: { 'Content-Language': 'de' } });
    assert.match(sent.response, /mailed a link to finish registering/);
    const verification = await waitFor('the verification mail', async () => platform.smtp.to(stranger).find((mail) => /token=/.test(mail.text)));
    assert.match(verification.subject, /Schließen Sie Ihre Registrierung/);
    const token = new URL(/(https?:\/\/\S+token=\S+)/.exec(verification.text)![1]!).searchParams.get('token')!;
    const anonymous = new ApiClient(platform.gatewayUrl);
    const withoutPassword = await anonymous.call<{ code: string; errors: { path: string }[] }>('POST', '/auth/verify', { token });
    assert.equal(withoutPassword.status, 400);
    assert.equal(withoutPassword.body.code, 'AUTH.PASSWORD_REQUIRED');
    assert.deepEqual(withoutPassword.body.errors.map((issue) => issue.path), ['/password']);
    assert.equal((await anonymous.call('POST', '/auth/verify', { token, password: PASSWORD })).status, 204);
    const person = new ApiClient(platform.gatewayUrl);
    await person.signIn(stranger, PASSWORD);
    const filed = await waitFor('the held mail filed as the new reporter\'s incident', async () => {
      const response = await person.call<{ items: { title: string; reporterId: string }[] }>('GET', '/incidents?limit=5');
      return response.status === 200 ? response.body.items.find((item) => item.title === 'Cannot reach the wiki') : undefined;
    });
    assert.ok(filed);
  });
});

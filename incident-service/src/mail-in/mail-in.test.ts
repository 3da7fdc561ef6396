import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import sharp from 'sharp';
import { startIncidents, type IncidentHarness, type TestUser } from '../test-support/harness.js';
import { inboundMailPageSchema } from '@desk/contracts';
import { automaticMail } from './automatic-mail.js';
import { replyText } from './mail-in.js';

interface SmtpError extends Error {
  responseCode?: number;
  response?: string;
}

/** Real mail to the real listener: nodemailer as a mail server would send it. */
describe('mail in', () => {
  let h: IncidentHarness;
  let smtp: Transporter;
  let department: string;
  let defaultCategory: string;
  let networkCategory: string;
  let reporter: TestUser;
  let otherReporter: TestUser;
  let staff: TestUser;
  let png: Buffer;
  const defaultName = `Mail desk ${randomUUID().slice(0, 6)}`;
  const networkName = `Mail network ${randomUUID().slice(0, 6)}`;

  before(async () => {
    h = await startIncidents({
      INBOUND_SMTP_PORT: '0',
      INBOUND_SMTP_HOST: '127.0.0.1',
      INBOUND_ADDRESS: 'desk@example.com',
      INBOUND_CATEGORY: defaultName,
      INBOUND_ROUTES: `network@example.com=${networkName}`,
      INBOUND_RATE_LIMIT: '8',
      INBOUND_MAX_BYTES: '300kb',
    });
    department = await h.createDepartment();
    defaultCategory = await h.createCategory(department, defaultName);
    networkCategory = await h.createCategory(department, networkName);
    reporter = await h.createUser('reporter');
    otherReporter = await h.createUser('reporter');
    staff = await h.createUser('staff', department);
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: h.service.inboundSmtpPort!, secure: false, ignoreTLS: true });
    png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#1d4ed8' } }).png().toBuffer();
  });
  after(async () => {
    smtp?.close();
    await h?.close();
  });

  const send = (mail: SendMailOptions): Promise<{ response: string }> => smtp.sendMail({ to: 'desk@example.com', ...mail }) as Promise<{ response: string }>;
  const refused = async (mail: SendMailOptions): Promise<SmtpError> => {
    const error = await send(mail).then(
      () => undefined,
      (failure: SmtpError) => failure,
    );
    assert.ok(error, 'the mail should have been refused');
    return error;
  };
  const mailRow = (messageId: string) => h.service.db('inbound_mails').where({ message_id: messageId }).first();
  const incidentsOf = (user: TestUser) => h.service.db('incidents').where({ reporter_id: user.user.id }).orderBy('created_at');

  test('a known sender files an incident: title from the subject, the body as description, the category of the desk address, files as attachments', async (t) => {
    const messageId = `<${randomUUID()}@mail.example.org>`;
    const startedAt = performance.now();
    const info = await send({
      from: `"Ana" <${reporter.user.email}>`,
      subject: 'Printer on floor 3 jams',
      text: 'Every print jams after two pages.\n\nThanks,\nAna',
      messageId,
      attachments: [{ filename: 'jam.png', content: png }],
    });
    const elapsed = performance.now() - startedAt;
    const key = /filed on (INC-\d+)/.exec(info.response)?.[1];
    assert.ok(key, info.response);
    const incident = await h.service.db('incidents').where({ reporter_id: reporter.user.id, category_id: defaultCategory }).first();
    assert.equal(incident.title, 'Printer on floor 3 jams');
    assert.match(incident.description, /Every print jams after two pages/);
    const attachments: { file_name: string; content_type: string; uploaded_by: string; is_internal: boolean }[] = await h.service.db('attachments').where({ incident_id: incident.id });
    assert.deepEqual(attachments.map((row) => [row.file_name, row.content_type, row.uploaded_by, row.is_internal]), [['jam.png', 'image/png', reporter.user.id, false]]);
    const row = await mailRow(messageId);
    assert.equal(row.status, 'filed');
    assert.equal(row.outcome, 'incident');
    assert.equal(row.incident_id, incident.id);
    assert.equal(row.raw, null, 'a mail filed whole is not kept');
    const [created] = await h.events.waitFor('incident.created', incident.id);
    assert.equal(created!.data.actorId, reporter.user.id);
    await h.events.waitFor('incident.attachment_added', incident.id);
    // The time from the mail to its incident, as the sender's server waits for it.
    t.diagnostic(`inbound mail → incident (SMTP DATA answered, incident and attachment committed): ${elapsed.toFixed(0)} ms`);
  });

  test('mail to a routed address files in its category; a +tag of the desk address is the desk address', async () => {
    await smtp.sendMail({ from: reporter.user.email, to: 'network@example.com', subject: 'VPN drops every hour', text: 'It drops.' });
    const routed = await h.service.db('incidents').where({ reporter_id: reporter.user.id, title: 'VPN drops every hour' }).first();
    assert.equal(routed.category_id, networkCategory);
    await smtp.sendMail({ from: reporter.user.email, to: 'desk+urgent@example.com', subject: 'Tagged address', text: 'Tagged.' });
    const tagged = await h.service.db('incidents').where({ reporter_id: reporter.user.id, title: 'Tagged address' }).first();
    assert.equal(tagged.category_id, defaultCategory);
  });

  test('the same mail delivered twice (same Message-ID) is one incident', async () => {
    const messageId = `<${randomUUID()}@mail.example.org>`;
    const mail = { from: reporter.user.email, subject: 'Sent twice by a retrying server', text: 'Once only, please.', messageId };
    await send(mail);
    const second = await send(mail);
    assert.match(second.response, /received before/);
    const rows = await h.service.db('incidents').where({ reporter_id: reporter.user.id, title: 'Sent twice by a retrying server' });
    assert.equal(rows.length, 1);
  });

  test('a reply to a notification mail is a public comment without the quoted mail and the signature, its files attached to the comment', async () => {
    const incident = await h.fileIncident(reporter, defaultCategory, { title: 'Laptop will not boot' });
    const notification = `<${randomUUID()}@example.com>`;
    const root = `<incident-${incident.id}@example.com>`;
    const info = await send({
      from: reporter.user.email,
      subject: `Re: [${incident.key}] Laptop will not boot`,
      inReplyTo: notification,
      references: [root, notification],
      text: [
        'It boots again after I removed the USB hub.',
        '',
        '-- ',
        'Ana Silva',
        'Finance, room 3.14',
        '',
        `On Sat, Dec 5, 2026 at 10:00 AM Service desk <desk@example.com> wrote:`,
        `> ${incident.key} is now in progress`,
        '> Staff changed the status.',
      ].join('\n'),
      attachments: [{ filename: 'boot.png', content: png }],
    });
    assert.match(info.response, new RegExp(`filed on ${incident.key}`));
    const comments = await h.service.db('comments').where({ incident_id: incident.id });
    assert.equal(comments.length, 1);
    assert.equal(comments[0].content, 'It boots again after I removed the USB hub.');
    assert.equal(comments[0].is_internal, false);
    assert.equal(comments[0].author_id, reporter.user.id);
    const attachments = await h.service.db('attachments').where({ incident_id: incident.id });
    assert.equal(attachments.length, 1);
    assert.equal(attachments[0].comment_id, comments[0].id);
    await h.events.waitFor('incident.commented', incident.id);
    // No new incident was filed for the reply.
    assert.equal((await h.service.db('incidents').where({ title: 'Laptop will not boot' })).length, 1);
  });

  test('a reply naming the incident only in its subject ([INC-…]) is a comment too; in German, its quote ("Am … schrieb …") is removed', async () => {
    const incident = await h.fileIncident(reporter, defaultCategory, { title: 'Monitor flickers' });
    await send({
      from: reporter.user.email,
      subject: `AW: [${incident.key}] Monitor flickers`,
      text: `Das Flackern ist weg.\n\nAm 05.12.2026 um 10:00 schrieb Service desk <desk@example.com>:\n> ${incident.key} ist jetzt gelöst\n`,
    });
    const comments: { content: string }[] = await h.service.db('comments').where({ incident_id: incident.id });
    assert.deepEqual(comments.map((comment) => comment.content), ['Das Flackern ist weg.']);
  });

  test('staff of the department reply as themselves; someone who may not see the incident files a new incident of their own instead', async () => {
    const incident = await h.fileIncident(reporter, defaultCategory, { title: 'Shared drive is read-only' });
    const root = `<incident-${incident.id}@example.com>`;
    await send({ from: staff.user.email, subject: `Re: [${incident.key}] Shared drive is read-only`, references: [root], inReplyTo: root, text: 'Fixed the permissions.' });
    await send({ from: otherReporter.user.email, subject: `Re: [${incident.key}] Shared drive is read-only`, references: [root], inReplyTo: root, text: 'Mine too!' });
    const comments: { author_id: string; content: string }[] = await h.service.db('comments').where({ incident_id: incident.id });
    assert.deepEqual(comments.map((comment) => [comment.author_id, comment.content]), [[staff.user.id, 'Fixed the permissions.']]);
    const own = await incidentsOf(otherReporter);
    assert.equal(own.length, 1);
    assert.equal(own[0].title, `[${incident.key}] Shared drive is read-only`);
    assert.equal(own[0].description, 'Mine too!');
  });

  test('an address no account has is refused (550) with what to do, and nothing is kept', async () => {
    const error = await refused({ from: 'stranger@elsewhere.example', subject: 'Hello', text: 'Who are you?', messageId: '<stranger-1@elsewhere.example>' });
    assert.equal(error.responseCode, 550);
    assert.match(error.response ?? '', /No account at this service desk has the address stranger@elsewhere\.example/);
    assert.equal(await mailRow('<stranger-1@elsewhere.example>'), undefined);
  });

  test('a recipient the desk does not serve is refused at RCPT', async () => {
    const error = await smtp.sendMail({ from: reporter.user.email, to: 'someone@example.com', subject: 'Wrong address', text: 'x' }).then(
      () => undefined,
      (failure: SmtpError) => failure,
    );
    assert.equal(error?.responseCode, 550);
    assert.match(error?.response ?? '', /no such mailbox/);
  });

  test('automatic mail is taken but never filed: Auto-Submitted, out-of-office replies, bounces, bulk mail, the desk\'s own mail', async () => {
    const cases: [string, SendMailOptions, string][] = [
      ['auto-submitted', { from: reporter.user.email, subject: 'Re: [INC-000001] x', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'I am away.' }, 'auto-submitted'],
      ['out of office by subject', { from: reporter.user.email, subject: 'Abwesenheitsnotiz: Printer', text: 'Ich bin bis Montag nicht im Büro.' }, 'auto-reply'],
      ['out of office by header', { from: reporter.user.email, subject: 'Away', headers: { 'X-Autoreply': 'yes' }, text: 'Away.' }, 'auto-reply'],
      ['bounce', { from: 'MAILER-DAEMON@mail.example.org', envelope: { from: '', to: 'desk@example.com' }, subject: 'Undelivered Mail Returned to Sender', text: 'could not be delivered' }, 'bounce'],
      ['bulk', { from: reporter.user.email, subject: 'Newsletter', headers: { Precedence: 'bulk' }, text: 'News.' }, 'bulk'],
      ['own mail', { from: 'desk@example.com', subject: '[INC-000001] Loop', text: 'Loop.' }, 'own-mail'],
    ];
    for (const [label, mail, reason] of cases) {
      const messageId = `<${randomUUID()}@mail.example.org>`;
      const info = await send({ ...mail, messageId });
      assert.match(info.response, /not filed/, label);
      const row = await mailRow(messageId);
      assert.equal(row.status, 'ignored', label);
      assert.equal(row.outcome, reason, label);
      assert.equal(row.incident_id, null, label);
    }
    assert.equal((await incidentsOf(reporter)).filter((incident) => ['Newsletter', 'Away'].includes(incident.title)).length, 0);
  });

  test('a sender past their hourly budget is deferred (450): a loop cannot flood the desk, and a person\'s server tries again later', async () => {
    const flooder = await h.createUser('reporter');
    const answers: (number | undefined)[] = [];
    for (let index = 0; index < 10; index += 1) {
      answers.push(await send({ from: flooder.user.email, subject: `Mail number ${index + 1}`, text: 'again' }).then(() => 250, (error: SmtpError) => error.responseCode));
    }
    assert.deepEqual(answers, [250, 250, 250, 250, 250, 250, 250, 250, 450, 450]);
    assert.equal((await incidentsOf(flooder)).length, 8);
  });

  test('a mail larger than INBOUND_MAX_BYTES is refused while it is sent (552), and nothing is kept', async () => {
    const error = await refused({ from: reporter.user.email, subject: 'Huge', text: 'x', attachments: [{ filename: 'big.bin', content: Buffer.alloc(400 * 1024, 7) }] });
    assert.equal(error.responseCode, 552);
    assert.equal(await h.service.db('incidents').where({ title: 'Huge' }).first(), undefined);
  });

  test('an attachment the desk does not take is skipped and said; the mail and its other files are filed', async () => {
    const messageId = `<${randomUUID()}@mail.example.org>`;
    await send({
      from: reporter.user.email,
      subject: 'Installer crashes',
      text: 'See the files.',
      messageId,
      attachments: [
        { filename: 'setup.exe', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]), contentType: 'application/octet-stream' },
        { filename: 'crash.png', content: png },
      ],
    });
    const row = await mailRow(messageId);
    assert.equal(row.status, 'filed');
    assert.equal(row.attachments_done, 2);
    assert.deepEqual(row.skipped_attachments.map((skipped: { fileName: string; code: string }) => [skipped.fileName, skipped.code]), [['setup.exe', 'ATTACHMENT.TYPE_REFUSED']]);
    const attachments: { file_name: string }[] = await h.service.db('attachments').where({ incident_id: row.incident_id });
    assert.deepEqual(attachments.map((attachment) => attachment.file_name), ['crash.png']);
  });

  test('a mail kept but not filed (the process stopped) is filed by the sweep, once, however many processes try at once', async () => {
    const messageId = `<${randomUUID()}@mail.example.org>`;
    const raw = Buffer.from(
      [`From: ${reporter.user.email}`, 'To: desk@example.com', `Message-ID: ${messageId}`, 'Subject: Kept before a crash', 'Content-Type: text/plain', '', 'Filed after the restart.', ''].join('\r\n'),
    );
    const [{ id }] = await h.service.db('inbound_mails')
      .insert({ message_id: messageId, envelope_from: reporter.user.email, recipient: 'desk@example.com', sender: reporter.user.email, subject: 'Kept before a crash', raw, size_bytes: raw.length, status: 'received' })
      .returning('id');
    const keys = await Promise.all([h.service.mailIn.file(id), h.service.mailIn.file(id), h.service.mailIn.sweep().then(() => undefined)]);
    assert.equal(keys.filter(Boolean).length, 1);
    await h.service.mailIn.sweep();
    const rows = await h.service.db('incidents').where({ title: 'Kept before a crash' });
    assert.equal(rows.length, 1);
    await waitFor('the mail filed', async () => ((await mailRow(messageId))?.status === 'filed' ? true : undefined));
  });

  test('automatic mail is recognised from headers alone, and a quoted reply is cut where the quote begins', () => {
    const mail = (headerLines: { key: string; line: string }[]) => automaticMail({ envelopeFrom: 'a@b.c', from: 'a@b.c', headerLines, subject: 'Question', ownAddresses: new Set() });
    assert.equal(mail([{ key: 'auto-submitted', line: 'Auto-Submitted: no' }]), null);
    assert.equal(mail([{ key: 'auto-submitted', line: 'Auto-Submitted:\r\n auto-generated' }]), 'auto-submitted');
    assert.equal(mail([{ key: 'content-type', line: 'Content-Type: multipart/report; report-type=delivery-status;\r\n boundary="x"' }]), 'bounce');
    assert.equal(mail([{ key: 'content-type', line: 'Content-Type: multipart/mixed; boundary="x"' }]), null);
    assert.equal(replyText('Thanks!\n\nOn Mon, Dec 7, 2026, Desk <desk@example.com> wrote:\n> old'), 'Thanks!');
  });

  test('admins read what became of each mail, newest first, filtered and paged; anyone else is refused', async () => {
    const adminToken = h.admin.token;
    const page = await h.http.get('/inbound-mails').query({ limit: 3 }).set('Authorization', `Bearer ${adminToken}`).expect(200);
    const parsed = inboundMailPageSchema.parse(page.body);
    assert.equal(parsed.items.length, 3);
    assert.ok(parsed.nextCursor);
    const times = parsed.items.map((item) => item.receivedAt);
    assert.deepEqual([...times].sort().reverse(), times);
    const next = inboundMailPageSchema.parse((await h.http.get('/inbound-mails').query({ limit: 3, cursor: parsed.nextCursor }).set('Authorization', `Bearer ${adminToken}`).expect(200)).body);
    assert.equal(new Set([...parsed.items, ...next.items].map((item) => item.id)).size, 6);

    const ignored = inboundMailPageSchema.parse((await h.http.get('/inbound-mails').query({ status: 'ignored', limit: 100 }).set('Authorization', `Bearer ${adminToken}`).expect(200)).body);
    assert.ok(ignored.items.length >= 6);
    assert.ok(ignored.items.every((item) => item.status === 'ignored' && item.incidentKey === null));
    const filed = inboundMailPageSchema.parse((await h.http.get('/inbound-mails').query({ status: 'filed', sender: reporter.user.email.toUpperCase(), limit: 100 }).set('Authorization', `Bearer ${adminToken}`).expect(200)).body);
    const installer = filed.items.find((item) => item.subject === 'Installer crashes')!;
    assert.match(installer.incidentKey ?? '', /^INC-\d+$/);
    assert.equal(installer.attachmentCount, 2);
    assert.equal(installer.attachmentsFiled, 1);
    assert.deepEqual(installer.skippedAttachments.map((skipped) => skipped.fileName), ['setup.exe']);

    const bad = await h.http.get('/inbound-mails').query({ status: 'lost' }).set('Authorization', `Bearer ${adminToken}`).expect(400);
    assert.ok((bad.body.errors as { path: string }[]).some((issue) => issue.path === '/status'));
    for (const who of [reporter, staff]) {
      const refusedCall = await h.http.get('/inbound-mails').set('Authorization', `Bearer ${who.token}`).expect(403);
      assert.equal(refusedCall.body.code, 'AUTH.FORBIDDEN');
    }
    await h.http.get('/inbound-mails').expect(401);
  });
});

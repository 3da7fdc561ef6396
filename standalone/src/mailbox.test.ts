import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import { startMailbox } from './mailbox.js';

test('when a service sends mail in standalone mode, then it lands in the local mailbox as an .eml file', async () => {
  const directory = path.join(mkdtempSync(path.join(tmpdir(), 'desk-mailbox-')), 'mail');
  const mailbox = await startMailbox(directory, 0);
  try {
    const transport = nodemailer.createTransport(mailbox.url);
    await transport.sendMail({
      from: 'Service desk <desk@example.com>',
      to: 'rita@example.com',
      bcc: 'audit@example.com',
      subject: '[INC-000042] We received your incident',
      text: 'We received "VPN drops every hour".',
    });
    transport.close();
    const files = readdirSync(directory);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /\.eml$/);
    const message = readFileSync(path.join(directory, files[0]!), 'utf8');
    assert.match(message, /^X-Envelope-To: rita@example\.com, audit@example\.com\r\n/);
    assert.match(message, /Subject: \[INC-000042\] We received your incident/);
    assert.match(message, /We received "VPN drops every hour"\./);
  } finally {
    await mailbox.stop();
    rmSync(path.dirname(directory), { recursive: true, force: true });
  }
});

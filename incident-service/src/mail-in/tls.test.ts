import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import nodemailer from 'nodemailer';
import { startIncidents, type IncidentHarness } from '../test-support/harness.js';

/** With a certificate configured, the listener offers STARTTLS and mail arrives over TLS. */
describe('mail in over STARTTLS', () => {
  let h: IncidentHarness;
  let directory: string;

  before(async () => {
    directory = mkdtempSync(path.join(tmpdir(), 'desk-smtp-tls-'));
    const cert = path.join(directory, 'cert.pem');
    const key = path.join(directory, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    h = await startIncidents({ INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_TLS_CERT_FILE: cert, INBOUND_TLS_KEY_FILE: key });
  });
  after(async () => {
    await h?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  test('a sender that requires TLS delivers; the mail is filed', async () => {
    const department = await h.createDepartment();
    await h.createCategory(department);
    const reporter = await h.createUser('reporter');
    // requireTLS: nodemailer refuses to send unless the listener offered STARTTLS and it succeeded.
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: h.service.inboundSmtpPort!, secure: false, requireTLS: true, tls: { rejectUnauthorized: false } });
    try {
      const info = (await transport.sendMail({ from: reporter.user.email, to: 'desk@example.com', subject: 'Sent over TLS', text: 'Encrypted on the way.' })) as { response: string };
      assert.match(info.response, /filed on INC-\d+/);
    } finally {
      transport.close();
    }
    assert.ok(await h.service.db('incidents').where({ title: 'Sent over TLS' }).first());
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { PHONE, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Mail in, seen in a real browser: an admin reads what became of the mail to the desk (filed,
// ignored as automatic); a stranger who wrote to the desk follows their link, chooses a
// password, and finds their mail filed as their incident.

describe('mail in, in the portal', () => {
  let web: PortalInBrowser;
  let smtp: Transporter;
  const send = (mail: SendMailOptions) => smtp.sendMail({ to: 'desk@example.com', ...mail }) as Promise<{ response: string }>;

  before(async () => {
    web = await startPortalInBrowser({
      seedDemo: true,
      platform: { incident: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_UNKNOWN_SENDERS: 'register', INBOUND_RETRY_INTERVAL: '300ms' } },
    });
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: web.platform.incidents.inboundSmtpPort!, secure: false, ignoreTLS: true });
    // The demo people reach the replica with their addresses.
    await waitFor('the demo addresses in the replica', async () => ((await web.platform.incidents.db('users').where({ email: 'reporter1.it@example.com' }).first()) ? true : undefined));
  });
  after(async () => {
    smtp?.close();
    await web?.close();
  });

  test('an admin sees each mail to the desk and what became of it: the incident it filed, an out-of-office reply ignored', async () => {
    const filed = await send({ from: 'Rita Reporter <reporter1.it@example.com>', subject: 'Coffee machine on floor 2 leaks', text: 'Water all over the floor.' });
    const key = /filed on (INC-\d+)/.exec(filed.response)?.[1];
    assert.ok(key);
    await send({ from: 'reporter1.it@example.com', subject: 'Automatic reply: Coffee machine', headers: { 'Auto-Submitted': 'auto-replied' }, text: 'I am out of the office.' });

    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/mail' });
    await page.getByRole('tab', { name: 'Received' }).click();
    const filedRow = page.getByRole('row').filter({ hasText: 'Coffee machine on floor 2 leaks' });
    await filedRow.waitFor();
    assert.match(await filedRow.innerText(), /Filed/);
    assert.equal(await filedRow.getByRole('link', { name: key }).count(), 1);
    const ignoredRow = page.getByRole('row').filter({ hasText: 'Automatic reply: Coffee machine' });
    assert.match(await ignoredRow.innerText(), /Ignored[\s\S]*Sent automatically/);
    await web.screenshotBothWidths(page, 'admin-mail-received');
    await web.assertFitsPhone(page, 'the received mail list');

    await filedRow.getByRole('link', { name: key }).click();
    await page.waitForURL(new RegExp(`/incidents/${key}$`));
    await page.getByRole('heading', { name: 'Coffee machine on floor 2 leaks' }).waitFor();
  });

  test('a stranger who wrote to the desk follows the link, is asked for a password, and finds the mail filed as their incident', async () => {
    const stranger = 'nora.new@elsewhere.example';
    const answer = await send({ from: `Nora New <${stranger}>`, subject: 'Guest Wi-Fi password expired', text: 'The guest network rejects the password on the card.' });
    assert.match(answer.response, /mailed a link/);
    const mail = await waitFor('the verification mail', async () => web.platform.smtp.to(stranger).find((received) => /\/verify\?token=/.test(received.text)));
    const link = new URL(/(https?:\/\/\S+\/verify\?token=\S+)/.exec(mail.text)![1]!);

    const page = await web.newPage(PHONE.width);
    await page.goto(`${web.portalUrl}/verify${link.search}`);
    await page.getByRole('button', { name: 'Verify my address' }).click();
    const password = page.getByLabel('Password');
    await password.waitFor();
    await page.getByText('You wrote to the service desk from this address').waitFor();
    await web.screenshot(page, 'verify-choose-password-phone');
    // Too short first: the field says why, nothing is made.
    await password.fill('short');
    await page.getByRole('button', { name: 'Finish registering' }).click();
    await page.getByText(/at least 12 characters/).first().waitFor();
    await password.fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Finish registering' }).click();
    await page.getByText('Address verified').waitFor();

    const nora = new ApiClient(web.platform.gatewayUrl);
    await nora.signIn(stranger, DEMO_PASSWORD);
    const incident = await waitFor('the mail filed as Nora\'s incident', async () => {
      const response = await nora.call<{ items: { key: string; title: string }[] }>('GET', '/incidents?limit=5');
      return response.body.items?.find((item) => item.title === 'Guest Wi-Fi password expired');
    });
    const signedIn = await web.signIn(stranger, { password: DEMO_PASSWORD, width: PHONE.width, landing: `/incidents/${incident.key}` });
    await signedIn.getByRole('heading', { name: 'Guest Wi-Fi password expired' }).waitFor();
    await web.screenshot(signedIn, 'mail-in-incident-phone');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { ADMIN, ApiClient, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// Accounts in a real browser against the real platform, with mail caught by the SMTP sink:
// register, forgot and reset a password from the mailed link, change it on /account, and an
// admin sending a reset from the user dialog.

describe('accounts in the web portal', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let portalUrl: string;

  before(async () => {
    web = await startPortalInBrowser();
    ({ platform, portalUrl } = web);
  });
  after(() => web?.close());

  const newPage = (width?: number) => web.newPage(width);
  const shoot = (page: Page, name: string) => web.screenshotBothWidths(page, name);

  /** The newest mail to `address` whose subject matches; its portal link, moved onto the portal under test. */
  async function mailedLink(address: string, subject: RegExp): Promise<string> {
    const mail = await waitFor(`a mail "${subject.source}" to ${address}`, () =>
      [...platform.smtp.mails].reverse().find((candidate) => candidate.to.includes(address) && subject.test(candidate.subject)),
    );
    const link = /https?:\/\/\S+token=[\w-]+/.exec(mail.text)?.[0];
    assert.ok(link, 'the mail carries a link with a token');
    const url = new URL(link);
    return `${portalUrl}${url.pathname}${url.search}`;
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${portalUrl}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${portalUrl}/incidents`);
  }

  test('someone registers (open desk) and is signed in; registering the same address again shows the same answer and mails its owner', async () => {
    const page = await newPage();
    await page.goto(`${portalUrl}/register`);
    await page.getByLabel('Full name').fill('Petra Portal');
    await page.getByLabel('Email').fill('petra@example.com');
    await page.getByLabel('Password').fill('password1234');
    await page.getByRole('button', { name: /create/i }).click();
    await page.getByText(/list of common or breached passwords|too easy to guess/).first().waitFor();
    await page.getByLabel('Password').fill('kettle-orbit-meadow');
    await page.getByRole('button', { name: /create/i }).click();
    await page.waitForURL(`${portalUrl}/incidents`);

    const again = await newPage();
    await again.goto(`${portalUrl}/register`);
    await again.getByLabel('Full name').fill('Someone Else');
    await again.getByLabel('Email').fill('petra@example.com');
    await again.getByLabel('Password').fill('violet orchard 77');
    await again.getByRole('button', { name: /create/i }).click();
    await again.getByTestId('registration-message').waitFor();
    await shoot(again, 'register-answer');
    await waitFor('the owner told by mail', () => platform.smtp.mails.some((mail) => mail.to.includes('petra@example.com') && /tried to register/.test(mail.subject)));
  });

  test('forgot password: the mailed link opens the reset page, the new password signs in, the old one no longer does; /account changes it again', async () => {
    const admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    assert.equal((await admin.call('POST', '/users', { email: 'felix@example.com', password: 'harbour lantern 42', fullName: 'Felix Forgetful', role: 'reporter' })).status, 201);

    const page = await newPage();
    await page.goto(`${portalUrl}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL(`${portalUrl}/forgot-password`);
    await page.getByLabel('Email').fill('felix@example.com');
    await shoot(page, 'forgot-password');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByTestId('done-message').waitFor();

    await page.goto(await mailedLink('felix@example.com', /Choose a new password/));
    await page.getByLabel('New password', { exact: true }).fill('violet orchard 77');
    await page.getByLabel('New password again').fill('violet orchard 77');
    await shoot(page, 'reset-password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Password changed').waitFor();
    await waitFor('told that the password changed', () => platform.smtp.mails.some((mail) => mail.to.includes('felix@example.com') && /password was changed/.test(mail.subject)));

    const old = new ApiClient(platform.gatewayUrl);
    assert.equal((await old.call('POST', '/auth/login', { email: 'felix@example.com', password: 'harbour lantern 42' })).status, 401);

    await signIn(page, 'felix@example.com', 'violet orchard 77');
    await page.goto(`${portalUrl}/account`);
    await page.getByLabel('Current password').fill('wrong password here');
    await page.getByLabel('New password', { exact: true }).fill('kettle-orbit-meadow');
    await page.getByLabel('New password again').fill('kettle-orbit-meadow');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Does not match your current password').waitFor();
    await page.getByLabel('Current password').fill('violet orchard 77');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Password changed' }).waitFor();
    await shoot(page, 'account');
    // Still signed in, with the new password's session.
    await page.goto(`${portalUrl}/incidents`);
    await page.waitForURL(`${portalUrl}/incidents`);
  });

  test('an admin sends a password reset from the user dialog: the person is mailed a link', async () => {
    const admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    assert.equal((await admin.call('POST', '/users', { email: 'ria@example.com', password: 'harbour lantern 42', fullName: 'Ria Reset', role: 'reporter' })).status, 201);
    const page = await newPage();
    await signIn(page, ADMIN.email, ADMIN.password);
    await page.goto(`${portalUrl}/admin/users`);
    await page.getByRole('row').filter({ hasText: 'Ria Reset' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Send password reset' }).click();
    await page.getByText('Password reset sent to ria@example.com').waitFor();
    await shoot(page, 'admin-reset');
    const link = await mailedLink('ria@example.com', /Choose a new password/);
    assert.match(link, /\/reset-password\?token=/);
  });
});

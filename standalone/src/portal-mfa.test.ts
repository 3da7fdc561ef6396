import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { ADMIN, ApiClient, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// Two-step sign-in in a real browser against the real platform: a reporter turns it on from
// /account, signs in with a code and with a recovery code (which works once), and turns it off;
// an admin resets someone's from the user dialog; and, with ADMIN_MFA=required, an admin without
// a factor is led through setting one up at sign-in.

const PERIOD_SECONDS = 30;

/**
 * The authenticator app of the test. identity-service takes a code once (only for a time step
 * newer than the last it accepted) and accepts the step before, the current one and the one
 * after; each code here is for the earliest step not used yet within that window, waiting for
 * the clock when none is left.
 */
class Authenticator {
  private lastStep = 0;
  private readonly totp: TOTP;

  constructor(secret: string) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), algorithm: 'SHA1', digits: 6, period: PERIOD_SECONDS });
  }

  async code(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
      const step = Math.max(this.lastStep + 1, current);
      if (step <= current + 1) {
        this.lastStep = step;
        return this.totp.generate({ timestamp: step * PERIOD_SECONDS * 1000 });
      }
      await sleep((current + 1) * PERIOD_SECONDS * 1000 - Date.now() + 100);
    }
  }

  /** Six digits no step in the window has. */
  wrongCode(): string {
    const current = Math.floor(Date.now() / 1000 / PERIOD_SECONDS);
    const valid = new Set([-1, 0, 1, 2].map((delta) => this.totp.generate({ timestamp: (current + delta) * PERIOD_SECONDS * 1000 })));
    for (let candidate = 0; ; candidate += 111_111) {
      const code = String(candidate % 1_000_000).padStart(6, '0');
      if (!valid.has(code)) return code;
    }
  }
}

async function secretOnPage(page: Page): Promise<string> {
  const text = (await page.getByTestId('totp-secret').textContent()) ?? '';
  const secret = text.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/, 'a base32 key to type by hand');
  return secret;
}

/** The QR code is an image the page really shows (a data: URL the Content-Security-Policy lets through). */
async function assertQrCodeShown(page: Page): Promise<void> {
  const image = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  await image.waitFor();
  assert.match((await image.getAttribute('src')) ?? '', /^data:image\/svg\+xml/);
  await waitFor('the QR code loaded', () => image.evaluate((element) => {
    const loaded = element as unknown as { complete: boolean; naturalWidth: number };
    return loaded.complete && loaded.naturalWidth > 0;
  }));
}

async function recoveryCodesOnPage(page: Page): Promise<string[]> {
  const list = page.getByTestId('recovery-codes');
  await list.waitFor();
  return (await list.getByRole('listitem').allTextContents()).map((code) => code.trim());
}

describe('two-step sign-in in the web portal', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let portalUrl: string;
  let admin: ApiClient;

  before(async () => {
    web = await startPortalInBrowser();
    ({ platform, portalUrl } = web);
    admin = new ApiClient(platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
  });
  after(() => web?.close());

  async function createReporter(email: string, fullName: string, password: string): Promise<void> {
    assert.equal((await admin.call('POST', '/users', { email, password, fullName, role: 'reporter' })).status, 201);
  }

  /** Asks for `landing`, signs in with the password, and stops at the second step. */
  async function passwordStep(email: string, password: string, landing: string, width?: number): Promise<Page> {
    const page = await web.signIn(email, { password, landing, expectLanding: false, ...(width ? { width } : {}) });
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    return page;
  }

  test('a reporter turns two-step sign-in on from /account, signs in with a code and once with a recovery code, then turns it off', async () => {
    const email = 'tom@example.com';
    const password = 'harbour lantern 42';
    await createReporter(email, 'Tom Twostep', password);

    // On /account: off, then set up — the password, the key, a wrong code, the right code.
    const page = await web.signIn(email, { password, landing: '/account' });
    const section = page.getByTestId('two-step-section');
    await section.getByText('Off', { exact: true }).waitFor();
    await section.getByRole('button', { name: 'Set up' }).click();
    await section.getByLabel('Current password').fill('not my password');
    await section.getByRole('button', { name: 'Continue' }).click();
    await section.getByText('Does not match your current password').waitFor();
    await section.getByLabel('Current password').fill(password);
    await section.getByRole('button', { name: 'Continue' }).click();
    await assertQrCodeShown(page);
    const app = new Authenticator(await secretOnPage(page));
    await web.screenshotBothWidths(page, 'mfa-account-setup');

    await section.getByLabel('Code from your app').fill(app.wrongCode());
    await section.getByRole('button', { name: 'Turn on' }).click();
    await section.getByText('Does not match your authenticator app').waitFor();
    await section.getByLabel('Code from your app').fill(await app.code());
    await section.getByRole('button', { name: 'Turn on' }).click();
    const codes = await recoveryCodesOnPage(page);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    await web.screenshotBothWidths(page, 'mfa-account-recovery-codes');

    // The codes download as a text file.
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Download' }).click()]);
    assert.equal(download.suggestedFilename(), 'service-desk-recovery-codes.txt');
    const file = await readFile(await download.path(), 'utf8');
    for (const code of codes) assert.ok(file.includes(code), `the file holds ${code}`);

    await section.getByRole('button', { name: 'I have saved them' }).click();
    await section.getByText('On', { exact: true }).waitFor();
    assert.equal(await section.getByTestId('recovery-codes-left').textContent(), '10 recovery codes left');
    await web.screenshotBothWidths(page, 'mfa-account-on');

    // Signed out; signing in again asks for a code, and goes on to the page asked for (`next`).
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${portalUrl}/notifications`);
    await page.waitForURL(`${portalUrl}/login?next=%2Fnotifications`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    const codeField = page.getByLabel('Code from your app');
    assert.equal(await codeField.getAttribute('inputmode'), 'numeric');
    assert.equal(await codeField.getAttribute('autocomplete'), 'one-time-code');
    await web.screenshotBothWidths(page, 'mfa-sign-in-code');
    await codeField.fill(app.wrongCode());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('Does not match your authenticator app').waitFor();
    await codeField.fill(await app.code());
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${portalUrl}/notifications`);
    await page.context().close();

    // A recovery code instead of the app: it works once.
    const withRecovery = await passwordStep(email, password, '/incidents', 390);
    await withRecovery.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await withRecovery.getByLabel('Recovery code').fill(codes[0]!);
    await web.screenshot(withRecovery, 'mfa-sign-in-recovery-code-phone');
    await withRecovery.getByRole('button', { name: 'Verify' }).click();
    await withRecovery.waitForURL(`${portalUrl}/incidents`);
    await withRecovery.context().close();

    const again = await passwordStep(email, password, '/account');
    await again.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await again.getByLabel('Recovery code').fill(codes[0]!);
    await again.getByRole('button', { name: 'Verify' }).click();
    await again.getByText('Unknown or already used').waitFor();
    await web.screenshot(again, 'mfa-sign-in-recovery-code-used');
    // The same challenge still takes the app's code.
    await again.getByRole('button', { name: 'Use the code from your app instead' }).click();
    await again.getByLabel('Code from your app').fill(await app.code());
    await again.getByRole('button', { name: 'Verify' }).click();
    await again.waitForURL(`${portalUrl}/account`);

    // New recovery codes, confirmed with one of the old ones: all ten old ones stop working.
    const onAccount = again.getByTestId('two-step-section');
    assert.equal(await onAccount.getByTestId('recovery-codes-left').textContent(), '9 recovery codes left');
    await onAccount.getByRole('button', { name: 'New recovery codes' }).click();
    await onAccount.getByLabel('Current password').fill(password);
    await onAccount.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await onAccount.getByLabel('Recovery code').fill(codes[0]!);
    await onAccount.getByRole('button', { name: 'Make new codes' }).click();
    await onAccount.getByText('Unknown or already used').waitFor();
    await onAccount.getByLabel('Recovery code').fill(codes[1]!);
    await onAccount.getByRole('button', { name: 'Make new codes' }).click();
    const newCodes = await recoveryCodesOnPage(again);
    assert.equal(newCodes.length, 10);
    assert.ok(!newCodes.some((code) => codes.includes(code)));
    await onAccount.getByRole('button', { name: 'I have saved them' }).click();
    await onAccount.getByText('10 recovery codes left').waitFor();

    // Changing the password ends every session: the portal asks for the new password and a code, and comes back.
    const newPassword = 'kettle-orbit-meadow';
    await again.getByLabel('Current password').fill(password);
    await again.getByLabel('New password', { exact: true }).fill(newPassword);
    await again.getByLabel('New password again').fill(newPassword);
    await again.getByRole('button', { name: 'Change password' }).click();
    await again.waitForURL(`${portalUrl}/login?next=%2Faccount`);
    await again.getByLabel('Email').fill(email);
    await again.getByLabel('Password', { exact: true }).fill(newPassword);
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByLabel('Code from your app').fill(await app.code());
    await again.getByRole('button', { name: 'Verify' }).click();
    await again.waitForURL(`${portalUrl}/account`);

    // Turned off from /account, with the password and a code.
    await onAccount.getByRole('button', { name: 'Turn off' }).click();
    await onAccount.getByLabel('Current password').fill(newPassword);
    await onAccount.getByLabel('Code from your app').fill(await app.code());
    await web.screenshotBothWidths(again, 'mfa-account-turn-off');
    await onAccount.getByRole('button', { name: 'Turn off two-step sign-in' }).click();
    await again.getByText('Two-step sign-in is off').first().waitFor();
    await onAccount.getByText('Off', { exact: true }).waitFor();
    await again.context().close();

    // The password alone signs in again.
    const plain = await web.signIn(email, { password: newPassword });
    await plain.context().close();
  });

  test('an admin resets another person\'s two-step sign-in from the user dialog: the password alone signs them in again', async () => {
    const email = 'lena@example.com';
    const password = 'violet orchard 77';
    await createReporter(email, 'Lena Lostphone', password);
    const lena = new ApiClient(platform.gatewayUrl);
    await lena.signIn(email, password);
    const setup = await lena.call<{ secret: string }>('POST', '/auth/mfa/setup', { currentPassword: password });
    assert.equal(setup.status, 200);
    const app = new Authenticator(setup.body.secret);
    assert.equal((await lena.call('POST', '/auth/mfa/enable', { code: await app.code() })).status, 200);
    assert.equal((await new ApiClient(platform.gatewayUrl).call('POST', '/auth/login', { email, password })).status, 401, 'a code is needed now');

    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/users' });
    await page.getByRole('row').filter({ hasText: 'Tom Twostep' }).getByRole('button', { name: 'Edit' }).click();
    await page.getByTestId('two-step-admin-state').filter({ hasText: 'off' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('row').filter({ hasText: 'Lena Lostphone' }).getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('two-step-admin-state').filter({ hasText: 'on' }).waitFor();
    await dialog.getByRole('button', { name: 'Reset two-step sign-in' }).click();
    await dialog.getByText('Reset Lena Lostphone\'s two-step sign-in?').waitFor();
    await web.screenshotBothWidths(page, 'mfa-admin-reset-confirm');
    await dialog.getByRole('button', { name: 'Reset', exact: true }).click();
    await page.getByText('Two-step sign-in reset for Lena Lostphone').waitFor();
    await dialog.getByTestId('two-step-admin-state').filter({ hasText: 'off' }).waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Reset two-step sign-in' }).count(), 0);
    await page.context().close();

    await waitFor('her sessions ended', async () => (await lena.call('GET', '/auth/mfa')).status === 401);
    const plain = await web.signIn(email, { password });
    await plain.context().close();
  });
});

describe('two-step sign-in required for admins (ADMIN_MFA=required)', () => {
  let web: PortalInBrowser;
  let portalUrl: string;

  before(async () => {
    web = await startPortalInBrowser({ platform: { identity: { ADMIN_MFA: 'required' } } });
    ({ portalUrl } = web);
  });
  after(() => web?.close());

  test('an admin without a factor sets one up at sign-in, saves the recovery codes and lands signed in; /account says it is required and cannot be turned off', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/users', expectLanding: false });
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    await assertQrCodeShown(page);
    const app = new Authenticator(await secretOnPage(page));
    await web.screenshotBothWidths(page, 'mfa-enrol-at-sign-in');
    await page.getByLabel('Code from your app').fill(app.wrongCode());
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await page.getByText('Does not match your authenticator app').waitFor();
    await page.getByLabel('Code from your app').fill(await app.code());
    await page.getByRole('button', { name: 'Turn on and sign in' }).click();
    await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
    assert.equal((await recoveryCodesOnPage(page)).length, 10);
    assert.equal(page.url(), `${portalUrl}/login?next=%2Fadmin%2Fusers`, 'the codes are shown before the portal moves on');
    await web.screenshotBothWidths(page, 'mfa-enrol-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them, continue' }).click();
    await page.waitForURL(`${portalUrl}/admin/users`);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();

    await page.goto(`${portalUrl}/account`);
    const section = page.getByTestId('two-step-section');
    await section.getByTestId('two-step-required').waitFor();
    assert.equal(await section.getByRole('button', { name: 'Turn off' }).isDisabled(), true);
    await web.screenshotBothWidths(page, 'mfa-account-required');
    await page.context().close();

    // The next sign-in asks for a code.
    const next = await web.signIn(ADMIN.email, { password: ADMIN.password, expectLanding: false });
    await next.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await next.getByLabel('Code from your app').fill(await app.code());
    await next.getByRole('button', { name: 'Verify' }).click();
    await next.waitForURL(`${portalUrl}/incidents`);
    await next.context().close();
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ApiClient } from './test-support/platform.js';
import { DESKTOP, PHONE, SCREENSHOTS, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The portal in English and German: a browser set to German gets German from the first page;
// a person's saved language wins over the browser's, is changed on the profile and holds after a
// reload; dates are written the German way; and German's long words fit a phone.

/** "12. März 2026, 14:05" or "3. Juni 2026, 09:30": a date as German writes it. */
const GERMAN_DATE = /\d{1,2}\. (Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez)\.? \d{4}/;

describe('the portal in English and German', { timeout: 600_000 }, () => {
  let web: PortalInBrowser;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
  });
  after(() => web?.close());

  /** A page in a browser context of its own whose languages are `locale` (Accept-Language and navigator.languages). */
  const pageIn = async (locale: string, width = DESKTOP.width): Promise<Page> => {
    const context = await web.browser.newContext({ locale, viewport: { width, height: DESKTOP.height } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    return page;
  };
  const shots = async (page: Page, name: string) => {
    if (!SCREENSHOTS) return;
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  };
  const lang = (page: Page) => page.evaluate<string>('document.documentElement.lang');

  test('when the browser asks for German, then sign-in, the list and an incident are German with German dates; English chosen on the profile is saved and holds after a reload', async () => {
    const page = await pageIn('de-DE');
    await page.goto(`${web.portalUrl}/incidents`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await lang(page), 'de');
    await shots(page, 'i18n-login-de');
    await web.assertFitsPhone(page, 'the German sign-in page');

    await page.getByLabel('E-Mail-Adresse').fill('reporter1.it@example.com');
    await page.getByLabel('Passwort', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${web.portalUrl}/incidents`, { waitUntil: 'commit', timeout: 60_000 });
    await page.getByRole('heading', { name: 'Vorfälle', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Vorfall melden' }).first().waitFor();
    assert.equal(await lang(page), 'de');
    await shots(page, 'i18n-list-de');
    await web.assertFitsPhone(page, 'the German incident list');

    // An incident of theirs: its details and dates in German.
    const first = page.locator('main a[href^="/incidents/INC-"]').first();
    await first.click();
    await page.waitForURL(/\/incidents\/INC-/);
    await page.getByRole('heading', { name: 'Unterhaltung' }).first().waitFor();
    await page.getByText('Meldende Person', { exact: true }).first().waitFor();
    const details = await page.locator('main').innerText();
    assert.match(details, GERMAN_DATE, 'dates are written the German way');
    await shots(page, 'i18n-incident-de');
    await web.assertFitsPhone(page, 'a German incident page');

    // The profile: English is chosen, saved to the account, and the portal turns English in place.
    await page.goto(`${web.portalUrl}/account`);
    await page.getByRole('heading', { name: 'Ihr Profil' }).waitFor();
    await shots(page, 'i18n-account-de');
    await web.assertFitsPhone(page, 'the German profile');
    await page.getByRole('combobox', { name: 'Sprache' }).click();
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await lang(page), 'en');
    const reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    assert.equal((await reporter.call<{ locale: string | null }>('GET', '/auth/me')).body.locale, 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    assert.equal(await lang(page), 'en');
    await page.context().close();
  });

  test('when a person has saved German and the browser is English, then the portal is German once they sign in', async () => {
    const staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    assert.equal((await staff.call('PUT', '/users/me/locale', { locale: 'de' })).status, 200);

    const page = await pageIn('en-US');
    await page.goto(`${web.portalUrl}/incidents`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await lang(page), 'en');
    await page.getByLabel('Email').fill('staff1.it@example.com');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${web.portalUrl}/incidents`, { waitUntil: 'commit', timeout: 60_000 });
    await page.getByRole('heading', { name: 'Vorfälle', exact: true }).waitFor();
    assert.equal(await lang(page), 'de');
    // The staff's menus too: the board and the header.
    await page.getByRole('link', { name: 'Board' }).first().click();
    await page.getByText('Vorfälle nach Status', { exact: false }).waitFor();
    await shots(page, 'i18n-board-de');
    await page.reload();
    await page.getByText('Vorfälle nach Status', { exact: false }).waitFor();
    assert.equal(await lang(page), 'de');
    await page.context().close();
  });
});

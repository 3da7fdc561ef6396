import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility, describeAxe } from './test-support/accessibility.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { PHONE, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// The frame around every signed-in page, driven in Chromium: the sidebar follows the role and
// remembers being collapsed, phones get a drawer, nested pages show breadcrumbs, the theme can be
// dark, and the keyboard reaches everything (command palette, `g` + letter, `c`, `?`).

describe('the portal shell', () => {
  let web: PortalInBrowser;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
  });
  after(() => web?.close());

  const sidebarLinks = async (page: Page) => page.getByTestId('sidebar').getByRole('link').allInnerTexts();
  const noSideways = async (page: Page) => assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= PHONE.width, 'the page is wider than the phone');

  test('when a reporter signs in, then the sidebar offers their places only, and the page has no serious accessibility violation', async (t: TestContext) => {
    const page = await web.signIn('reporter1.it@example.com');
    const links = (await sidebarLinks(page)).map((text) => text.split('\n')[0]!.trim());
    for (const place of ['Home', 'Incidents', 'Report incident', 'Notifications']) assert.ok(links.includes(place), `${place} missing from ${links.join(', ')}`);
    for (const place of ['Board', 'Analytics', 'Users', 'Audit']) assert.ok(!links.includes(place), `${place} offered to a reporter`);
    await page.getByTestId('sidebar').getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(/\/notifications$/);
    await page.getByRole('heading', { name: 'Notifications' }).first().waitFor();
    const axe = await checkAccessibility(page);
    t.diagnostic(describeAxe('notifications (reporter)', axe));
    assert.deepEqual(axe.blocking, []);
    await page.context().close();
  });

  test('when an admin collapses the sidebar, then it stays collapsed after a reload, and the administration is in it', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password });
    const sidebar = page.getByTestId('sidebar');
    for (const place of ['Users', 'Departments', 'Categories', 'SLA policies', 'Integrations', 'Mail', 'Audit', 'Board', 'Analytics']) await sidebar.getByRole('link', { name: place }).waitFor();
    await page.getByRole('button', { name: 'Collapse sidebar' }).click();
    assert.equal(await sidebar.getAttribute('data-collapsed'), 'true');
    await page.reload();
    await page.getByRole('button', { name: 'Expand sidebar' }).waitFor();
    assert.equal(await sidebar.getAttribute('data-collapsed'), 'true');
    // Icons keep their names for screen readers and as tooltips.
    await sidebar.getByRole('link', { name: 'Incidents' }).waitFor();
    await web.screenshot(page, 'shell-collapsed');
    await page.getByRole('button', { name: 'Expand sidebar' }).click();
    await page.context().close();
  });

  test('when a person on a phone opens the menu, then a drawer lists their places and following one closes it', async (t: TestContext) => {
    const page = await web.signIn('staff1.it@example.com', { width: PHONE.width });
    assert.equal(await page.getByTestId('sidebar').isVisible(), false);
    await page.getByRole('button', { name: 'Open menu' }).click();
    const drawer = page.getByTestId('mobile-drawer');
    await drawer.getByRole('link', { name: 'Board' }).waitFor();
    await web.screenshot(page, 'shell-drawer-phone');
    await drawer.getByRole('link', { name: 'Notifications' }).click();
    await page.waitForURL(/\/notifications$/);
    await drawer.waitFor({ state: 'detached' });
    await noSideways(page);
    const axe = await checkAccessibility(page);
    t.diagnostic(describeAxe('notifications (staff, phone)', axe));
    assert.deepEqual(axe.blocking, []);
    await page.context().close();
  });

  test('when a person opens a nested page, then breadcrumbs lead back', async () => {
    const page = await web.signIn('reporter1.it@example.com', { landing: '/incidents/new' });
    const trail = page.getByRole('navigation', { name: 'Breadcrumb' });
    await trail.getByText('Report incident').waitFor();
    await trail.getByRole('link', { name: 'Incidents' }).click();
    await page.waitForURL(/\/incidents$/);
    await page.context().close();
  });

  test('when a person picks the dark theme, then the portal turns dark and stays so after a reload', async (t: TestContext) => {
    const page = await web.signIn('manager.it@example.com', { landing: '/notifications' });
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.keyboard.press('Escape');
    await page.waitForFunction("document.documentElement.classList.contains('dark')");
    await page.reload();
    await page.waitForFunction("document.documentElement.classList.contains('dark')");
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    assert.notEqual(background, 'rgb(255, 255, 255)');
    const axe = await checkAccessibility(page);
    t.diagnostic(describeAxe('notifications (manager, dark)', axe));
    assert.deepEqual(axe.blocking, []);
    await web.screenshotBothWidths(page, 'shell-dark');
    await page.context().close();
  });

  test('when a person uses the keyboard, then the palette finds an incident by key, and shortcuts go places', async () => {
    const reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const { body: mine } = await reporter.call<{ items: { key: string; title: string }[] }>('GET', '/incidents?limit=1');
    const incident = mine.items[0]!;
    const page = await web.signIn('reporter1.it@example.com');

    await page.keyboard.press('Control+k');
    const palette = page.getByTestId('command-palette');
    await palette.getByRole('combobox').fill(String(Number(incident.key.replace('INC-', ''))));
    await palette.getByRole('option', { name: `Open ${incident.key}` }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/incidents/${incident.key}$`));
    await palette.waitFor({ state: 'detached' });

    await page.keyboard.press('Control+k');
    await palette.getByRole('combobox').fill('notif');
    await palette.getByRole('option', { name: 'Notifications' }).click();
    await page.waitForURL(/\/notifications$/);
    await palette.waitFor({ state: 'detached' });

    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await page.waitForURL(/\/incidents$/);
    await page.keyboard.press('c');
    await page.waitForURL(/\/incidents\/new$/);
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Shift+?');
    await page.getByTestId('shortcuts-help').getByText('Go to Notifications').waitFor();
    await page.keyboard.press('Escape');
    await page.context().close();
  });

  test('when a person edits their profile, then the new name shows everywhere and stays after a reload; theme and date format are on the same page', async (t: TestContext) => {
    const page = await web.signIn('reporter2.it@example.com', { landing: '/account' });
    for (const heading of ['Profile', 'Appearance and language', 'Password', 'Two-step sign-in', 'Notifications']) await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    const name = page.getByLabel('Full name');
    await name.fill('   ');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Must not be empty').waitFor();
    await name.fill('Renata Costa');
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByText('Name saved').waitFor();
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('menu').getByText('Renata Costa').waitFor();
    await page.keyboard.press('Escape');
    await page.getByLabel('Dates and times').click();
    await page.getByRole('option', { name: /PM$/ }).click();
    assert.match(await page.getByTestId('date-format-example').innerText(), /(AM|PM)/);
    await page.reload();
    assert.equal(await page.getByLabel('Full name').inputValue(), 'Renata Costa');
    await page.getByRole('radio', { name: 'System' }).waitFor();
    const axe = await checkAccessibility(page);
    t.diagnostic(describeAxe('profile (reporter)', axe));
    assert.deepEqual(axe.blocking, []);
    await web.screenshotBothWidths(page, 'profile');
    await page.setViewportSize(PHONE);
    await noSideways(page);
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { checkAccessibility, type AxeReport } from './test-support/accessibility.js';
import { tabTo } from './test-support/keyboard.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { PHONE, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Every page of the portal, as each role sees it, checked with axe-core in Chromium (WCAG 2.1 A
// and AA rules): no serious or critical violation. Then a person who uses no mouse files an
// incident, and someone of the department starts and resolves it, with the keyboard alone.
// `PORTAL_AXE_REPORT=<file>` writes the figures per page.

interface Visit {
  role: string;
  email: string;
  password: string;
  paths: string[];
}

describe('accessibility of the portal', () => {
  let web: PortalInBrowser;
  let reporterIncident: string;
  let staffIncident: string;
  const figures: { page: string; passes: number; violations: string[] }[] = [];

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    const reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    reporterIncident = (await reporter.call<{ items: { key: string }[] }>('GET', '/incidents?limit=1')).body.items[0]!.key;
    const staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    staffIncident = (await staff.call<{ items: { key: string }[] }>('GET', '/incidents?limit=1')).body.items[0]!.key;
  });
  after(async () => {
    if (process.env.PORTAL_AXE_REPORT) writeFileSync(process.env.PORTAL_AXE_REPORT, JSON.stringify(figures, null, 2));
    await web?.close();
  });

  async function settle(page: Page): Promise<void> {
    await page
      .locator('main h1')
      .first()
      .waitFor()
      .catch(async (error: unknown) => {
        // Say where the page is and what it shows (sent to sign in? an error? still loading?).
        const shown = await page.locator('body').innerText().catch(() => '');
        throw new Error(`no heading at ${page.url()} within 20 s; the page shows: ${JSON.stringify(shown.slice(0, 400))}`, { cause: error });
      });
    // Loading placeholders gone: the page as people read it.
    await page.waitForFunction("!document.querySelector('main [aria-busy=\"true\"]')", undefined, { timeout: 15_000 }).catch(() => undefined);
  }

  async function audit(t: TestContext, page: Page, name: string): Promise<AxeReport> {
    const report = await checkAccessibility(page);
    figures.push({ page: name, passes: report.passes, violations: report.violations.map((violation) => `${violation.id} (${violation.impact})`) });
    t.diagnostic(`axe ${name}: ${report.passes} rules passed, ${report.violations.length} violations${report.violations.length ? `: ${report.violations.map((violation) => `${violation.id} (${violation.impact}) ${violation.html}`).join('; ')}` : ''}`);
    return report;
  }

  const visits = (): Visit[] => [
    { role: 'reporter', email: 'reporter1.it@example.com', password: DEMO_PASSWORD, paths: ['/', '/incidents', '/incidents/new', `/incidents/${reporterIncident}`, '/notifications', '/account'] },
    { role: 'staff', email: 'staff1.it@example.com', password: DEMO_PASSWORD, paths: ['/', '/incidents', '/incidents/board', `/incidents/${staffIncident}`] },
    { role: 'manager', email: 'manager.it@example.com', password: DEMO_PASSWORD, paths: ['/', '/incidents/board', '/analytics', `/incidents/${staffIncident}`] },
    {
      role: 'admin',
      email: ADMIN.email,
      password: ADMIN.password,
      paths: ['/', '/admin/users', '/admin/departments', '/admin/categories', '/admin/sla', '/admin/integrations', '/admin/mail', '/admin/events', '/admin/audit', '/analytics'],
    },
  ];

  for (const role of ['reporter', 'staff', 'manager', 'admin']) {
    test(`every page a ${role} uses has no serious or critical accessibility violation (desktop and phone)`, async (t) => {
      const visit = visits().find((candidate) => candidate.role === role)!;
      const page = await web.signIn(visit.email, { password: visit.password, landing: visit.paths[0]! });
      const blocking: string[] = [];
      for (const path of visit.paths) {
        for (const width of [1440, PHONE.width]) {
          await page.setViewportSize({ width, height: 900 });
          await page.goto(`${web.portalUrl}${path}`);
          await settle(page);
          const report = await audit(t, page, `${role} ${path} @${width}`);
          blocking.push(...report.blocking.map((violation) => `${path} @${width}: ${violation.id} — ${violation.help} — ${violation.html}`));
        }
      }
      assert.deepEqual(blocking, []);
      await page.context().close();
    });
  }

  test('a person without a mouse files an incident, and staff start and resolve it, with the keyboard alone', async () => {
    const title = `Keyboard only ${Date.now()}`;
    const reporter = await web.newPage();
    await reporter.goto(`${web.portalUrl}/login`);
    await tabTo(reporter, 'Email');
    await reporter.keyboard.type('reporter2.it@example.com');
    await tabTo(reporter, 'Password');
    await reporter.keyboard.type(DEMO_PASSWORD);
    await reporter.keyboard.press('Enter');
    await reporter.waitForURL(/\/(incidents)?$/);
    await reporter.keyboard.press('c');
    await reporter.waitForURL(/\/incidents\/new$/);
    await tabTo(reporter, 'Category');
    await reporter.keyboard.press('Enter');
    await reporter.getByRole('listbox').waitFor();
    await reporter.keyboard.press('ArrowDown');
    await reporter.keyboard.press('Enter');
    await tabTo(reporter, 'Title');
    await reporter.keyboard.type(title);
    await tabTo(reporter, 'Description');
    await reporter.keyboard.type('Typed without a mouse.');
    await tabTo(reporter, /^Report incident$/);
    await reporter.keyboard.press('Enter');
    await reporter.waitForURL(/\/incidents\/INC-\d+$/);
    const key = reporter.url().split('/').at(-1)!;

    const staff = await web.newPage();
    await staff.goto(`${web.portalUrl}/login`);
    await tabTo(staff, 'Email');
    await staff.keyboard.type('staff1.it@example.com');
    await tabTo(staff, 'Password');
    await staff.keyboard.type(DEMO_PASSWORD);
    await staff.keyboard.press('Enter');
    await staff.waitForURL(/\/(incidents)?$/);
    await staff.keyboard.press('Control+k');
    await staff.keyboard.type(String(Number(key.replace('INC-', ''))));
    await staff.getByRole('option', { name: `Open ${key}` }).waitFor();
    await staff.keyboard.press('Enter');
    await staff.waitForURL(new RegExp(`/incidents/${key}$`));
    await staff.getByTestId('command-palette').waitFor({ state: 'detached' });
    await staff.locator('main h1').first().waitFor();

    for (const [action, note] of [['Start work', ''], ['Resolve', 'Restarted the service; works again.']] as const) {
      await tabTo(staff, action);
      await staff.keyboard.press('Enter');
      const dialog = staff.getByRole('dialog');
      await dialog.waitFor();
      if (note) await staff.keyboard.type(note);
      await tabTo(staff, new RegExp(`^${action}$`));
      await staff.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
    }
    const api = new ApiClient(web.platform.gatewayUrl);
    await api.signIn('reporter2.it@example.com', DEMO_PASSWORD);
    const { body } = await api.call<{ status: string; title: string }>('GET', `/incidents/${key}`);
    assert.equal(body.title, title);
    assert.equal(body.status, 'RESOLVED');
    await reporter.context().close();
    await staff.context().close();
  });
});

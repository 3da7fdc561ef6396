import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// Each role's home dashboard in a real browser against the real platform,
// seeded with the demo organisation: figures counted by the API, each a link to the list holding
// exactly what it counts; assignment from the manager's workload; and nothing wider than a phone
// at 390 px. The analytics charts: portal-analytics.test.ts.

const WIDE = { width: 1440, height: 900 };

describe('home dashboards in a browser', () => {
  let web: PortalInBrowser;
  let portalUrl: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ portalUrl } = web);
  });
  after(() => web?.close());

  const signIn = async (email: string, password = DEMO_PASSWORD, landing = '/') => {
    const page = await web.signIn(email, { password, landing, width: WIDE.width });
    await page.setViewportSize(WIDE);
    return page;
  };

  /** Every figure on the page has its number (none still counting). */
  const figuresCounted = async (page: Page) => {
    await page.getByTestId('dashboard-figure').first().waitFor();
    await waitFor('every figure to be counted', async () => {
      const figures = await page.getByTestId('dashboard-figure').count();
      const counted = await page.getByTestId('figure-count').count();
      return figures > 0 && figures === counted;
    }, { timeoutMs: 15_000 });
  };

  const figureCount = async (page: Page, label: string) => Number((await page.locator(`[data-figure="${label}"] [data-testid="figure-count"]`).innerText()).replace(/[,+]/g, ''));

  /** How many incidents the list on screen shows (one page of 25 at most, so figures stay small). */
  const listed = async (page: Page, expected: number) => {
    if (expected === 0) {
      await page.getByText('No incidents match these filters').waitFor();
      return 0;
    }
    await page.getByTestId('incident-row').first().waitFor();
    return page.getByTestId('incident-row').count();
  };

  /** Follows a figure's link: the list opens with the filter in its address, holding as many incidents as the figure said. */
  const followFigure = async (page: Page, label: string, expectedQuery: RegExp) => {
    const count = await figureCount(page, label);
    assert.ok(count < 25, `${label}: the demo keeps figures within one page`);
    await page.locator(`[data-figure="${label}"]`).click();
    await page.waitForURL(expectedQuery);
    assert.equal(await listed(page, count), count, `the list behind “${label}” holds ${count}`);
    return count;
  };

  const noOverflowAtPhoneWidth = (page: Page, what: string) => web.assertFitsPhone(page, what, WIDE);
  const screenshots = (page: Page, name: string) => web.screenshotBothWidths(page, name, WIDE);

  test('a reporter lands on their dashboard: open incidents by status, the latest updates, and the way to report', async () => {
    const page = await signIn('reporter1.it@example.com');
    await page.getByRole('link', { name: 'Report an incident' }).first().waitFor();
    await figuresCounted(page);
    assert.equal(await page.getByTestId('dashboard-figure').count(), 3);
    await page.getByRole('list', { name: 'Latest updates on my incidents' }).or(page.getByText('Nothing under way')).first().waitFor();
    await screenshots(page, 'dashboard-reporter');
    await noOverflowAtPhoneWidth(page, 'the reporter’s dashboard');

    await followFigure(page, 'Being worked on', /\/incidents\?status=IN_PROGRESS$/);
    await page.goto(`${portalUrl}/`);
    await figuresCounted(page);
    await followFigure(page, 'Waiting for someone', /\/incidents\?status=OPEN$/);
  });

  test('staff see their queue, the department’s unassigned incidents and what is due or late; a figure leads to exactly its list', async () => {
    const page = await signIn('staff1.it@example.com');
    await figuresCounted(page);
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    assert.equal(await page.getByTestId('dashboard-figure').count(), 4);
    await screenshots(page, 'dashboard-staff');
    await noOverflowAtPhoneWidth(page, 'the staff dashboard');

    const mine = await followFigure(page, 'Assigned to me', /assignee=me/);
    assert.ok(mine > 0, 'the demo assigns incidents to staff1');
    await page.goto(`${portalUrl}/`);
    await figuresCounted(page);
    await followFigure(page, 'Unassigned in IT', /status=OPEN%2CIN_PROGRESS&assignee=unassigned/);
  });

  test('a manager sees the department by status, priority and risk, assigns an unassigned incident from the workload panel, and the figures follow', async () => {
    const page = await signIn('manager.it@example.com');
    await figuresCounted(page);
    await page.getByRole('heading', { name: 'Workload' }).waitFor();
    await page.getByRole('img', { name: /incidents created and resolved per day/ }).waitFor();
    const unassignedBefore = await figureCount(page, 'Unassigned');
    assert.ok(unassignedBefore > 0, 'the demo leaves some incidents unassigned');
    const daniel = page.locator('[data-testid="workload-count"]').first();
    const person = (await daniel.getAttribute('data-person'))!;
    await waitFor('the first person’s workload to be counted', async () => !(await daniel.innerText()).includes('…'));
    const loadBefore = Number(await daniel.innerText());
    await screenshots(page, 'dashboard-manager');
    await noOverflowAtPhoneWidth(page, 'the manager’s dashboard');

    const row = page.getByTestId('assign-row').first();
    await row.getByRole('combobox').click();
    await page.getByRole('option', { name: new RegExp(`^${person}`) }).click();
    await page.getByText(new RegExp(`assigned to ${person}\\.`)).waitFor();
    await waitFor('the figures to follow the assignment', async () => (await figureCount(page, 'Unassigned')) === unassignedBefore - 1 && Number(await daniel.innerText()) === loadBefore + 1, { timeoutMs: 10_000 });

    // The person's figure leads to their list, holding as many as it says.
    await daniel.click();
    await page.waitForURL(/assignee=[0-9a-f-]{36}/);
    assert.equal(await listed(page, loadBefore + 1), loadBefore + 1);
    await page.getByRole('combobox', { name: 'Assignee' }).filter({ hasText: `Assigned to ${person}` }).waitFor();
  });

  test('an admin sees open and breached incidents per department, people and platform health, and recent changes; a department’s figure leads to its list', async () => {
    const page = await signIn(ADMIN.email, ADMIN.password);
    await figuresCounted(page);
    for (const name of ['IT', 'Facilities', 'HR']) await page.locator(`[data-testid="department-row"][data-department="${name}"]`).waitFor();
    await page.getByRole('heading', { name: 'Recent administrative changes' }).waitFor();
    await page.getByRole('list', { name: 'Event and mail health' }).getByRole('link').first().waitFor();
    await waitFor('every department to be counted', async () => !(await page.getByTestId('department-count').allInnerTexts()).some((text) => text.includes('…')));
    await screenshots(page, 'dashboard-admin');
    await noOverflowAtPhoneWidth(page, 'the admin dashboard');

    // Active people: the count of everyone active, as GET /users/count gives it.
    const api = new ApiClient(web.platform.gatewayUrl);
    await api.signIn(ADMIN.email, ADMIN.password);
    const active = await api.call<{ count: number; capped: boolean }>('GET', '/users/count?isActive=true');
    assert.equal(active.status, 200);
    const people = page.getByTestId('admin-stat').filter({ hasText: 'Active people' });
    await people.filter({ hasText: String(active.body.count) }).waitFor();
    assert.ok(active.body.count >= 16, `the demo's people and the admin are counted (${active.body.count})`);

    const openInIt = page.getByRole('link', { name: /^Open in IT: / });
    const count = Number(await openInIt.innerText());
    await openInIt.click();
    await page.waitForURL(/status=OPEN%2CIN_PROGRESS&department=[0-9a-f-]{36}/);
    await page.getByText('Department: IT').waitFor();
    assert.equal(await listed(page, count), count);
  });
});

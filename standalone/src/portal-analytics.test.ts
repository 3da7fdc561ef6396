import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The analytics page in a real browser against the demo organisation: each figure a Recharts
// chart named for assistive technology, with a table view, and nothing wider than a phone.

const WIDE = { width: 1440, height: 900 };

describe('analytics charts in a browser', () => {
  let web: PortalInBrowser;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
  });
  after(() => web?.close());

  const noOverflowAtPhoneWidth = (page: Page, what: string) => web.assertFitsPhone(page, what, WIDE);
  const screenshots = (page: Page, name: string) => web.screenshotBothWidths(page, name, WIDE);

  test('the analytics page draws its figures as charts, each with a table, and fits a phone', async () => {
    for (const [email, password, name] of [['manager.it@example.com', DEMO_PASSWORD, 'manager'], [ADMIN.email, ADMIN.password, 'admin']] as const) {
      const page = await web.signIn(email, { password, landing: '/analytics', width: WIDE.width });
      await page.getByRole('heading', { name: 'Analytics' }).waitFor();
      const charts = page.getByTestId('chart-card');
      await waitFor('the charts', async () => (await charts.count()) >= (name === 'admin' ? 6 : 5));
      await page.getByRole('img', { name: /Bar chart of incidents created and resolved/ }).waitFor();
      await page.getByRole('img', { name: /incidents by status/ }).waitFor();
      await page.getByRole('img', { name: /open work by person/ }).waitFor();
      const workload = charts.filter({ hasText: 'Open work by person' });
      await workload.getByRole('button', { name: 'Table' }).click();
      await workload.getByRole('columnheader', { name: 'Past target' }).waitFor();
      await charts.filter({ hasText: 'Incidents by status' }).getByRole('button', { name: 'Table' }).click();
      await page.getByRole('table', { name: 'Incidents by status' }).or(page.getByRole('cell', { name: 'Open', exact: true })).first().waitFor();
      await screenshots(page, `analytics-${name}`);
      await noOverflowAtPhoneWidth(page, `the analytics page (${name}, tables shown)`);
    }
  });

  test('customer satisfaction: an empty state before any rating, then CSAT and the average per week with tables per department, category and assignee', async () => {
    const page = await web.signIn('manager.it@example.com', { password: DEMO_PASSWORD, landing: '/analytics', width: WIDE.width });
    await page.getByRole('heading', { name: 'Customer satisfaction' }).waitFor();
    await page.getByText('No ratings in this window').waitFor();

    // A reporter rates a resolved incident (PUT /incidents/{id}/satisfaction); the page follows the change.
    const reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    const categories = await reporter.call<{ items: { id: string; name: string }[] }>('GET', '/categories');
    const filed = await reporter.call<{ id: string }>('POST', '/incidents', { title: 'Docking station drops the second screen', description: 'For the CSAT chart.', categoryId: categories.body.items[0]!.id });
    assert.equal(filed.status, 201);
    for (const status of ['IN_PROGRESS', 'RESOLVED']) assert.equal((await staff.call('PATCH', `/incidents/${filed.body.id}`, { status })).status, 200);
    assert.equal((await reporter.call('PUT', `/incidents/${filed.body.id}/satisfaction`, { rating: 5, comment: 'Quick and friendly.' })).status, 200);

    await page.reload();
    const satisfaction = page.getByTestId('satisfaction');
    await satisfaction.getByRole('img', { name: /CSAT score and the average rating per week/ }).waitFor();
    await satisfaction.getByText(/1 rating in the window: CSAT 100%/).waitFor();
    await satisfaction.getByRole('cell', { name: 'IT' }).first().waitFor();
    await satisfaction.getByRole('tab', { name: 'Assignees' }).click();
    await satisfaction.getByRole('columnheader', { name: 'Assignee' }).waitFor();
    await page.getByRole('heading', { name: 'Customer satisfaction' }).scrollIntoViewIfNeeded();
    await screenshots(page, 'analytics-satisfaction');
    await noOverflowAtPhoneWidth(page, 'the analytics page with satisfaction');
  });
});

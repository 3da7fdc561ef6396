import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ADMIN } from './test-support/platform.js';
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
});

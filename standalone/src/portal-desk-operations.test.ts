import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { DEMO_PASSWORD } from './config.js';
import { checkAccessibility, describeAxe } from './test-support/accessibility.js';
import { ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// Desk operations in a real browser: a reporter rates impact and urgency and sees the priority the
// matrix gives; staff ask the reporter something, and the incident shows as waiting in the list, on
// the board and on its page; the reporter's reply ends the wait; the timeline tells each step.

describe('desk operations in the portal', () => {
  let web: PortalInBrowser;
  let reporterApi: ApiClient;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    reporterApi = new ApiClient(web.platform.gatewayUrl);
    await reporterApi.signIn('reporter1.it@example.com', DEMO_PASSWORD);
  });
  after(() => web?.close());

  test('a reporter rates impact and urgency, sees the priority they give, and the incident is filed with it', async (t) => {
    const page = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: '/incidents/new' });
    await page.getByTestId('derived-priority').getByText('Medium').waitFor();
    await page.getByRole('combobox', { name: 'Who is affected? (impact)' }).click();
    await page.getByRole('option', { name: /^High/ }).click();
    await page.getByRole('combobox', { name: 'How pressing is it? (urgency)' }).click();
    await page.getByRole('option', { name: /^High/ }).click();
    await page.getByTestId('derived-priority').getByText('Critical').waitFor();
    const report = await checkAccessibility(page);
    t.diagnostic(describeAxe('report form', report));
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(page, 'report-impact-urgency');
    await web.assertFitsPhone(page, 'the report form with impact and urgency');
    await page.getByLabel('Title').fill(`Payroll export fails for everyone ${Date.now()}`);
    await page.getByLabel('Description').fill('The export button spins and never finishes.');
    await page.getByRole('combobox', { name: 'Category' }).click();
    await page.getByRole('option', { name: 'Software' }).click();
    await page.getByRole('button', { name: 'Report incident' }).click();
    await page.waitForURL(/\/incidents\/INC-\d+$/);
    const key = page.url().split('/').pop()!;
    const filed = (await reporterApi.call<{ priority: string; impact: string; urgency: string }>('GET', `/incidents/${key}`)).body;
    assert.deepEqual([filed.priority, filed.impact, filed.urgency], ['CRITICAL', 'HIGH', 'HIGH']);
    await page.context().close();
  });

  test('staff ask the reporter; the incident waits in the list, on the board and on its page; the reply ends the wait', async (t) => {
    const filed = await reporterApi.call<{ id: string; key: string }>('POST', '/incidents', {
      title: `Printer on floor 3 prints blank pages ${Date.now()}`,
      description: 'Every page comes out empty.',
      categoryId: (await reporterApi.call<{ items: { id: string; name: string }[] }>('GET', '/categories')).body.items.find((category) => category.name === 'Hardware')!.id,
      impact: 'MEDIUM',
      urgency: 'LOW',
    });
    assert.equal(filed.status, 201);
    const { key } = filed.body;

    const staff = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${key}` });
    await staff.getByTestId('incident-actions').getByRole('button', { name: 'Start work' }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Start work', exact: true }).click();
    await staff.getByTestId('incident-details').locator('[data-status="IN_PROGRESS"]').waitFor();
    await staff.getByTestId('incident-actions').getByRole('button', { name: 'Ask the reporter' }).click();
    const dialog = staff.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Ask and wait' }).click();
    await dialog.getByText('Say what you need from the reporter.').waitFor();
    await dialog.getByLabel('What do you need from them?').fill('Which tray did you print from, and does a test page come out blank too?');
    await dialog.getByRole('button', { name: 'Ask and wait' }).click();
    const banner = staff.getByTestId('waiting-banner');
    await banner.getByText('Which tray did you print from').waitFor();
    await banner.getByText('The resolution clock is paused until the reporter answers.').waitFor();
    await staff.getByText('asked the reporter; the resolution clock is paused until they answer').first().waitFor();
    // The page itself, not the toast of what was just done (it goes after a few seconds).
    await staff.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    const report = await checkAccessibility(staff);
    t.diagnostic(describeAxe('incident waiting (staff)', report));
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(staff, 'incident-waiting-staff');
    await web.assertFitsPhone(staff, 'the incident page while waiting');

    // The list and the board say so too.
    await staff.goto(`${web.portalUrl}/incidents?q=${encodeURIComponent('blank pages')}`);
    await staff.getByRole('row').filter({ hasText: key }).getByText('Waiting on reporter').waitFor();
    await web.screenshotBothWidths(staff, 'list-waiting');
    await staff.goto(`${web.portalUrl}/incidents/board?q=${encodeURIComponent('blank pages')}`);
    await staff.locator('[data-testid="board-card"]').filter({ hasText: key }).getByText('Waiting on reporter').waitFor();
    await web.screenshotBothWidths(staff, 'board-waiting');
    await staff.context().close();

    // The reporter is asked, answers in the conversation, and the clock runs again.
    const reporter = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${key}` });
    await reporter.getByTestId('waiting-banner').getByText('The team needs your answer to go on').waitFor();
    await web.screenshotBothWidths(reporter, 'incident-waiting-reporter');
    await reporter.getByLabel('Comment').fill('Tray 2; the test page is blank too.');
    await reporter.getByRole('button', { name: 'Comment', exact: true }).click();
    await reporter.getByTestId('waiting-banner').waitFor({ state: 'detached' });
    await reporter.getByText('The reporter replied; the resolution clock runs again').waitFor();
    const after = await waitFor('the wait ended', async () => {
      const incident = (await reporterApi.call<{ waiting: unknown; resolutionDueAt: string | null }>('GET', `/incidents/${key}`)).body;
      return incident.waiting === null && incident.resolutionDueAt ? incident : undefined;
    });
    assert.ok(after.resolutionDueAt);
    await reporter.context().close();
  });
});

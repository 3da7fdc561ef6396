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

  test('an admin keeps the desk: a calendar (a wrong time zone refused on its field), a department on it, the priority matrix, a category routed in turn', async (t) => {
    const page = await web.signIn('admin@example.com', { password: 'admin-password', landing: '/admin/calendars' });
    await page.getByText('Berlin office hours').first().waitFor();
    await page.getByRole('button', { name: 'New calendar' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Lisbon support');
    await dialog.getByLabel('Time zone').fill('Europe/Lisbonn');
    await dialog.getByLabel('Saturday').fill('10:00-14:00');
    await dialog.getByLabel('Holidays').fill('2026-12-25 Christmas Day');
    await dialog.getByLabel('Closures').fill('2026-12-31T12:00+00:00 2027-01-01T23:00+00:00 Year-end closure');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Is not a known time zone: Europe/Lisbonn.').waitFor();
    await dialog.getByLabel('Monday').fill('09:00-13:00, 12:00-17:00');
    await dialog.getByLabel('Time zone').fill('Europe/Lisbon');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Overlaps other working hours of the same day.').waitFor();
    await dialog.getByLabel('Monday').fill('09:00-13:00, 14:00-17:00');
    await web.screenshot(page, 'calendar-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Lisbon support saved').waitFor();
    await page.getByRole('combobox', { name: 'HR' }).click();
    await page.getByRole('option', { name: 'Lisbon support' }).click();
    const toast = page.locator('[data-sonner-toast]').filter({ hasText: 'HR’s calendar set; its open incidents are counted again' });
    await toast.waitFor();
    // A toast under the pointer stays: move it away so the toast goes.
    await page.mouse.move(5, 5);
    await toast.waitFor({ state: 'detached', timeout: 20_000 });
    const report = await checkAccessibility(page);
    t.diagnostic(describeAxe('calendars', report));
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(page, 'calendars');
    await web.assertFitsPhone(page, 'the calendars page');
    const admin = new ApiClient(web.platform.gatewayUrl);
    await admin.signIn('admin@example.com', 'admin-password');
    const lisbon = (await admin.call<{ items: { name: string; timeZone: string; week: Record<string, { start: string; end: string }[]>; closures: { from: string; to: string; reason?: string }[]; departmentIds: string[] }[] }>('GET', '/calendars')).body.items.find((calendar) => calendar.name === 'Lisbon support')!;
    assert.deepEqual(lisbon.closures, [{ from: '2026-12-31T12:00:00+00:00', to: '2027-01-01T23:00:00+00:00', reason: 'Year-end closure' }]);
    assert.equal(lisbon.timeZone, 'Europe/Lisbon');
    assert.deepEqual(lisbon.week.monday, [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '17:00' }]);
    assert.equal(lisbon.departmentIds.length, 1);

    await page.goto(`${web.portalUrl}/admin/priority-matrix`);
    await page.getByRole('combobox', { name: 'Priority for low impact and low urgency' }).click();
    await page.getByRole('option', { name: 'Medium' }).click();
    await page.getByRole('button', { name: 'Save matrix' }).click();
    await page.getByText('Priority matrix saved').waitFor();
    await web.screenshotBothWidths(page, 'priority-matrix');
    assert.equal((await admin.call<{ matrix: { LOW: { LOW: string } } }>('GET', '/priority-matrix')).body.matrix.LOW.LOW, 'MEDIUM');

    await page.goto(`${web.portalUrl}/admin/categories`);
    await page.getByRole('button', { name: 'Routing of Hardware: The manager assigns' }).click();
    const routing = page.getByRole('dialog');
    await routing.getByRole('combobox', { name: 'Assignment' }).click();
    await page.getByRole('option', { name: 'Round robin' }).click();
    await routing.getByLabel('Most open incidents per person').fill('many');
    await routing.getByRole('button', { name: 'Save' }).click();
    await routing.getByText('A whole number of incidents, or empty for no cap.').waitFor();
    await routing.getByLabel('Most open incidents per person').fill('10');
    await web.screenshot(page, 'routing-dialog');
    await routing.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Hardware: round robin').waitFor();
    const hardware = (await admin.call<{ items: { name: string; assignment: string; maxOpenPerPerson: number | null }[] }>('GET', '/categories')).body.items.find((category) => category.name === 'Hardware')!;
    assert.deepEqual([hardware.assignment, hardware.maxOpenPerPerson], ['round_robin', 10]);
    await page.context().close();
  });

  test('staff switch themselves away in the account menu; their manager sees it and switches them back', async () => {
    const staff = await web.signIn('staff2.it@example.com', { password: DEMO_PASSWORD });
    await staff.getByRole('button', { name: 'Account menu' }).click();
    await staff.getByRole('menuitemcheckbox', { name: 'Available for new incidents' }).click();
    await staff.getByText('You are away: no new incidents come to you').waitFor();
    await staff.context().close();
    const manager = await web.signIn('manager.it@example.com', { password: DEMO_PASSWORD, landing: '/' });
    await manager.getByRole('heading', { name: 'Team availability' }).waitFor();
    const row = manager.getByRole('listitem').filter({ hasText: /open · away$/ });
    await row.first().waitFor();
    await web.screenshotBothWidths(manager, 'team-availability');
    await row.first().getByRole('switch').click();
    await manager.getByText(/is available$/).waitFor();
    await manager.context().close();
  });
});

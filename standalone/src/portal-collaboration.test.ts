import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility } from './test-support/accessibility.js';
import { ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Working together in a real browser: a reporter adds a colleague as a watcher, who then finds
// the incident among what they watch; staff mention the reporter from the @ list and link a
// second report as a child; the manager declares a major incident and posts an update, which
// the child's reporter sees in the banner; the incident closes only after its review.

describe('collaboration in the portal', () => {
  let web: PortalInBrowser;
  let major: { id: string; key: string };
  let child: { id: string; key: string };

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    const lukas = new ApiClient(web.platform.gatewayUrl);
    await lukas.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const emma = new ApiClient(web.platform.gatewayUrl);
    await emma.signIn('reporter2.it@example.com', DEMO_PASSWORD);
    const categories = await lukas.call<{ items: { id: string; departmentId: string }[] }>('GET', '/categories');
    const categoryId = categories.body.items[0]!.id;
    const filed = await lukas.call<{ id: string; key: string }>('POST', '/incidents', { title: 'Mail does not arrive', description: 'No new mail since 9:00; sending hangs.', categoryId });
    assert.equal(filed.status, 201);
    major = filed.body;
    const second = await emma.call<{ id: string; key: string }>('POST', '/incidents', { title: 'Outlook says disconnected', description: 'Since this morning Outlook shows "disconnected".', categoryId });
    assert.equal(second.status, 201);
    child = second.body;
  });
  after(async () => {
    await web?.close();
  });

  test('a reporter adds a colleague as a watcher, who then finds it among what they watch', async () => {
    const page = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${major.key}` });
    const card = page.getByTestId('watchers-card');
    await card.getByText('Nobody watches it yet.').waitFor();
    await card.getByLabel('Add a colleague').fill('Emma');
    await card.getByRole('button', { name: /Emma Johansson/ }).click();
    await page.getByText(`Emma Johansson watches ${major.key} now`).waitFor();
    await card.getByRole('list', { name: 'Watchers' }).getByText('Emma Johansson').waitFor();
    await page.getByTestId('timeline-entry').filter({ hasText: 'added Emma Johansson as a watcher' }).waitFor();
    await page.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual((await checkAccessibility(page)).blocking, []);
    await web.screenshotBothWidths(page, 'collaboration-watchers');

    const emma = await web.signIn('reporter2.it@example.com', { password: DEMO_PASSWORD, landing: '/incidents?watching=true' });
    await emma.getByRole('link', { name: 'Mail does not arrive' }).first().waitFor();
    await emma.getByRole('link', { name: 'Mail does not arrive' }).first().click();
    await emma.getByTestId('incident-title').filter({ hasText: 'Mail does not arrive' }).waitFor();
    await emma.getByTestId('watchers-card').getByRole('button', { name: 'Stop watching' }).click();
    // No longer a watcher, and not its reporter: the incident is gone for her.
    await emma.getByText(`${major.key} was not found`).waitFor();
  });

  test('staff mention the reporter from the @ list, and link the colleague\'s report as a child', async () => {
    const page = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${major.key}` });
    const box = page.getByPlaceholder(/Write a comment/);
    await box.click();
    await box.pressSequentially('Thanks @Luk');
    const options = page.getByRole('listbox', { name: 'People to mention' });
    await options.getByRole('option', { name: /Lukas Weber/ }).waitFor();
    await box.press('Enter');
    await box.pressSequentially('we are on it.');
    assert.equal(await box.inputValue(), 'Thanks @Lukas Weber we are on it.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByTestId('comment').filter({ hasText: 'we are on it.' }).getByTestId('mention').filter({ hasText: '@Lukas Weber' }).waitFor();

    const links = page.getByTestId('links-card');
    await links.getByLabel('This incident is…').click();
    await page.getByRole('option', { name: 'The parent of' }).click();
    await links.getByLabel('Other incident', { exact: true }).fill(child.key);
    await links.getByRole('button', { name: 'Link', exact: true }).click();
    await links.getByRole('link', { name: child.key }).waitFor();
    const itself = links.getByLabel('Other incident', { exact: true });
    await itself.fill(major.key);
    await links.getByRole('button', { name: 'Link', exact: true }).click();
    await links.getByRole('alert').filter({ hasText: 'cannot be linked to itself' }).waitFor();
    await itself.fill('');
    await page.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual((await checkAccessibility(page)).blocking, []);
    await web.screenshotBothWidths(page, 'collaboration-staff');
  });

  test('the manager declares a major incident and posts an update; the child\'s reporter sees the banner; it closes only after the review', async () => {
    const page = await web.signIn('manager.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${major.key}` });
    await page.getByRole('button', { name: 'Declare major incident' }).click();
    await page.getByLabel('Summary for the people affected').fill('Mail is down for everyone. Use Teams meanwhile.');
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    const card = page.getByTestId('major-incident');
    await card.getByText('Mail is down for everyone. Use Teams meanwhile.').waitFor();
    await page.getByTestId('major-badge').first().waitFor();
    await card.getByLabel('Status update', { exact: true }).fill('The mail relay is restarting; next update at 11:30.');
    await card.getByRole('button', { name: 'Post update' }).click();
    await card.getByRole('list').getByText('The mail relay is restarting; next update at 11:30.').waitFor();
    await page.getByTestId('major-banner').getByText('Mail does not arrive').waitFor({ timeout: 70_000 }).catch(async () => {
      await page.reload();
      await page.getByTestId('major-banner').getByText('Mail does not arrive').waitFor();
    });
    await page.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.deepEqual((await checkAccessibility(page)).blocking, []);
    await web.screenshotBothWidths(page, 'collaboration-major');

    // The colleague reported a child of it: the banner, leading to their own incident.
    const emma = await web.signIn('reporter2.it@example.com', { password: DEMO_PASSWORD, landing: '/incidents' });
    const banner = emma.getByTestId('major-banner');
    await banner.getByText('The mail relay is restarting; next update at 11:30.').waitFor();
    await banner.getByRole('link', { name: `Your incident ${child.key}` }).waitFor();
    await web.screenshotBothWidths(emma, 'collaboration-banner');

    // Resolving it resolves the child; closing waits for the review.
    const staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    assert.equal((await staff.call('PATCH', `/incidents/${major.id}`, { status: 'IN_PROGRESS' })).status, 200);
    assert.equal((await staff.call('PATCH', `/incidents/${major.id}`, { status: 'RESOLVED', reason: 'Relay certificate renewed' })).status, 200);
    assert.equal((await staff.call<{ status: string }>('GET', `/incidents/${child.id}`)).body.status, 'RESOLVED');
    await page.reload();
    const review = page.getByRole('form', { name: 'Post-incident review' });
    await review.getByLabel('What happened', { exact: true }).fill('The mail relay certificate expired at 9:00.');
    await review.getByLabel('Impact', { exact: true }).fill('Nobody could send or receive mail for two hours.');
    await review.getByLabel('Follow-ups', { exact: true }).fill('Alert 30 days before certificates expire (IT, this week).');
    await review.getByRole('button', { name: 'Save review' }).click();
    await page.getByRole('region', { name: 'Post-incident review' }).getByText('The mail relay certificate expired at 9:00.').waitFor();
    await web.screenshotBothWidths(page, 'collaboration-review');
  });
});

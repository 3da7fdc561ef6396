import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signSatisfactionLink } from '@desk/auth';
import type { Incident, Satisfaction } from '@desk/contracts';
import { checkAccessibility } from './test-support/accessibility.js';
import { ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Satisfaction in a real browser: the reporter rates a resolved incident on its page (the mail's
// `?rate=N` chooses N ahead), staff read the rating, and the mail's one-click link rates without
// signing in.

describe('satisfaction in the portal', () => {
  let web: PortalInBrowser;
  let reporter: ApiClient;
  let staff: ApiClient;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
  });
  after(() => web?.close());

  const resolvedIncident = async (title: string): Promise<Incident> => {
    const categories = await reporter.call<{ items: { id: string; name: string }[] }>('GET', '/categories');
    const filed = await reporter.call<Incident>('POST', '/incidents', { title, description: 'Filed for the satisfaction journey.', categoryId: categories.body.items[0]!.id });
    assert.equal(filed.status, 201);
    for (const status of ['IN_PROGRESS', 'RESOLVED']) assert.equal((await staff.call('PATCH', `/incidents/${filed.body.id}`, { status })).status, 200);
    return filed.body;
  };

  test('the reporter rates it from the incident page, with the rating the mail chose ahead; staff read it, and the timeline says it', async () => {
    const incident = await resolvedIncident('Projector in room 4 flickers');
    const page = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${incident.key}?rate=4` });
    const card = page.getByText('How did we do?', { exact: true });
    await card.waitFor();
    assert.equal(await page.getByRole('radio', { name: '4: Satisfied' }).getAttribute('aria-checked'), 'true');
    await page.getByLabel('Tell us more (optional)', { exact: true }).fill('Fixed before my meeting, thanks.');
    await page.getByRole('button', { name: 'Send my rating' }).click();
    await page.getByText(`Thank you: ${incident.key} rated 4 of 5`).waitFor();
    await page.getByText('rated it').first().waitFor();
    await page.locator('[data-sonner-toast]').waitFor({ state: 'detached', timeout: 15_000 });
    const report = await checkAccessibility(page);
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(page, 'satisfaction-reporter');
    await page.context().close();

    const staffPage = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${incident.key}` });
    await staffPage.getByText('The reporter’s rating', { exact: true }).waitFor();
    await staffPage.getByText('Fixed before my meeting, thanks.').first().waitFor();
    await web.screenshot(staffPage, 'satisfaction-staff');
    await staffPage.context().close();
  });

  test('the mail’s one-click link records the rating without signing in, then takes a comment', async () => {
    const incident = await resolvedIncident('Badge reader at the side door');
    const me = await reporter.call<{ id: string }>('GET', '/auth/me');
    const token = await signSatisfactionLink(web.platform.satisfactionLinkSecret, { incidentId: incident.id, reporterId: me.body.id });
    const page = await web.newPage();
    await page.goto(`${web.portalUrl}/rate/${token}?rating=2`);
    await page.getByText(`Your rating of ${incident.key} is saved.`).waitFor();
    const saved = await reporter.call<Satisfaction>('GET', `/incidents/${incident.id}/satisfaction`);
    assert.equal(saved.body.rating, 2);
    await page.getByLabel('Tell us more (optional)', { exact: true }).fill('It took two days.');
    await web.screenshotBothWidths(page, 'satisfaction-link');
    await page.getByRole('button', { name: 'Save the comment' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    assert.equal((await reporter.call<Satisfaction>('GET', `/incidents/${incident.id}/satisfaction`)).body.comment, 'It took two days.');

    // A link that is not ours says so and what to do.
    await page.goto(`${web.portalUrl}/rate/not-a-real-token?rating=5`);
    await page.getByText('The rating link is not valid').waitFor();
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility } from './test-support/accessibility.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Administration › Escalations in a real browser, on the demo organisation (which has rules).

describe('escalation rules in the portal', () => {
  let web: PortalInBrowser;
  let admin: ApiClient;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    admin = new ApiClient(web.platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
  });
  after(() => web?.close());

  test('an admin reads the demo rules, creates one at the breach that raises the priority, pauses it and deletes it; a rule that cannot work is refused before it is sent', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password });
    await page.goto(`${web.portalUrl}/admin`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Escalations' }).click();
    await page.waitForURL(/\/admin\/escalations$/);
    await page.getByText('Critical response missed').first().waitFor();
    await page.getByRole('cell', { name: 'When 75 % of the resolution time has passed: tell the assignee and the manager.', exact: true }).first().waitFor();
    const report = await checkAccessibility(page);
    assert.deepEqual(report.violations.map((violation) => `${violation.id}: ${violation.html}`), []);
    await web.screenshotBothWidths(page, 'escalations');
    await web.assertFitsPhone(page, 'the escalation rules');

    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Low: late resolution');
    await dialog.getByRole('combobox', { name: 'Incidents of priority' }).click();
    await page.getByRole('option', { name: 'Low' }).click();
    // Raising the priority is offered at the breach only.
    assert.equal(await dialog.getByRole('switch', { name: 'Raise the priority one step' }).isDisabled(), true);
    await dialog.getByLabel('When this share of the target has passed (%)').fill('100');
    await dialog.getByRole('switch', { name: 'Raise the priority one step' }).click();
    // Nobody told and nothing done would be a rule that does nothing: the form says so.
    await dialog.getByLabel('The assignee').click();
    await dialog.getByLabel('The department’s manager').click();
    await dialog.getByRole('switch', { name: 'Raise the priority one step' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('The rule would do nothing: tell someone, or act at the breach.').waitFor();
    await dialog.getByRole('switch', { name: 'Raise the priority one step' }).click();
    await web.screenshot(page, 'escalation-rule-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Low: late resolution saved').waitFor();
    await page.getByRole('cell', { name: 'When the resolution target is missed: raise the priority one step.', exact: true }).waitFor();

    const rules = (await admin.call<{ items: { id: string; name: string; priority: string; thresholdPercent: number; raisePriority: boolean; notify: { assignee: boolean; manager: boolean } }[] }>('GET', '/escalation-rules')).body.items;
    const saved = rules.find((rule) => rule.name === 'Low: late resolution')!;
    assert.deepEqual([saved.priority, saved.thresholdPercent, saved.raisePriority, saved.notify], ['LOW', 100, true, { assignee: false, manager: false }]);

    await page.getByRole('button', { name: 'Edit Low: late resolution' }).click();
    await page.getByRole('dialog').getByRole('switch', { name: 'Active' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await page.getByText('Paused').first().waitFor();
    await page.getByRole('button', { name: 'Delete Low: late resolution' }).click();
    await page.getByText('Low: late resolution deleted').waitFor();
    const after = (await admin.call<{ items: { name: string }[] }>('GET', '/escalation-rules')).body.items;
    assert.ok(!after.some((rule) => rule.name === 'Low: late resolution'));
    await page.context().close();
  });

  test('staff have no Escalations page', async () => {
    const page = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD });
    await page.goto(`${web.portalUrl}/admin/escalations`);
    await page.getByText('Administration is for administrators').waitFor();
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { ADMIN, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// The Audit page in a real browser against the real platform, seeded with the demo organisation
// (whose departments and people the seed created as the admin, so the trail is not empty).

describe('the Audit page in a browser', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let portalUrl: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform, portalUrl } = web);
  });
  after(() => web?.close());

  const signIn = (email: string, password = DEMO_PASSWORD) => web.signIn(email, { password });
  const screenshot = (page: Page, name: string) => web.screenshot(page, name);

  test('an admin renames a department through the API, then finds the change on the Audit page with who, from where, and before and after', async () => {
    const login = await fetch(`${platform.gatewayUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` };
    const departments = (await (await fetch(`${platform.gatewayUrl}/departments`, { headers })).json()) as { items: { id: string; name: string }[] };
    const hr = departments.items.find((department) => department.name === 'HR')!;
    const renamed = await fetch(`${platform.gatewayUrl}/departments/${hr.id}`, { method: 'PATCH', headers, body: JSON.stringify({ name: 'People & Culture' }) });
    assert.equal(renamed.status, 200);

    const page = await signIn(ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Audit' }).first().click();
    await page.waitForURL(`${portalUrl}/admin/audit`);
    await page.getByRole('heading', { name: 'Audit' }).waitFor();

    // Newest first: the rename heads the table, the seed's creations follow.
    const firstRow = page.getByRole('row').nth(1);
    await firstRow.filter({ hasText: 'People & Culture' }).waitFor();
    const text = (await firstRow.textContent()) ?? '';
    assert.match(text, /Department changed/);
    assert.match(text, /HR/, 'the name before');
    assert.match(text, /127\.0\.0\.1/, 'the address the gateway saw');
    await screenshot(page, 'audit-desktop');

    // Filtered by action: only department creations, the three the seed made.
    await page.getByLabel('Action').click();
    await page.getByRole('option', { name: 'Department created' }).click();
    await page.getByRole('row').filter({ hasText: 'Department created' }).first().waitFor();
    const rows = page.locator('tbody tr');
    await waitFor('only the three creations listed', async () => (await rows.count()) === 3 && (await rows.filter({ hasText: 'Department changed' }).count()) === 0);

    // Filtered by target: the HR department's three entries (created, given the demo's office-hours calendar, renamed).
    await page.getByLabel('Action').click();
    await page.getByRole('option', { name: 'Any action' }).click();
    await page.getByLabel('Target id').fill(hr.id);
    await waitFor('the three entries of HR listed', async () => (await rows.count()) === 3);

    // A date range that ends before today holds nothing.
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByText('No changes match these filters.').waitFor();
    await page.getByLabel('To', { exact: true }).fill('');
    await waitFor('the three entries of HR listed', async () => (await rows.count()) === 3);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('list', { name: 'Audit entries' }).waitFor();
    await screenshot(page, 'audit-phone');
    await page.context().close();
  });

  test('an admin gives a service account a new secret in Administration; the Audit page shows the rotation, never the secret', async () => {
    const page = await signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${portalUrl}/admin/integrations`);
    await page.getByRole('button', { name: 'New service account' }).click();
    await page.getByLabel('Name').fill('Monitoring');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const first = (await page.getByTestId('client-secret').textContent())!.trim();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'New secret for Monitoring' }).click();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    const second = (await page.getByTestId('client-secret').textContent())!.trim();
    assert.ok(second.length > 20 && second !== first);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.goto(`${portalUrl}/admin/audit`);
    await page.getByLabel('Action').click();
    await page.getByRole('option', { name: 'Service account secret rotated' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Monitoring' });
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    const html = await page.content();
    assert.ok(!html.includes(first) && !html.includes(second), 'no secret on the Audit page');
    await page.context().close();
  });

  test('a reporter has no Audit link, and the page refuses them', async () => {
    const page = await signIn('reporter1.it@example.com');
    assert.equal(await page.getByRole('link', { name: 'Audit' }).count(), 0);
    await page.goto(`${portalUrl}/admin/audit`);
    await page.getByText('The audit trail is for administrators').waitFor();
    assert.equal(await page.locator('[data-audit-entry]').count(), 0);
    await page.context().close();
  });
});

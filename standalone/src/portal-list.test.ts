import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ApiClient, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The incident list in a real browser on the demo organisation: the people on each incident by
// name, saved views, changing several incidents at once, and titles that do not fit.

const DESK = 1440;
const PHONE = 390;

interface Filed {
  id: string;
  key: string;
  version: number;
}

describe('the incident list in the portal', { timeout: 900_000 }, () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let reporter: ApiClient;
  let manager: ApiClient;
  let staff: ApiClient;
  let staffId: string;
  let colleagueId: string;
  let category: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform } = web);
    reporter = new ApiClient(platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    manager = new ApiClient(platform.gatewayUrl);
    const { id: managerId } = await manager.signIn('manager.it@example.com', DEMO_PASSWORD);
    staff = new ApiClient(platform.gatewayUrl);
    ({ id: staffId } = await staff.signIn('staff1.it@example.com', DEMO_PASSWORD));
    const colleague = new ApiClient(platform.gatewayUrl);
    ({ id: colleagueId } = await colleague.signIn('staff2.it@example.com', DEMO_PASSWORD));
    const { body: me } = await manager.call<{ departmentId: string }>('GET', `/users/${managerId}`);
    const categories = await reporter.call<{ items: { id: string; departmentId: string }[] }>('GET', '/categories');
    category = categories.body.items.find((item) => item.departmentId === me.departmentId)!.id;
  });
  after(() => web?.close());

  /** Incidents only this test's search finds: each title holds `word`. */
  async function file(word: string, count: number, title = 'Printer queue stuck'): Promise<Filed[]> {
    const filed: Filed[] = [];
    for (let index = 0; index < count; index += 1) {
      const response = await reporter.call<Filed>('POST', '/incidents', { title: `${title} ${word} ${index + 1}`, description: 'Filed for the list test.', categoryId: category });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      filed.push(response.body);
    }
    return filed;
  }

  const rows = (page: Page) => page.getByTestId('incident-row');

  // One signed-in page per person, reused: on a busy machine each sign-in costs seconds.
  const pages = new Map<string, Page>();
  /** The list with these filters (the sign-in brings a person back to the path, not its query). */
  async function openList(email: string, query: string, width = DESK): Promise<Page> {
    let page = pages.get(`${email} ${width}`);
    if (!page) {
      page = await web.signIn(email, { width });
      page.setDefaultTimeout(45_000);
      pages.set(`${email} ${width}`, page);
    }
    await page.goto(`${web.portalUrl}/incidents?${query}`);
    return page;
  }

  test('when staff open the list, then they see who works each incident and who reported it, with the person’s initials', async () => {
    const word = `names${Date.now()}`;
    const [incident] = await file(word, 1);
    const assigned = await manager.call('PATCH', `/incidents/${incident!.id}/assign`, { assigneeId: colleagueId });
    assert.equal(assigned.status, 200, JSON.stringify(assigned.body));

    const page = await openList('staff1.it@example.com', `q=${word}`);
    const row = rows(page).filter({ hasText: incident!.key });
    await row.getByTestId('incident-assignee').filter({ hasText: 'Priya Nair' }).waitFor();
    assert.equal((await row.getByTestId('incident-assignee').locator('span').first().innerText()).trim(), 'PN', 'the avatar holds her initials');
    assert.match(await row.innerText(), /reported by Lukas Weber/);
    assert.doesNotMatch(await row.innerText(), /\bAssigned\b/);
    await web.screenshot(page, 'list-names-desktop');
  });

  test('when a person saves the filters as a view, then it is in Saved views and, after a reload, brings back the same filters', async () => {
    const page = await openList('staff1.it@example.com', 'status=OPEN&priority=HIGH&sort=priority');
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Open and high');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    const nav = page.getByRole('navigation', { name: 'Saved views' });
    const link = nav.getByRole('link', { name: 'Open and high' });
    await link.waitFor();
    assert.equal(await link.getAttribute('aria-current'), 'page', 'the list shows exactly the view’s filters');

    // The same name again: refused on the name field, in words.
    await page.getByRole('button', { name: 'Save view' }).click();
    await dialog.getByLabel('Name').fill('open and HIGH');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.getByText('You already have a view with this name; choose another').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`${web.portalUrl}/incidents`);
    await page.reload();
    await nav.getByRole('link', { name: 'Open and high' }).click();
    await page.waitForURL(/\/incidents\?/);
    const address = new URL(page.url());
    assert.deepEqual(Object.fromEntries(address.searchParams), { status: 'OPEN', priority: 'HIGH', sort: 'priority' });
    assert.equal((await page.getByRole('combobox', { name: 'Priority' }).innerText()).trim(), 'High');
    assert.equal((await page.getByRole('button', { name: 'Status' }).innerText()).trim(), 'Open');
    assert.equal(await nav.getByRole('link', { name: 'Open and high' }).getAttribute('aria-current'), 'page');
    await web.screenshot(page, 'list-saved-view-desktop');

    // Renamed from its menu, the view keeps its filters.
    await nav.getByRole('button', { name: 'Rename or delete the view Open and high' }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await dialog.getByLabel('Name').fill('Urgent, open');
    await dialog.getByRole('button', { name: 'Rename', exact: true }).click();
    await nav.getByRole('link', { name: 'Urgent, open' }).waitFor();
  });

  test('when a manager assigns three selected incidents at once, then each is assigned and the result says so', async () => {
    const word = `assign${Date.now()}`;
    const filed = await file(word, 3);
    const page = await openList('manager.it@example.com', `q=${word}`);
    await rows(page).nth(2).waitFor();
    await page.getByRole('checkbox', { name: 'Select every incident shown' }).click();
    await page.getByTestId('bulk-bar').getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Assign to' }).click();
    await page.getByRole('option', { name: /Daniel Okafor/ }).click();
    await dialog.getByRole('button', { name: 'Apply to 3' }).click();
    await dialog.getByTestId('bulk-summary').filter({ hasText: '3 changed' }).waitFor();
    assert.equal(await dialog.locator('[data-outcome="changed"]').count(), 3);
    await web.screenshot(page, 'list-bulk-assign-desktop');
    await dialog.getByRole('button', { name: 'Done' }).click();
    for (const incident of filed) {
      const { body } = await manager.call<{ assigneeId: string }>('GET', `/incidents/${incident.id}`);
      assert.equal(body.assigneeId, staffId, `${incident.key} assigned`);
    }
    await rows(page).filter({ hasText: 'Daniel Okafor' }).nth(2).waitFor();
  });

  test('when staff resolve three selected incidents and one cannot be, then two change and the third is refused with the reason', async () => {
    const word = `resolve${Date.now()}`;
    const filed = await file(word, 3);
    for (const incident of filed.slice(0, 2)) {
      const started = await staff.call('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' });
      assert.equal(started.status, 200, JSON.stringify(started.body));
    }
    const page = await openList('staff1.it@example.com', `q=${word}`);
    await rows(page).nth(2).waitFor();
    for (const incident of filed) await page.getByRole('checkbox', { name: `Select ${incident.key}` }).click();
    // Staff do not assign: the action is not offered.
    assert.equal(await page.getByTestId('bulk-bar').getByRole('button', { name: 'Assign', exact: true }).count(), 0);
    await page.getByRole('button', { name: 'Change status' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'New status' }).click();
    await page.getByRole('option', { name: 'Resolved' }).click();
    await dialog.getByTestId('bulk-plan').filter({ hasText: '2 of 3 will change' }).waitFor();
    await dialog.getByLabel('Note for each timeline (optional)').fill('Fixed together with the print server.');
    await dialog.getByRole('button', { name: 'Apply to 2' }).click();
    await dialog.getByTestId('bulk-summary').filter({ hasText: '2 changed, 1 not changed' }).waitFor();
    const refused = dialog.locator('[data-outcome="refused"]');
    assert.equal(await refused.count(), 1);
    assert.match(await refused.innerText(), new RegExp(`${filed[2]!.key}[\\s\\S]*It cannot move from open to resolved\\.`));
    await web.screenshot(page, 'list-bulk-status-desktop');
    await dialog.getByRole('button', { name: 'Done' }).click();
    // What was refused stays selected, to try something else with it.
    await page.getByTestId('bulk-bar').getByText('1 selected').waitFor();
    const statuses = await Promise.all(filed.map(async (incident) => (await staff.call<{ status: string }>('GET', `/incidents/${incident.id}`)).body.status));
    assert.deepEqual(statuses, ['RESOLVED', 'RESOLVED', 'OPEN']);
  });

  test('when a reporter opens the list, then nothing can be selected', async () => {
    const page = await openList('reporter1.it@example.com', '');
    await rows(page).first().waitFor();
    assert.equal(await page.getByRole('checkbox').count(), 0);
  });

  test('when a title is 200 characters without a space, then it stays inside its column and the phone layout keeps its width', async () => {
    const long = 'Unbroken'.padEnd(200, 'x');
    const filed = await reporter.call<Filed>('POST', '/incidents', { title: long, description: 'A pasted identifier.', categoryId: category });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));

    const desk = await openList('staff1.it@example.com', `q=${filed.body.key}`);
    const row = rows(desk).filter({ hasText: filed.body.key });
    await row.waitFor();
    // How far the table, the title's cell and the page reach past their own width.
    const overflow = await desk.evaluate<{ container: number; title: number; page: number }>(`(() => {
      const container = document.querySelector('[data-slot="table-container"]');
      const title = document.querySelector('[data-testid="incident-row"] td:nth-child(3)');
      return { container: container.scrollWidth - container.clientWidth, title: title.scrollWidth - title.clientWidth, page: document.documentElement.scrollWidth - window.innerWidth };
    })()`);
    assert.deepEqual(overflow, { container: 0, title: 0, page: 0 });
    await web.screenshot(desk, 'list-long-title-desktop');

    const phone = await openList('staff1.it@example.com', '', PHONE);
    await phone.getByTestId('incident-card').filter({ hasText: filed.body.key }).waitFor();
    assert.ok((await phone.evaluate<number>('document.documentElement.scrollWidth')) <= PHONE, 'the phone layout is no wider than the screen');
    await web.screenshot(phone, 'list-long-title-phone');
    // Selecting on a phone: the bar of changes fits the screen too.
    await phone.getByRole('checkbox', { name: `Select ${filed.body.key}` }).click();
    await phone.getByTestId('bulk-bar').getByText('1 selected').waitFor();
    assert.ok((await phone.evaluate<number>('document.documentElement.scrollWidth')) <= PHONE, 'with the selection bar, still no wider than the screen');
    await web.screenshot(phone, 'list-selection-phone');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '@desk/testing';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Administration is a set of pages under /admin, each reachable by its own address: an admin opens
// each one directly, other roles are told they are not allowed, and the New user form checks the
// department rule before sending, as do Edit user, the department dialog and each row of service
// levels. Each page is photographed at desktop and phone widths.

const AREAS = [
  { path: '/admin/users', heading: 'Administration: Users' },
  { path: '/admin/departments', heading: 'Administration: Departments' },
  { path: '/admin/categories', heading: 'Administration: Categories' },
  { path: '/admin/sla', heading: 'Administration: SLA policies' },
  { path: '/admin/integrations', heading: 'Administration: Integrations' },
  { path: '/admin/mail', heading: 'Administration: Mail' },
  { path: '/admin/events', heading: 'Administration: Event health' },
  { path: '/admin/audit', heading: 'Administration: Audit' },
];

describe('Administration as pages of their own, in a browser', () => {
  let web: PortalInBrowser;
  let portalUrl: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ portalUrl } = web);
  });
  after(() => web?.close());

  const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

  test('an admin opens every area of Administration by its address, at desktop and phone widths, and the page never grows wider than a phone', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/users' });
    await page.goto(`${portalUrl}/admin`);
    await page.waitForURL(`${portalUrl}/admin/users`);
    for (const { path, heading } of AREAS) {
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.goto(`${portalUrl}${path}`);
        await page.getByRole('heading', { name: heading }).waitFor();
        const current = page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: heading.replace('Administration: ', ''), exact: true });
        assert.equal(await current.getAttribute('aria-current'), 'page', `${path} is marked as the current area`);
        if (width === 390) assert.ok((await pageWidth(page)) <= 390, `${path} fits a 390 px phone (scrollWidth ${await pageWidth(page)})`);
        await web.screenshot(page, `admin${path.replaceAll('/', '-')}-${width === 390 ? 'phone' : 'desktop'}`);
      }
    }
    await page.context().close();
  });

  test('a manager, a staff member and a reporter who open an area of Administration are told it is not for them', async () => {
    for (const email of ['manager.it@example.com', 'staff1.it@example.com', 'reporter1.it@example.com']) {
      const page = await web.signIn(email, { password: DEMO_PASSWORD });
      for (const path of ['/admin/users', '/admin/sla']) {
        await page.goto(`${portalUrl}${path}`);
        await page.getByRole('heading', { name: 'Administration is for administrators' }).waitFor();
        await page.getByText('You are not allowed to see this page').waitFor();
        assert.equal(await page.getByRole('button', { name: 'New user' }).count(), 0);
      }
      await page.context().close();
    }
  });

  test('an admin creating a staff member without a department is told on the Department field before anything is sent, then creates them with one', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/users' });
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Full name').fill('Sam Newstaff');
    await dialog.getByLabel('Email').fill('sam.newstaff@example.com');
    await dialog.getByLabel('Initial password').fill('harbour lantern 42');
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Staff' }).click();
    const department = dialog.getByRole('combobox', { name: 'Department' });
    assert.match((await department.textContent()) ?? '', /Choose a department/);
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/users')) posted.push(request.url());
    });
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.getByText('Staff members and managers belong to a department: choose one.').waitFor();
    assert.equal(await department.getAttribute('aria-invalid'), 'true', 'the message belongs to the Department field');
    assert.equal(posted.length, 0, 'nothing was sent');
    await web.screenshotBothWidths(page, 'admin-new-staff-without-department');

    await department.click();
    await page.getByRole('option', { name: 'IT', exact: true }).click();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('Sam Newstaff can now sign in').waitFor();
    await page.getByRole('row').filter({ hasText: 'Sam Newstaff' }).getByRole('cell', { name: 'IT', exact: true }).waitFor();
    assert.equal(posted.length, 1);
    await page.context().close();
  });

  test('the New category dialog keeps Save enabled and says which field is missing', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/categories' });
    await page.getByRole('button', { name: 'New category' }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByRole('button', { name: 'Close dialog' }).count(), 1);
    assert.equal(await dialog.getByRole('button', { name: 'Close', exact: true }).count(), 0, 'no second button called Close');
    const save = dialog.getByRole('button', { name: 'Save' });
    assert.equal(await save.isEnabled(), true);
    await save.click();
    await dialog.getByText('Give the category a name.').waitFor();
    await dialog.getByText('Choose the department its incidents go to.').waitFor();
    await dialog.getByLabel('Name').fill('Parking');
    await dialog.getByRole('combobox', { name: 'Department' }).click();
    await page.getByRole('option', { name: 'Facilities' }).click();
    await save.click();
    await page.getByText('Parking saved').waitFor();
    await page.context().close();
  });
  test('Edit user checks the department rule before sending: a reporter made staff without a department is told on the field and stays a reporter; with one they become staff', async () => {
    const admin = new ApiClient(web.platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const stamp = Date.now();
    const created = await admin.call<{ id: string }>('POST', '/users', { email: `rhea.reporter.${stamp}@example.com`, password: 'harbour lantern 42', fullName: `Rhea Reporter ${stamp}`, role: 'reporter' });
    assert.equal(created.status, 201);
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/users' });
    await page.getByLabel('Search users').fill(`Rhea Reporter ${stamp}`);
    await page.getByRole('row').filter({ hasText: `Rhea Reporter ${stamp}` }).getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    const name = dialog.getByLabel('Full name');
    await name.fill('');
    await dialog.getByRole('combobox', { name: 'Role' }).click();
    await page.getByRole('option', { name: 'Staff' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Staff members and managers belong to a department: choose one.').waitFor();
    await dialog.getByText('Must not be empty').waitFor();
    assert.equal(await name.getAttribute('aria-invalid'), 'true');
    const unchanged = await admin.call<{ role: string; fullName: string }>('GET', `/users/${created.body.id}`);
    assert.deepEqual([unchanged.body.role, unchanged.body.fullName], ['reporter', `Rhea Reporter ${stamp}`], 'nothing was sent');
    await name.fill(`Rhea Staff ${stamp}`);
    await dialog.getByRole('combobox', { name: 'Department' }).click();
    await page.getByRole('option', { name: 'IT', exact: true }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`Rhea Staff ${stamp} saved`).waitFor();
    const changed = await admin.call<{ role: string; fullName: string; departmentId: string | null }>('GET', `/users/${created.body.id}`);
    assert.deepEqual([changed.body.role, changed.body.fullName, typeof changed.body.departmentId], ['staff', `Rhea Staff ${stamp}`, 'string']);
    await page.context().close();
  });

  test('the department dialog says a name is needed before sending, and a name already taken is shown on the Name field from the API', async () => {
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/departments' });
    await page.getByRole('button', { name: 'New department' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Give the department a name.').waitFor();
    await dialog.getByLabel('Name').fill('Facilities');
    await dialog.getByRole('button', { name: 'Save' }).click();
    // The API refuses a second Facilities; its message lands under the field it names.
    await dialog.getByText('Is already the name of another department').waitFor();
    assert.equal(await dialog.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    const name = `Legal ${Date.now()}`;
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Description').fill('Contracts and compliance.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(`${name} saved`).waitFor();
    await page.getByRole('row').filter({ hasText: name }).getByText('Contracts and compliance.').waitFor();
    await page.context().close();
  });

  test('a row of service levels refuses a resolution target shorter than the response before sending, then saves a valid one', async () => {
    const admin = new ApiClient(web.platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const before = (await admin.call<{ items: { priority: string; responseMinutes: number; resolutionMinutes: number }[] }>('GET', '/sla-policies')).body.items.find((policy) => policy.priority === 'LOW')!;
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password, landing: '/admin/sla' });
    const response = page.getByLabel('LOW response minutes');
    const resolution = page.getByLabel('LOW resolution minutes');
    const row = page.getByRole('row').filter({ has: response });
    await response.fill('600');
    await resolution.fill('30');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Resolution cannot come before the response: give at least the response time.').waitFor();
    assert.equal(await resolution.getAttribute('aria-invalid'), 'true');
    const still = (await admin.call<{ items: { priority: string; resolutionMinutes: number }[] }>('GET', '/sla-policies')).body.items.find((policy) => policy.priority === 'LOW')!;
    assert.equal(still.resolutionMinutes, before.resolutionMinutes, 'nothing was sent');
    await resolution.fill('');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Give the resolution target in whole minutes.').waitFor();
    await response.fill(String(before.responseMinutes));
    await resolution.fill(String(before.resolutionMinutes + 60));
    // Enter in a field saves its row.
    await resolution.press('Enter');
    await page.getByText('low targets saved').waitFor();
    const saved = (await admin.call<{ items: { priority: string; resolutionMinutes: number }[] }>('GET', '/sla-policies')).body.items.find((policy) => policy.priority === 'LOW')!;
    assert.equal(saved.resolutionMinutes, before.resolutionMinutes + 60);
    // The row takes the saved targets as its own once the list is read again: then nothing is left to save.
    await waitFor('saved: nothing left to save', async () => ((await row.getByRole('button', { name: 'Save' }).isDisabled()) ? true : undefined), { timeoutMs: 5_000 });
    await page.context().close();
  });
});

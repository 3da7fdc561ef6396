import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Administration is a set of pages under /admin, each reachable by its own address: an admin opens
// each one directly, other roles are told they are not allowed, and the New user form checks the
// department rule before sending. Each page is photographed at desktop and phone widths.

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
});

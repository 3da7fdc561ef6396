import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '@desk/testing';
import { ApiClient, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Live incident views between browsers against the real platform: when someone changes an
// incident, everyone else who may see it has their open incident page and their list follow
// within moments, without a reload; a reporter's portal is not even told about someone else's
// incident. The delays are measured from the moment the change was answered to the moment the
// other browser shows it, and logged; the issue asks for 2 s, asserted here with slack for a
// loaded test machine.

const BOUND_MS = 5_000;

interface Incident {
  id: string;
  key: string;
}

describe('live incident views in the portal', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  const api = {} as Record<'reporter1' | 'reporter2' | 'staff1' | 'staff2' | 'manager', ApiClient>;
  const ids = {} as Record<keyof typeof api, string>;
  let category: string;
  const delays: Record<string, number> = {};

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform } = web);
    for (const [who, email] of [
      ['reporter1', 'reporter1.it@example.com'],
      ['reporter2', 'reporter2.it@example.com'],
      ['staff1', 'staff1.it@example.com'],
      ['staff2', 'staff2.it@example.com'],
      ['manager', 'manager.it@example.com'],
    ] as const) {
      api[who] = new ApiClient(platform.gatewayUrl);
      ids[who] = (await api[who].signIn(email, DEMO_PASSWORD)).id;
    }
    const { body: manager } = await api.manager.call<{ departmentId: string }>('GET', `/users/${ids.manager}`);
    const departmentId = manager.departmentId;
    const categories = await api.reporter1.call<{ items: { id: string; departmentId: string }[] }>('GET', '/categories?limit=100');
    category = categories.body.items.find((item) => item.departmentId === departmentId)!.id;
  });
  after(async () => {
    await web?.close();
  });

  async function file(who: ApiClient, title: string): Promise<Incident> {
    const filed = await who.call<Incident>('POST', '/incidents', { title, description: 'For the live views.', categoryId: category });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    return filed.body;
  }

  /** Runs `change`, then waits for `shown` in another browser: the delay from the change's answer to the screen. */
  async function measure(name: string, change: () => Promise<void>, shown: () => Promise<unknown>): Promise<void> {
    await change();
    const answered = Date.now();
    await shown();
    delays[name] = Date.now() - answered;
    assert.ok(delays[name] < BOUND_MS, `${name} took ${delays[name]} ms`);
  }

  /** GETs of incident lists a page makes from now on. */
  function countListRequests(page: Page): { count: () => number } {
    let count = 0;
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/incidents\?/.test(request.url())) count += 1;
    });
    return { count: () => count };
  }

  test('when staff start work, a reporter comments and a manager reassigns, then the open incident page and the lists of others follow within moments; another reporter is never told', async (t) => {
    const incident = await file(api.reporter1, `Docking station dead ${Date.now()}`);

    const managerPage = await web.signIn('manager.it@example.com', { landing: `/incidents/${incident.key}` });
    const staffList = await web.signIn('staff1.it@example.com', { landing: '/incidents' });
    const otherReporterList = await web.signIn('reporter2.it@example.com', { landing: '/incidents' });
    for (const page of [managerPage, staffList, otherReporterList]) await page.getByRole('status').filter({ hasText: 'Live' }).first().waitFor();
    await waitFor('every portal to follow the incident stream', () => platform.incidents.deps.streams.openStreams >= 3);
    const otherReporterLists = countListRequests(otherReporterList);

    // Someone else files: the staff member's list shows it.
    const title = `Second screen blank ${Date.now()}`;
    await measure(
      'staff list shows a new incident',
      async () => void (await file(api.reporter1, title)),
      () => staffList.getByText(title).first().waitFor(),
    );

    // Staff start work (which assigns it to them): the manager's open page hears of it, then shows the status and the assignee by name.
    let startedAt = 0;
    await measure(
      'manager page hears of a status change by staff',
      async () => {
        const started = await api.staff1.call('PATCH', `/incidents/${incident.id}`, { status: 'IN_PROGRESS' });
        assert.equal(started.status, 200, JSON.stringify(started.body));
        startedAt = Date.now();
      },
      () => managerPage.locator(`[data-last-change^="${incident.key} "]`).first().waitFor(),
    );
    const [managerShown, staffShown] = await Promise.all([
      managerPage.getByText('In progress', { exact: true }).first().waitFor({ timeout: BOUND_MS }).then(() => Date.now()),
      staffList
        .locator('[data-testid="incident-row"], [data-testid="incident-card"]')
        .filter({ hasText: 'Docking station dead' })
        .filter({ hasText: 'In progress' })
        .first()
        .waitFor({ timeout: BOUND_MS })
        .then(() => Date.now()),
    ]);
    delays['manager page shows a status change by staff'] = managerShown - startedAt;
    delays['staff list shows the status change'] = staffShown - startedAt;
    await managerPage.getByText('Updated by someone else just now').waitFor({ timeout: BOUND_MS });
    await managerPage.getByText('Daniel Okafor').first().waitFor({ timeout: BOUND_MS });
    assert.equal(await managerPage.getByText('The assignee', { exact: true }).count(), 0, 'the assignee is named, not "The assignee"');
    await web.screenshotBothWidths(managerPage, 'live-incident-page-updated-by-someone-else');
    await staffList.getByText(title).first().waitFor();
    await web.screenshotBothWidths(staffList, 'live-incident-staff-list');

    // The reporter comments: the manager's open page shows the comment without a reload.
    const comment = `It is dead again after lunch ${Date.now()}`;
    await measure(
      'manager page shows a new comment',
      async () => {
        const commented = await api.reporter1.call('POST', `/incidents/${incident.id}/comments`, { content: comment });
        assert.equal(commented.status, 201, JSON.stringify(commented.body));
      },
      () => managerPage.getByText(comment).waitFor(),
    );

    // The manager hands it to someone else: the staff member's list follows.
    const { body: current } = await api.manager.call<{ version: number }>('GET', `/incidents/${incident.id}`);
    await measure(
      'staff list refreshes after a reassignment',
      async () => {
        const assigned = await api.manager.call('PATCH', `/incidents/${incident.id}/assign`, { assigneeId: ids.staff2, version: current.version });
        assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
      },
      async () => {
        const before = countListRequests(staffList);
        await waitFor('the staff list to refetch', () => before.count() > 0, { timeoutMs: BOUND_MS });
      },
    );

    // None of it reached the other reporter's portal: its list never refetched. Their own incident does.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(otherReporterLists.count(), 0, "another reporter's list was not told about someone else's incidents");
    assert.equal(await otherReporterList.getByText('Docking station dead').count(), 0);
    const own = `My keyboard lost keys ${Date.now()}`;
    await measure(
      "a reporter's list shows their own incident",
      async () => void (await file(api.reporter2, own)),
      () => otherReporterList.getByText(own).first().waitFor(),
    );
    assert.ok(otherReporterLists.count() > 0, 'their own incident did refresh the list');
    t.diagnostic(`live incident delays (ms): ${JSON.stringify(delays)}`);

    for (const page of [managerPage, staffList, otherReporterList]) await page.context().close();
  });
});

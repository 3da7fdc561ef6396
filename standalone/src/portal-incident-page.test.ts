import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { checkAccessibility, describeAxe } from './test-support/accessibility.js';
import { ApiClient, type RunningPlatform } from './test-support/platform.js';
import { SCREENSHOTS, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The incident page in a real browser against the real platform: three columns at a desktop
// width (details | conversation | actions), one column on a phone in the order a person needs it
// (actions, conversation, details), a title without spaces that widens nothing, the staff's and
// the manager's everyday actions, the hint a reporter reads before commenting on a resolved
// incident (and that the comment does what it says), and the API's refusal landing on the field.

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  assert.ok(found, 'the element is laid out');
  return found;
}

/** axe-core on the page as it is now: no serious or critical finding; the figures go to the log. */
async function accessible(t: TestContext, page: Page, name: string): Promise<void> {
  // The page itself, not the toasts of what was just done (they go after a few seconds).
  await page.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
  const report = await checkAccessibility(page);
  t.diagnostic(describeAxe(name, report));
  assert.deepEqual(report.blocking, [], `no serious or critical accessibility violation on ${name}`);
}

/** How wide the page is: more than the viewport means it scrolls sideways. */
const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth');

/** A screenshot; the whole page, or only the viewport (a full-page one resizes it, which closes an open menu). */
async function keep(page: Page, name: string, fullPage = true): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

describe('the incident page in a browser', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  const reporter = { api: undefined as unknown as ApiClient, id: '' };
  const staff = { api: undefined as unknown as ApiClient, id: '' };
  let category: string;
  // 200 characters, no space anywhere: a pasted path or URL.
  const longTitle = `Unbroken${'x'.repeat(180)}${Date.now()}`.slice(0, 200);

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform } = web);
    reporter.api = new ApiClient(platform.gatewayUrl);
    reporter.id = (await reporter.api.signIn('reporter1.it@example.com', DEMO_PASSWORD)).id;
    staff.api = new ApiClient(platform.gatewayUrl);
    staff.id = (await staff.api.signIn('staff1.it@example.com', DEMO_PASSWORD)).id;
    const { body: me } = await staff.api.call<{ departmentId: string }>('GET', `/users/${staff.id}`);
    const categories = await reporter.api.call<{ items: { id: string; departmentId: string }[] }>('GET', '/categories?limit=100');
    category = categories.body.items.find((item) => item.departmentId === me.departmentId)!.id;
  });
  after(() => web?.close());

  async function file(title: string): Promise<{ id: string; key: string; version: number }> {
    const filed = await reporter.api.call<{ id: string; key: string; version: number }>('POST', '/incidents', { title, description: 'The page tests file this one.', categoryId: category });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    return filed.body;
  }

  async function move(incident: { id: string; version: number }, status: string): Promise<{ id: string; key: string; version: number }> {
    const moved = await staff.api.call<{ id: string; key: string; version: number }>('PATCH', `/incidents/${incident.id}`, { status }, { 'If-Match': `"${incident.version}"` });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    return moved.body;
  }

  const open = (email: string, key: string, width: number) => web.signIn(email, { width, landing: `/incidents/${key}` });

  test('staff see three columns side by side at 1440 px and one column on a phone, a title without spaces widening neither; they start work, change the priority, write a note and a comment', async (t) => {
    const incident = await file(longTitle);
    const page = await open('staff1.it@example.com', incident.key, WIDE.width);
    await page.setViewportSize(WIDE);
    await page.getByTestId('incident-title').filter({ hasText: longTitle.slice(0, 40) }).waitFor();

    // Side by side: details on the left, the conversation in the middle, the actions on the right.
    const details = await box(page.getByTestId('incident-details'));
    const conversation = await box(page.getByTestId('incident-conversation'));
    const actions = await box(page.getByTestId('incident-actions'));
    assert.ok(details.x + details.width <= conversation.x, `details left of the conversation (${JSON.stringify({ details, conversation })})`);
    assert.ok(conversation.x + conversation.width <= actions.x, `the conversation left of the actions (${JSON.stringify({ conversation, actions })})`);
    assert.ok(Math.abs(details.y - conversation.y) < 2 && Math.abs(conversation.y - actions.y) < 2, 'the three start on one line');
    assert.ok(conversation.width > details.width && conversation.width > actions.width, 'the conversation is the widest');
    const title = await box(page.getByTestId('incident-title'));
    assert.ok(title.x + title.width <= actions.x + actions.width + 1, 'the title stays within the columns');
    assert.ok((await pageWidth(page)) <= WIDE.width, 'nothing scrolls sideways at 1440 px');

    // Start work: the status changes, and the toast says so.
    await page.getByTestId('incident-actions').getByRole('button', { name: 'Start work' }).click();
    const dialog = page.getByRole('dialog');
    // One accessible name per button: the corner ✕ is not a second "Close" or "Start work".
    await dialog.getByRole('button', { name: 'Close dialog' }).waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Start work', exact: true }).count(), 1);
    await accessible(t, page, 'the status change dialog (staff, 1440 px)');
    await dialog.getByRole('button', { name: 'Start work', exact: true }).click();
    await page.locator('[data-sonner-toast]').filter({ hasText: `${incident.key} is now in progress` }).waitFor();
    await page.getByTestId('incident-details').locator('[data-status="IN_PROGRESS"]').waitFor();
    // Starting work on an unassigned incident assigns the one who starts it.
    await page.getByTestId('assignee-name').filter({ hasText: 'You' }).waitFor();

    // The priority, from the actions column.
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'High' }).click();
    await page.locator('[data-sonner-toast]').filter({ hasText: `Priority of ${incident.key} is now high` }).waitFor();
    await page.getByTestId('incident-conversation').getByText(/changed the priority from/).waitFor();

    // An internal note for colleagues, then a comment for the reporter: both in the conversation.
    await page.getByRole('switch', { name: /Internal note/ }).click();
    await page.getByLabel('Comment').fill('Checked the logs: the share mapping fails on the new image.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('internal-note').filter({ hasText: 'share mapping fails' }).waitFor();
    await page.getByLabel('Comment').fill('We are on it; a fix goes out this afternoon.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByTestId('comment').filter({ hasText: 'a fix goes out this afternoon' }).waitFor();
    await keep(page, 'incident-page-staff-1440');
    await accessible(t, page, 'the incident page (staff, 1440 px)');

    // On a phone: one column, in the order title and actions, conversation, details; nothing scrolls sideways.
    await page.setViewportSize(PHONE);
    await page.waitForFunction(`document.documentElement.clientWidth === ${PHONE.width}`);
    const phoneActions = await box(page.getByTestId('incident-actions'));
    const phoneConversation = await box(page.getByTestId('incident-conversation'));
    const phoneDetails = await box(page.getByTestId('incident-details'));
    const phoneTitle = await box(page.getByTestId('incident-title'));
    assert.ok(phoneTitle.y < phoneActions.y && phoneActions.y + phoneActions.height <= phoneConversation.y && phoneConversation.y + phoneConversation.height <= phoneDetails.y, 'title, actions, conversation, details, top to bottom');
    assert.ok(Math.abs(phoneActions.x - phoneConversation.x) < 2 && Math.abs(phoneConversation.x - phoneDetails.x) < 2, 'one column');
    assert.ok((await pageWidth(page)) <= PHONE.width, `nothing scrolls sideways at 390 px (the page is ${await pageWidth(page)} px wide)`);
    assert.ok(phoneTitle.x + phoneTitle.width <= PHONE.width, 'the long title wraps inside the phone');
    await keep(page, 'incident-page-staff-390');
    await accessible(t, page, 'the incident page (staff, 390 px)');

    // In between (a small laptop): the conversation, and beside it the actions over the details.
    await page.setViewportSize({ width: 1024, height: 900 });
    await page.waitForFunction('document.documentElement.clientWidth === 1024');
    const midConversation = await box(page.getByTestId('incident-conversation'));
    const midActions = await box(page.getByTestId('incident-actions'));
    const midDetails = await box(page.getByTestId('incident-details'));
    assert.ok(midConversation.x + midConversation.width <= midActions.x && Math.abs(midActions.x - midDetails.x) < 2, 'two columns');
    assert.ok(midActions.y + midActions.height <= midDetails.y, 'the actions above the details');
    assert.ok((await pageWidth(page)) <= 1024, 'nothing scrolls sideways at 1024 px');
    await keep(page, 'incident-page-staff-1024');
    await page.context().close();
  });

  test('a manager assigns from a menu that shows each name and role in full, at 1440 px and on a phone, and the toast names the person', async () => {
    const incident = await file(`Shared drive unreachable from floor 3 ${Date.now()}`);
    for (const [width, name] of [
      [WIDE.width, 'Priya Nair'],
      [PHONE.width, 'Daniel Okafor'],
    ] as const) {
      const page = await open('manager.it@example.com', incident.key, width);
      await page.setViewportSize(width === WIDE.width ? WIDE : PHONE);
      await page.getByRole('combobox', { name: 'Assignee' }).click();
      const option = page.getByRole('option', { name });
      await option.waitFor();
      // Name and role each whole: no line of the option is cut short, and the option is on screen.
      const clipped = await option
        .locator('span')
        .evaluateAll((spans) => spans.filter((span) => Boolean(span.textContent) && span.scrollWidth > span.clientWidth + 1).map((span) => String(span.textContent)));
      assert.deepEqual(clipped, [], `nothing in the option is cut short at ${width} px`);
      assert.match((await option.innerText()).replace(/\s+/g, ' '), new RegExp(`${name} Staff`));
      const optionBox = await box(option);
      assert.ok(optionBox.x >= 0 && optionBox.x + optionBox.width <= width, `the option is on screen at ${width} px`);
      await keep(page, `incident-page-assignee-menu-${width}`, false);
      await option.click();
      await page.locator('[data-sonner-toast]').filter({ hasText: `${incident.key} is assigned to ${name}` }).waitFor();
      await page.getByTestId('assignee-name').filter({ hasText: name }).waitFor();
      await page.context().close();
    }
  });

  test('a reporter reads, above the composer of a resolved incident, what a comment does; it does just that; and a comment the API refuses shows its reason under the text', async (t) => {
    let incident = await file(`Printer on floor 2 jams on every page ${Date.now()}`);
    incident = await move(incident, 'IN_PROGRESS');
    incident = await move(incident, 'RESOLVED');

    const page = await open('reporter1.it@example.com', incident.key, WIDE.width);
    await page.setViewportSize(WIDE);
    await page.getByTestId('incident-details').locator('[data-status="RESOLVED"]').waitFor();
    const hint = page.getByTestId('comment-hint');
    await hint.filter({ hasText: 'does not re-open it' }).waitFor();
    // Staff who started it were assigned: they are the one told, by name; the way to re-open is named.
    await hint.filter({ hasText: 'Daniel Okafor, who is assigned to it, is told.' }).waitFor();
    await hint.filter({ hasText: 'Not fixed: re-open' }).waitFor();
    await page.getByTestId('next-steps').waitFor();
    await keep(page, 'incident-page-reporter-resolved-1440');
    await accessible(t, page, 'the incident page (reporter, resolved, 1440 px)');
    await page.setViewportSize(PHONE);
    await page.waitForFunction(`document.documentElement.clientWidth === ${PHONE.width}`);
    assert.ok((await pageWidth(page)) <= PHONE.width, 'nothing scrolls sideways at 390 px');
    await keep(page, 'incident-page-reporter-resolved-390');
    await accessible(t, page, 'the incident page (reporter, resolved, 390 px)');
    await page.setViewportSize(WIDE);

    // An older or broken client lets through a comment longer than the API takes: the API's
    // refusal names the field, and the page shows it under the text, not as a loose toast.
    await page.route('**/incidents/*/comments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const body = JSON.parse(route.request().postData() ?? '{}') as Record<string, unknown>;
      await route.continue({ postData: JSON.stringify({ ...body, content: 'x'.repeat(10_001) }) });
    });
    const refused = page.waitForResponse((response) => response.request().method() === 'POST' && /\/comments$/.test(response.url()));
    await page.getByLabel('Comment').fill('It jammed again this morning.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const answer = await refused;
    assert.ok(answer.status() >= 400 && answer.status() < 500, `the API refuses it (${answer.status()})`);
    const problem = (await answer.json()) as { errors?: { path: string }[] };
    assert.ok(problem.errors?.some((issue) => issue.path === '/content'), JSON.stringify(problem));
    await page.getByText('Must be at most 10000 characters').waitFor();
    assert.equal(await page.getByLabel('Comment').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Comment').inputValue(), 'It jammed again this morning.', 'the draft is kept');
    await keep(page, 'incident-page-reporter-refused-1440');
    await page.unroute('**/incidents/*/comments');

    // Sent as it is: the comment is added, the incident stays resolved, and the assignee is told by mail.
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByTestId('comment').filter({ hasText: 'It jammed again this morning.' }).waitFor();
    const { body: after } = await reporter.api.call<{ status: string }>('GET', `/incidents/${incident.id}`);
    assert.equal(after.status, 'RESOLVED', 'a comment does not re-open it');
    await waitFor('the assignee told of the comment by mail', () =>
      platform.smtp.to('staff1.it@example.com').some((mail) => mail.headers.get('x-incident-key') === incident.key && mail.text.includes('It jammed again this morning.')),
    );
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ApiClient, type RunningPlatform } from './test-support/platform.js';
import { SCREENSHOTS, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The incident board in a real browser against the real platform and the demo organisation: IT
// staff drag a card from open to in progress (and it stays there after a reload); a column the
// lifecycle keeps them from says so while the card is over it and nothing is sent; a card whose
// incident someone else changed meanwhile goes back with a message; a move that should say why
// asks first; the keyboard moves a card too, and so does a finger held on it on a touch screen; the list's priority filter narrows every column;
// reporters are turned away. At 390 px the board scrolls inside itself, never the page.

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

type Box = { x: number; y: number; width: number; height: number };
type Filed = { id: string; key: string; version: number };

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  assert.ok(found, 'the element is laid out');
  return found;
}

async function keep(page: Page, name: string, fullPage = true): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage });
}

const column = (page: Page, status: string) => page.locator(`[data-testid="board-column"][data-status="${status}"]`);
const card = (page: Page, key: string) => page.locator(`[data-testid="board-card"][data-key="${key}"]`);
const cardIn = (page: Page, status: string, key: string) => column(page, status).locator(`[data-testid="board-card"][data-key="${key}"]`);

/** Presses a card (away from its link), carries it over a column in small steps, and lets go; `whileOver` runs before letting go. */
async function drag(page: Page, key: string, to: string, whileOver?: () => Promise<void>): Promise<void> {
  const from = await box(card(page, key));
  const target = await box(column(page, to));
  const startX = from.x + from.width / 2;
  const startY = from.y + from.height - 8;
  await page.mouse.move(startX, startY);
  await page.mouse.down();
  await page.mouse.move(startX + 12, startY + 4, { steps: 3 });
  await page.mouse.move(target.x + target.width / 2, target.y + 120, { steps: 15 });
  if (whileOver) await whileOver();
  await page.mouse.up();
}

describe('the incident board in a browser', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let staffPage: Page;
  let reporter: ApiClient;
  let staff: ApiClient;
  let otherStaff: ApiClient;
  let category: string;
  const stamp = Date.now().toString(36);

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform } = web);
    reporter = new ApiClient(platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    staff = new ApiClient(platform.gatewayUrl);
    const staffId = (await staff.signIn('staff1.it@example.com', DEMO_PASSWORD)).id;
    otherStaff = new ApiClient(platform.gatewayUrl);
    await otherStaff.signIn('staff2.it@example.com', DEMO_PASSWORD);
    const { body: me } = await staff.call<{ departmentId: string }>('GET', `/users/${staffId}`);
    const categories = await reporter.call<{ items: { id: string; departmentId: string }[] }>('GET', '/categories?limit=100');
    category = categories.body.items.find((item) => item.departmentId === me.departmentId)!.id;
  });
  after(() => web?.close());

  async function file(title: string, priority = 'MEDIUM'): Promise<Filed> {
    const filed = await reporter.call<Filed>('POST', '/incidents', { title: `${title} ${stamp}`, description: 'The board tests file this one.', categoryId: category, priority });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    return filed.body;
  }

  async function statusOf(incident: Filed): Promise<string> {
    const { body } = await staff.call<{ status: string }>('GET', `/incidents/${incident.id}`);
    return body.status;
  }

  /** The status-changing requests the page sends. */
  function patchesFrom(page: Page): string[] {
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && /\/incidents\//.test(request.url())) sent.push(request.url());
    });
    return sent;
  }

  test('a reporter is told the board is not for them', async () => {
    const page = await web.signIn('reporter1.it@example.com', { landing: '/incidents/board', width: WIDE.width });
    await page.getByRole('heading', { name: 'The board is for the people who work on incidents' }).waitFor();
    assert.equal(await page.locator('[data-testid="board-card"]').count(), 0);
    await page.getByRole('link', { name: 'See your incidents' }).click();
    await page.waitForURL(/\/incidents$/);
    await page.context().close();
  });

  test('IT staff see the board, usable soon after they open it', async (t) => {
    staffPage = await web.signIn('staff1.it@example.com', { landing: '/incidents/board', width: WIDE.width });
    const started = Date.now();
    await staffPage.goto(`${web.portalUrl}/incidents/board`);
    await staffPage.locator('[data-testid="board-card"]').first().waitFor();
    t.diagnostic(`board usable (first cards shown) ${Date.now() - started} ms after navigating to it`);
    for (const status of ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED']) await column(staffPage, status).waitFor();
  });

  test('dragging an open card to in progress moves it, and it stays there after a reload', async () => {
    const incident = await file('Board drag: scanner offline');
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', incident.key).waitFor();
    const answered = staffPage.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().endsWith(`/incidents/${incident.id}`));
    await drag(staffPage, incident.key, 'IN_PROGRESS');
    // At once (optimistically), and for good once the API has answered.
    await cardIn(staffPage, 'IN_PROGRESS', incident.key).waitFor();
    assert.equal((await answered).status(), 200);
    await staffPage.reload();
    await cardIn(staffPage, 'IN_PROGRESS', incident.key).waitFor();
    assert.equal(await statusOf(incident), 'IN_PROGRESS');
  });

  test('a column the lifecycle forbids refuses the card while it is over it, and nothing is sent', async () => {
    const incident = await file('Board refusal: projector flickers');
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', incident.key).waitFor();
    const sent = patchesFrom(staffPage);
    await drag(staffPage, incident.key, 'RESOLVED', async () => {
      const resolved = column(staffPage, 'RESOLVED');
      await waitFor('the board to catch up', async () => (await resolved.getAttribute('data-drop')) === 'refused' && (await resolved.getAttribute('data-over')) === 'true', { timeoutMs: 5_000 });
      await resolved.getByTestId('drop-refusal').waitFor();
      assert.match(await resolved.getByTestId('drop-refusal').innerText(), /Can’t move here/);
      // The column a move is possible to says so too.
      assert.equal(await column(staffPage, 'IN_PROGRESS').getAttribute('data-drop'), 'allowed');
      await keep(staffPage, 'board-refusal-desktop', false);
    });
    await staffPage.getByText(`${incident.key} stays open`).waitFor();
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(sent, [], 'a refused drop sends no request');
    await cardIn(staffPage, 'OPEN', incident.key).waitFor();
    assert.equal(await statusOf(incident), 'OPEN');
  });

  test('a card whose incident someone else changed meanwhile goes back, with a message', async () => {
    const incident = await file('Board conflict: badge reader dead');
    // Without the live stream the board keeps the version it loaded, as it would while offline.
    await staffPage.route('**/incidents/stream**', (route) => route.abort());
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', incident.key).waitFor();
    const changed = await otherStaff.call('PATCH', `/incidents/${incident.id}`, { title: `Board conflict: badge reader dead (edited) ${stamp}` }, { 'If-Match': `"${incident.version}"` });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const answered = staffPage.waitForResponse((response) => response.request().method() === 'PATCH' && response.url().endsWith(`/incidents/${incident.id}`));
    await drag(staffPage, incident.key, 'IN_PROGRESS');
    assert.equal((await answered).status(), 412);
    await staffPage.getByText('Someone else changed this incident meanwhile').waitFor();
    await staffPage.getByText(`${incident.key} is back in open`).waitFor();
    await cardIn(staffPage, 'OPEN', incident.key).getByText('(edited)').waitFor();
    assert.equal(await cardIn(staffPage, 'IN_PROGRESS', incident.key).count(), 0);
    assert.equal(await statusOf(incident), 'OPEN');
    await staffPage.unroute('**/incidents/stream**');
  });

  test('a move that should say why asks first, in a dialog', async () => {
    const filed = await file('Board reason: toner empty');
    const started = await staff.call<Filed>('PATCH', `/incidents/${filed.id}`, { status: 'IN_PROGRESS' }, { 'If-Match': `"${filed.version}"` });
    assert.equal(started.status, 200);
    await staffPage.reload();
    await cardIn(staffPage, 'IN_PROGRESS', filed.key).waitFor();
    await drag(staffPage, filed.key, 'RESOLVED');
    const dialog = staffPage.getByRole('dialog');
    await dialog.getByLabel('How was it resolved?').waitFor();
    await keep(staffPage, 'board-reason-desktop', false);
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await dialog.getByText('Say why in a few words').waitFor();
    await dialog.getByLabel('How was it resolved?').fill('Put in a new cartridge');
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await cardIn(staffPage, 'RESOLVED', filed.key).waitFor();
    await waitFor('the board to catch up', async () => (await statusOf(filed)) === 'RESOLVED', { timeoutMs: 10_000 });
    const timeline = await staff.call<{ items: { newValue: unknown }[] }>('GET', `/incidents/${filed.id}/timeline?limit=100`);
    assert.ok(JSON.stringify(timeline.body).includes('Put in a new cartridge'), 'the reason is on the timeline');
  });

  test('on a touch screen a press held on a card picks it up and a drag moves it; a quick swipe moves nothing', async () => {
    const swiped = await file('Board touch: swipe only');
    const held = await file('Board touch: kiosk offline');
    const context = await web.browser.newContext({ viewport: WIDE, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${web.portalUrl}/incidents/board`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill('staff1.it@example.com');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/incidents\/board$/);
    await cardIn(page, 'OPEN', held.key).waitFor();
    const sent = patchesFrom(page);
    // Chromium's own touch input (DevTools protocol), as a finger gives it.
    const cdp = await context.newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    const slide = async (from: { x: number; y: number }, to: { x: number; y: number }) => {
      for (let step = 1; step <= 12; step += 1) await touch('touchMove', from.x + ((to.x - from.x) * step) / 12, from.y + ((to.y - from.y) * step) / 12);
    };
    // Where a finger can reach: the card brought into view, and the part of a column on screen.
    const start = async (key: string) => {
      await card(page, key).scrollIntoViewIfNeeded();
      const from = await box(card(page, key));
      return { x: from.x + from.width / 2, y: from.y + from.height - 8 };
    };
    const over = async (status: string) => {
      const target = await box(column(page, status));
      const top = Math.max(target.y, 80);
      const bottom = Math.min(target.y + target.height, WIDE.height - 20);
      return { x: target.x + target.width / 2, y: top + Math.min(120, (bottom - top) / 2) };
    };

    // A swipe that does not wait is a scroll, not a pick-up: nothing moves, nothing is sent.
    let from = await start(swiped.key);
    await touch('touchStart', from.x, from.y);
    await slide(from, await over('IN_PROGRESS'));
    await touch('touchEnd');
    await page.waitForTimeout(500);
    await cardIn(page, 'OPEN', swiped.key).waitFor();
    assert.deepEqual(sent, [], 'a swipe sends nothing');
    // The swipe scrolled the page as a swipe does; back to the top before the next gesture.
    await page.evaluate('window.scrollTo(0, 0)');

    // Held past the pick-up delay, the card follows the finger and lands where it is let go.
    from = await start(held.key);
    await touch('touchStart', from.x, from.y);
    await page.waitForTimeout(400);
    await touch('touchMove', from.x + 10, from.y + 4);
    await slide({ x: from.x + 10, y: from.y + 4 }, await over('IN_PROGRESS'));
    await touch('touchEnd');
    await cardIn(page, 'IN_PROGRESS', held.key).waitFor();
    await waitFor('the move to be saved', async () => (await statusOf(held)) === 'IN_PROGRESS', { timeoutMs: 10_000 });
    assert.equal(sent.length, 1, 'one move, one request');
    assert.equal(await statusOf(swiped), 'OPEN');
    await context.close();
  });

  test('the keyboard moves a card: focus it, space, arrow, space', async () => {
    const incident = await file('Board keyboard: headset crackles');
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', incident.key).waitFor();
    await cardIn(staffPage, 'OPEN', incident.key).getByTestId('card-handle').focus();
    await staffPage.keyboard.press('Space');
    // Picked up: its column knows, and screen readers hear where it is (the announcement of the pick-up is followed at once by this one).
    await waitFor('the card picked up', async () => (await column(staffPage, 'OPEN').getAttribute('data-drop')) === 'source', { timeoutMs: 5_000 });
    const announced = staffPage.locator('[id^="DndLiveRegion"]');
    await waitFor('the pick-up announced', async () => /picked up|over open/i.test(await announced.innerText()), { timeoutMs: 5_000 });
    await staffPage.keyboard.press('ArrowRight');
    await waitFor('the card over the next column', async () => (await column(staffPage, 'IN_PROGRESS').getAttribute('data-over')) === 'true', { timeoutMs: 5_000 });
    await waitFor('the column announced', async () => /over in progress: start work if dropped here/i.test(await announced.innerText()), { timeoutMs: 5_000 });
    await staffPage.keyboard.press('Space');
    await cardIn(staffPage, 'IN_PROGRESS', incident.key).waitFor();
    await waitFor('the board to catch up', async () => (await statusOf(incident)) === 'IN_PROGRESS', { timeoutMs: 10_000 });
  });

  test('the "Move to…" menu offers the allowed moves and says why the others are not', async () => {
    const incident = await file('Board menu: monitor dim');
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', incident.key).getByRole('button', { name: `Move ${incident.key} to…` }).click();
    const menu = staffPage.getByRole('menu');
    assert.equal(await menu.getByRole('menuitem', { name: /Resolved/ }).getAttribute('aria-disabled'), 'true');
    await menu.getByRole('menuitem', { name: /In progress/ }).click();
    await cardIn(staffPage, 'IN_PROGRESS', incident.key).waitFor();
    await waitFor('the board to catch up', async () => (await statusOf(incident)) === 'IN_PROGRESS', { timeoutMs: 10_000 });
  });

  test('the priority filter narrows every column, and the list link keeps it', async () => {
    const urgent = await file('Board filter: server room hot', 'HIGH');
    const minor = await file('Board filter: mouse squeaks', 'LOW');
    await staffPage.goto(`${web.portalUrl}/incidents/board`);
    await cardIn(staffPage, 'OPEN', urgent.key).waitFor();
    await cardIn(staffPage, 'OPEN', minor.key).waitFor();
    await staffPage.getByRole('combobox', { name: 'Priority' }).click();
    await staffPage.getByRole('option', { name: 'High' }).click();
    await staffPage.waitForURL(/priority=HIGH/);
    await waitFor('the board to catch up', async () => (await card(staffPage, minor.key).count()) === 0, { timeoutMs: 10_000 });
    await cardIn(staffPage, 'OPEN', urgent.key).waitFor();
    for (const status of ['OPEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'CANCELLED']) {
      const priorities: (string | null)[] = [];
      for (const shown of await column(staffPage, status).locator('[data-testid="board-card"]').all()) priorities.push(await shown.getAttribute('data-priority'));
      assert.ok(priorities.every((priority) => priority === 'HIGH'), `${status}: ${priorities.join(', ')}`);
    }
    // Each column's figure is the API's count of what matches (all shown here: fewer than a page).
    for (const status of ['OPEN', 'IN_PROGRESS']) {
      const shown = await column(staffPage, status).locator('[data-testid="board-card"]').count();
      await waitFor(`the ${status} count`, async () => (await column(staffPage, status).getByTestId('column-count').innerText()) === String(shown), { timeoutMs: 5_000 });
    }
    assert.match((await staffPage.getByRole('link', { name: 'As a list' }).getAttribute('href')) ?? '', /priority=HIGH/);
  });

  test('long titles stay inside their cards; on a phone the board scrolls inside itself', async () => {
    const long = await file(`Unbroken${'x'.repeat(170)}`);
    await staffPage.setViewportSize(WIDE);
    await staffPage.goto(`${web.portalUrl}/incidents/board`);
    await cardIn(staffPage, 'OPEN', long.key).waitFor();
    const open = await box(column(staffPage, 'OPEN'));
    const wide = await box(cardIn(staffPage, 'OPEN', long.key));
    assert.ok(wide.width <= open.width, `the card (${wide.width}px) fits its column (${open.width}px)`);
    assert.ok((await staffPage.evaluate<number>('document.documentElement.scrollWidth')) <= WIDE.width);
    await keep(staffPage, 'board-desktop');

    await staffPage.setViewportSize(PHONE);
    await staffPage.reload();
    await cardIn(staffPage, 'OPEN', long.key).waitFor();
    assert.ok((await staffPage.evaluate<number>('document.documentElement.scrollWidth')) <= PHONE.width, 'the page never scrolls sideways');
    const board = 'document.querySelector(\'[data-testid="board"]\')';
    const sizes = await staffPage.evaluate<{ scroll: number; client: number; snap: string }>(`(() => { const board = ${board}; return { scroll: board.scrollWidth, client: board.clientWidth, snap: getComputedStyle(board).scrollSnapType }; })()`);
    assert.ok(sizes.scroll > sizes.client, 'the board scrolls sideways inside its own box');
    assert.match(sizes.snap, /x mandatory/);
    const phoneCard = await box(cardIn(staffPage, 'OPEN', long.key));
    assert.ok(phoneCard.width < PHONE.width, `the card (${phoneCard.width}px) fits the phone`);
    await keep(staffPage, 'board-phone', false);
    await staffPage.evaluate(`${board}.scrollBy({ left: ${board}.clientWidth })`);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await keep(staffPage, 'board-phone-scrolled', false);
    await staffPage.setViewportSize(WIDE);
  });
});

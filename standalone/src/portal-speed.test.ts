import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// How soon the list and the board are usable on the demo data as `npm start` seeds it (eight
// weeks of history, several hundred incidents): from asking for the page to its first rows or
// cards on screen, by a full load of the address and by the sidebar (the portal's own
// navigation), for each role that works incidents. Reported, not asserted: timings on a machine
// shared with other suites say little about the code (bench/ holds the benchmarks); what is
// asserted is that each page shows the history's incidents.

const WIDE = 1440;
const ROUNDS = 3;

describe('the list and the board on the demo data with its history, in a browser', () => {
  let web: PortalInBrowser;
  const figures: string[] = [];

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true, demoHistoryWeeks: 8 });
  });
  after(async () => {
    await web?.close();
  });

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const summary = (values: number[]) => `median ${Math.round(median(values))} ms, slowest ${Math.round(Math.max(...values))} ms (${values.map(Math.round).join(', ')})`;

  /** Milliseconds from `go` to the first of `ready` being visible. */
  async function timeTo(page: Page, go: () => Promise<unknown>, ready: string): Promise<number> {
    const started = performance.now();
    await go();
    await page.locator(ready).first().waitFor({ state: 'visible' });
    return performance.now() - started;
  }

  async function measure(t: TestContext, email: string, password?: string): Promise<void> {
    const page = await web.signIn(email, { width: WIDE, landing: '/', ...(password ? { password } : {}) });
    page.setDefaultTimeout(60_000);
    // The role's home with eight weeks behind it (kept when PORTAL_SCREENSHOTS is set).
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.locator('[data-slot="skeleton"]').first().waitFor({ state: 'detached', timeout: 30_000 });
    await web.screenshotBothWidths(page, `history-home-${email.split('@')[0]}`);
    const sidebar = page.getByTestId('sidebar');
    const loads = { list: [] as number[], board: [] as number[], listBySidebar: [] as number[], boardBySidebar: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      loads.list.push(await timeTo(page, () => page.goto(`${web.portalUrl}/incidents`, { waitUntil: 'commit' }), '[data-testid="incident-row"]'));
      loads.board.push(await timeTo(page, () => page.goto(`${web.portalUrl}/incidents/board`, { waitUntil: 'commit' }), '[data-testid="board-card"]'));
      await page.goto(`${web.portalUrl}/`);
      await sidebar.waitFor();
      loads.listBySidebar.push(await timeTo(page, () => sidebar.getByRole('link', { name: 'Incidents', exact: true }).click(), '[data-testid="incident-row"]'));
      loads.boardBySidebar.push(await timeTo(page, () => sidebar.getByRole('link', { name: 'Board', exact: true }).click(), '[data-testid="board-card"]'));
    }
    // The history is there: a full first page of rows, and cards in every column the viewer sees.
    await page.goto(`${web.portalUrl}/incidents`);
    await page.locator('[data-testid="incident-row"]').nth(19).waitFor();
    const lines = [
      `${email} list, address loaded: ${summary(loads.list)}`,
      `${email} list, by the sidebar: ${summary(loads.listBySidebar)}`,
      `${email} board, address loaded: ${summary(loads.board)}`,
      `${email} board, by the sidebar: ${summary(loads.boardBySidebar)}`,
    ];
    for (const line of lines) t.diagnostic(line);
    figures.push(...lines);
    await page.context().close();
  }

  test('the demo holds its history: several hundred incidents, most of them from past weeks', async () => {
    const admin = new ApiClient(web.platform.gatewayUrl);
    await admin.signIn(ADMIN.email, ADMIN.password);
    const count = await admin.call<{ count: number; capped?: boolean }>('GET', '/incidents/count');
    assert.equal(count.status, 200);
    assert.ok(count.body.count >= 300, `several hundred incidents (${count.body.count})`);
  });

  test('IT staff: the list and the board are usable soon after navigation (reported)', async (t) => {
    await measure(t, 'staff1.it@example.com');
  });

  test('the IT manager: the list and the board are usable soon after navigation (reported)', async (t) => {
    await measure(t, 'manager.it@example.com');
  });

  test('the administrator: the list and the board are usable soon after navigation (reported)', async (t) => {
    await measure(t, ADMIN.email, ADMIN.password);
    process.stdout.write(`portal speed on the demo data with its history (1440 px, ${ROUNDS} rounds):\n${figures.map((line) => `  ${line}`).join('\n')}\n`);
  });
});

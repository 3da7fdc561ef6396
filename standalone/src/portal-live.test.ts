import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, waitFor } from '@desk/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { seedDemo } from './demo-seed.js';
import { ensurePortalBuild, startPortal, type RunningPortal } from './portal.js';
import { ADMIN, ApiClient, startPlatform, type RunningPlatform } from './test-support/platform.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// The portal's live notifications in a real browser against the real platform: a new
// notification shows as a toast, and a stream the server closes as one too many is not
// reconnected (it would push out the person's newer streams in turn).

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Set to a directory to keep screenshots (phone and desktop widths). */
const SCREENSHOTS = process.env.PORTAL_SCREENSHOTS;

describe('live notifications in the portal', () => {
  let platform: RunningPlatform;
  let portal: RunningPortal;
  let browser: Browser;
  let portalUrl: string;
  let reporter: ApiClient;
  let category: string;

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}`);
    await ensurePortalBuild(() => undefined);
    const port = await freePort();
    portalUrl = `http://127.0.0.1:${port}`;
    platform = await startPlatform({ gateway: { CORS_ORIGINS: portalUrl } });
    await seedDemo({ identityUrl: platform.identityUrl, incidentUrl: platform.incidentUrl }, ADMIN, () => undefined);
    portal = await startPortal({ port, host: '127.0.0.1', apiUrl: platform.gatewayUrl, publicApiUrl: platform.gatewayUrl });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    reporter = new ApiClient(platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const categories = await reporter.call<{ items: { id: string; name: string; departmentId: string }[] }>('GET', '/categories?limit=100');
    const manager = new ApiClient(platform.gatewayUrl);
    const { id: managerId } = await manager.signIn('manager.it@example.com', DEMO_PASSWORD);
    const { body: me } = await manager.call<{ departmentId: string }>('GET', `/users/${managerId}`);
    category = categories.body.items.find((item) => item.departmentId === me.departmentId)!.id;
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
    await platform?.close();
  });

  async function signIn(email: string, width: number): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${portalUrl}/incidents`);
    await page.waitForURL(/\/login\?next=%2Fincidents/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${portalUrl}/incidents`);
    return page;
  }

  async function file(title: string): Promise<void> {
    const filed = await reporter.call('POST', '/incidents', { title, description: 'For the live toast.', categoryId: category });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
  }

  for (const [name, width] of [['desktop', 1280], ['phone', 390]] as const) {
    test(`when an incident is filed in their department, then the manager's open portal shows it as a toast (${name})`, async () => {
      const page = await signIn('manager.it@example.com', width);
      await waitFor('the portal to follow the stream', () => platform.gateway.streams.count() > 0);
      const title = `Coffee machine leaks ${name} ${Date.now()}`;
      await file(title);
      // The toast itself: the list, refreshed by the same notification, shows the title too (hidden on phones).
      await page.locator('[data-sonner-toast]').filter({ hasText: title }).first().waitFor();
      if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `live-toast-${name}.png`) });
      await page.context().close();
    });
  }

  test('when the person opens more streams elsewhere, then the portal is told its stream was one too many and does not reconnect', async () => {
    const page = await signIn('staff1.it@example.com', 1280);
    const staff = new ApiClient(platform.gatewayUrl);
    const { id } = await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    await waitFor("the portal's stream", () => platform.notifications.streams.openStreamsOf(id) === 1);
    const others: AbortController[] = [];
    let othersEnded = 0;
    for (let i = 0; i < 5; i += 1) {
      const controller = new AbortController();
      others.push(controller);
      const response = await fetch(`${platform.gatewayUrl}/notifications/stream`, { headers: { Authorization: `Bearer ${staff.token}` }, signal: controller.signal });
      assert.equal(response.status, 200);
      void response.body!.pipeTo(new WritableStream()).then(
        () => (othersEnded += 1),
        () => undefined,
      );
    }
    // The portal backs off 2 s before reconnecting after a stream ends; it must not at all.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    assert.equal(othersEnded, 0, 'none of the five newer streams was pushed out by a reconnecting portal');
    assert.equal(platform.notifications.streams.openStreamsOf(id), 5);
    const title = `Stapler jammed ${Date.now()}`;
    await file(title);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.equal(await page.locator('[data-sonner-toast]').filter({ hasText: title }).count(), 0, 'no toast: the portal stopped following');
    for (const controller of others) controller.abort();
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { ApiClient, type RunningPlatform } from './test-support/platform.js';
import { SCREENSHOTS, startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// The portal's live notifications in a real browser against the real platform: a new
// notification shows as a toast, and a stream the server closes as one too many is not
// reconnected (it would push out the person's newer streams in turn).

describe('live notifications in the portal', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let reporter: ApiClient;
  let category: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    ({ platform } = web);
    reporter = new ApiClient(platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const categories = await reporter.call<{ items: { id: string; name: string; departmentId: string }[] }>('GET', '/categories?limit=100');
    const manager = new ApiClient(platform.gatewayUrl);
    const { id: managerId } = await manager.signIn('manager.it@example.com', DEMO_PASSWORD);
    const { body: me } = await manager.call<{ departmentId: string }>('GET', `/users/${managerId}`);
    category = categories.body.items.find((item) => item.departmentId === me.departmentId)!.id;
  });
  after(() => web?.close());

  const signIn = (email: string, width: number) => web.signIn(email, { width });

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

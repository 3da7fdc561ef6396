import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '@desk/testing';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { checkAccessibility } from './test-support/accessibility.js';
import { ADMIN, ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Administration › Webhooks in a real browser: an admin registers an endpoint of a receiver
// running here, keeps its secret, watches a failed delivery in the log, redelivers it, rotates
// the secret and disables the endpoint.

describe('webhooks in the portal', () => {
  let web: PortalInBrowser;
  let reporter: ApiClient;
  let receiver: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failing = true;

  before(async () => {
    receiver = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (failing) {
          response.writeHead(503, { 'content-type': 'text/plain' });
          response.end('maintenance until 10:00');
        } else {
          response.writeHead(204);
          response.end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    web = await startPortalInBrowser({
      seedDemo: true,
      // The receiver is on the loopback address, which the deployment must allow; retries are an hour apart, so the log holds still.
      platform: { notification: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32', WEBHOOK_RETRY_DELAY: '1h' } },
    });
    reporter = new ApiClient(web.platform.gatewayUrl);
    await reporter.signIn('reporter1.it@example.com', DEMO_PASSWORD);
  });
  after(async () => {
    await web?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  test('an admin registers an endpoint, keeps its secret, sees a failed delivery with the answer, redelivers it, rotates the secret and disables the endpoint', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/desk-events`;
    const page = await web.signIn(ADMIN.email, { password: ADMIN.password });
    await page.goto(`${web.portalUrl}/admin`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/admin\/webhooks$/);
    await page.getByText('No webhook endpoints yet.').waitFor();

    await page.getByRole('button', { name: 'New endpoint' }).click();
    const dialog = page.getByRole('dialog');
    // A private address the deployment does not allow is refused by the API, next to the field.
    await dialog.getByLabel('URL', { exact: true }).fill('http://10.0.0.7/hook');
    await dialog.getByLabel('Description', { exact: true }).fill('Status page');
    await dialog.getByRole('button', { name: 'Register' }).click();
    await dialog.getByText(/10\.0\.0\.7 is a private address/).first().waitFor();
    await dialog.getByLabel('URL', { exact: true }).fill(url);
    await web.screenshot(page, 'webhook-dialog');
    await dialog.getByRole('button', { name: 'Register' }).click();
    const secret = (await dialog.getByTestId('webhook-secret').textContent())!.trim();
    assert.match(secret, /^whsec_/);
    await web.screenshot(page, 'webhook-secret');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('link', { name: url }).waitFor();
    await web.screenshotBothWidths(page, 'webhooks');
    await web.assertFitsPhone(page, 'the webhook list');

    // A new incident is delivered; the receiver is down, so the log shows the failure and its answer.
    const filed = await reporter.call<{ key: string }>('POST', '/incidents', { title: 'Printer offline on floor 2', description: 'It shows an error light.', categoryId: await firstCategory(reporter) });
    assert.equal(filed.status, 201);
    await waitFor('the first attempt', () => received.length === 1);
    const payload = new StandardWebhook(secret).verify(received[0]!.body, plain(received[0]!.headers)) as { type: string; data: { incident: { key: string } } };
    assert.deepEqual([payload.type, payload.data.incident.key], ['incident.created', filed.body.key]);

    await page.getByRole('link', { name: url }).click();
    await page.waitForURL(/\/admin\/webhooks\/[0-9a-f-]{36}$/);
    await page.getByText('answered 503').first().waitFor();
    await page.getByRole('button', { name: /incident\.created/ }).click();
    await page.getByText('maintenance until 10:00').waitFor();
    await page.getByText('webhook-signature: v1,').waitFor();
    const report = await checkAccessibility(page);
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(page, 'webhook-detail');
    await web.assertFitsPhone(page, 'the webhook page');

    // The receiver is back: send it again by hand.
    failing = false;
    await page.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByText('Sending it again').waitFor();
    await waitFor('the second attempt', () => received.length === 2);
    assert.equal(received[1]!.headers['webhook-id'], received[0]!.headers['webhook-id']);
    await page.getByText('Delivered', { exact: true }).waitFor({ timeout: 15_000 });

    // A new secret; the old one keeps signing for a day.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate' }).click();
    const rotated = (await page.getByTestId('webhook-secret').textContent())!.trim();
    assert.notEqual(rotated, secret);
    await page.getByRole('dialog').getByText(/Deliveries carry both signatures until/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    await page.getByText(/The previous secret also signs deliveries until/).waitFor();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Endpoint disabled').waitFor();
    await page.getByText('Disabled by an admin', { exact: false }).waitFor();
    await web.screenshot(page, 'webhook-disabled');
    await page.context().close();
  });

  test('staff have no Webhooks page, and the API refuses them', async () => {
    const page = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD });
    await page.goto(`${web.portalUrl}/admin/webhooks`);
    await page.getByText('Administration is for administrators').waitFor();
    await page.context().close();
    const staff = new ApiClient(web.platform.gatewayUrl);
    await staff.signIn('staff1.it@example.com', DEMO_PASSWORD);
    assert.equal((await staff.call('GET', '/webhooks')).status, 403);
  });
});

const plain = (headers: http.IncomingHttpHeaders) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));

async function firstCategory(client: ApiClient): Promise<string> {
  const categories = await client.call<{ items: { id: string }[] }>('GET', '/categories');
  return categories.body.items[0]!.id;
}

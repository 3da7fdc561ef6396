import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkAccessibility } from './test-support/accessibility.js';
import { ApiClient } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';
import { DEMO_PASSWORD } from './config.js';

// test-needs: portal-build

// Files on an incident in a real browser: a reporter attaches a screenshot and a log (with
// progress), sees the thumbnail, is refused a type the platform does not take; staff add an
// internal file the reporter never sees, download the reporter's log, and the reporter deletes
// their own screenshot, which the timeline records.

/** A 64×48 PNG, blue. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAfUlEQVRoge2SAQkAURSDVsRKl984F2M8/sAAOhY+T5O6AQuwviK7kHdJ3YAFWF+RXci7pG7AAqyvyC7kXVI3YAHWV2QX8i6pG7AA6yuyC3mX1A1YgPUV2YW8S+oGLMD6iuxC3iV1AxZgfUV2Ie+SugELsL4iu5B3Sd2AxwN+zdYk4lYIdsIAAAAASUVORK5CYII=', 'base64');

describe('attachments in the portal', () => {
  let web: PortalInBrowser;
  let reporterApi: ApiClient;
  let files: string;
  let key: string;
  let incidentId: string;

  before(async () => {
    web = await startPortalInBrowser({ seedDemo: true });
    reporterApi = new ApiClient(web.platform.gatewayUrl);
    await reporterApi.signIn('reporter1.it@example.com', DEMO_PASSWORD);
    const categories = await reporterApi.call<{ items: { id: string; name: string }[] }>('GET', '/categories');
    const created = await reporterApi.call<{ id: string; key: string }>('POST', '/incidents', {
      title: 'Projector in room 4.12 shows no picture',
      description: 'The projector turns on but the screen stays blue. Screenshot and log attached.',
      categoryId: categories.body.items[0]!.id,
    });
    assert.equal(created.status, 201);
    key = created.body.key;
    incidentId = created.body.id;
    files = mkdtempSync(path.join(tmpdir(), 'desk-portal-files-'));
    writeFileSync(path.join(files, 'blue-screen.png'), PNG);
    writeFileSync(path.join(files, 'projector.log'), 'HDMI: no signal\n'.repeat(2000));
    writeFileSync(path.join(files, 'page.html'), '<!doctype html><script>alert(1)</script>');
    writeFileSync(path.join(files, 'cable-test.txt'), 'Cable swapped, still blue.\n');
    writeFileSync(path.join(files, 'morning.log'), 'HDMI: handshake failed\n'.repeat(40));
  });
  after(async () => {
    await web?.close();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  test('a reporter attaches a screenshot and a log, sees the thumbnail, and is refused a web page with the reason', async () => {
    const page = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${key}` });
    const card = page.getByTestId('attachments');
    await card.getByText('No files yet').waitFor();
    await card.getByTestId('attachment-input').setInputFiles([path.join(files, 'blue-screen.png'), path.join(files, 'projector.log')]);
    await page.getByText('blue-screen.png is attached').waitFor();
    await page.getByText('projector.log is attached').waitFor();
    await card.getByTestId('attachment').filter({ hasText: 'blue-screen.png' }).locator('img').waitFor({ timeout: 15_000 });
    await card.getByText('Files').first().waitFor();

    await card.getByTestId('attachment-input').setInputFiles(path.join(files, 'page.html'));
    await page.getByText('page.html was not attached: This type of file is not accepted').waitFor();
    await page.getByText(/its name ends in \.html/).waitFor();

    await page.getByTestId('timeline-entry').filter({ hasText: 'attached blue-screen.png' }).first().waitFor();

    // A comment with a file: the file shows under the comment, downloadable there.
    await page.getByPlaceholder('Write a comment…').fill('Here is the log from this morning, too.');
    await page.getByTestId('comment-files').setInputFiles(path.join(files, 'morning.log'));
    await page.getByRole('list', { name: 'Files to attach' }).getByText('morning.log').waitFor();
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.getByTestId('comment').filter({ hasText: 'Here is the log from this morning' }).getByRole('button', { name: /^Download morning\.log/ }).waitFor();
    await card.getByTestId('attachment').filter({ hasText: 'morning.log' }).getByText('on a comment').waitFor();
    await page.mouse.move(0, 0);
    await page.locator('[data-sonner-toast]').first().waitFor({ state: 'detached', timeout: 15_000 });
    const report = await checkAccessibility(page);
    assert.deepEqual(report.blocking, []);
    await web.screenshotBothWidths(page, 'attachments-reporter');
    await web.assertFitsPhone(page, 'the incident with its files');
    await page.context().close();
  });

  test('staff attach an internal file the reporter never sees, and download the reporter\'s log byte for byte', async () => {
    const staff = await web.signIn('staff1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${key}` });
    const card = staff.getByTestId('attachments');
    await card.getByTestId('attachment').filter({ hasText: 'projector.log' }).waitFor();
    await card.getByRole('switch', { name: 'Internal' }).click();
    await card.getByTestId('attachment-input').setInputFiles(path.join(files, 'cable-test.txt'));
    await staff.getByText('cable-test.txt is attached').waitFor();
    await card.getByTestId('attachment').filter({ hasText: 'cable-test.txt' }).getByText('Internal').waitFor();

    const downloading = staff.waitForEvent('download');
    await card.getByRole('button', { name: 'Download projector.log' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'projector.log');
    const saved = path.join(files, 'downloaded.log');
    await download.saveAs(saved);
    assert.equal(readFileSync(saved, 'utf8'), 'HDMI: no signal\n'.repeat(2000));
    await web.screenshot(staff, 'attachments-staff');
    await staff.context().close();

    const listed = await reporterApi.call<{ items: { fileName: string }[] }>('GET', `/incidents/${incidentId}/attachments`);
    assert.deepEqual(listed.body.items.map((item) => item.fileName).sort(), ['blue-screen.png', 'morning.log', 'projector.log']);
    const reporter = await web.signIn('reporter1.it@example.com', { password: DEMO_PASSWORD, landing: `/incidents/${key}` });
    await reporter.getByTestId('attachment').filter({ hasText: 'projector.log' }).waitFor();
    assert.equal(await reporter.getByText('cable-test.txt').count(), 0, 'the reporter never sees the internal file, nor its timeline entry');

    // The reporter deletes their screenshot; the timeline keeps who did it.
    await reporter.getByRole('button', { name: 'Delete blue-screen.png' }).click();
    await reporter.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await reporter.getByText('blue-screen.png is deleted').waitFor();
    await reporter.getByTestId('timeline-entry').filter({ hasText: 'deleted the file blue-screen.png' }).waitFor();
    await reporter.getByTestId('attachment').filter({ hasText: 'blue-screen.png' }).waitFor({ state: 'detached' });
    assert.equal(await reporter.getByTestId('attachment').count(), 2);
    await reporter.context().close();
  });
});

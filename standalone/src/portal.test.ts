import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { retryTiers } from '@desk/messaging';
import { waitFor } from '@desk/testing';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from './config.js';
import { ADMIN, type RunningPlatform } from './test-support/platform.js';
import { startPortalInBrowser, type PortalInBrowser } from './test-support/portal-browser.js';

// test-needs: portal-build

// The portal in a real browser against the real platform (every service, Postgres, RabbitMQ),
// seeded with the demo organisation: the production build of the portal, served the way the
// launcher and the image serve it. Chromium comes from Debian (apt-get install chromium); tests
// never download a browser.

describe('the web portal in a browser', () => {
  let web: PortalInBrowser;
  let platform: RunningPlatform;
  let portalUrl: string;

  before(async () => {
    // Three quick attempts before an event is parked (the default takes hours), for Event health.
    web = await startPortalInBrowser({ seedDemo: true, platform: { delivery: { maxAttempts: 3, retryDelayMs: retryTiers([100, 200]) } } });
    ({ platform, portalUrl } = web);
  });
  after(() => web?.close());

  /** A person of their own: a browser context has its own cookies, so its own session. */
  const signIn = (email: string, password = DEMO_PASSWORD) => web.signIn(email, { password });
  const screenshot = (page: Page, name: string) => web.screenshot(page, name);

  test('a reporter files an incident; staff of its department start and resolve it with a comment and an internal note; the reporter sees the comment, never the note', async () => {
    const title = `Projector in room 5 shows no picture ${Date.now()}`;

    // The reporter files it.
    const reporter = await signIn('reporter1.it@example.com');
    const cookies = await reporter.context().cookies();
    const session = cookies.find((cookie) => cookie.name === 'desk_session');
    assert.ok(session, 'the refresh token is kept as a cookie');
    assert.equal(session.httpOnly, true, 'out of reach of scripts');
    assert.equal(session.sameSite, 'Strict');
    assert.doesNotMatch(await reporter.evaluate<string>('document.cookie'), /desk_session/, 'scripts on the page cannot read it');

    await reporter.getByRole('link', { name: 'Report incident' }).first().click();
    await reporter.waitForURL(/\/incidents\/new$/);
    await reporter.getByRole('button', { name: 'Report incident' }).click();
    await reporter.getByText('Choose a category').waitFor();
    await reporter.getByRole('combobox', { name: 'Category' }).click();
    await reporter.getByRole('option', { name: 'Network' }).click();
    // A pasted title longer than the API takes is kept, and the counter says by how much.
    await reporter.getByLabel('Title').fill('x'.repeat(205));
    await reporter.getByTestId('title-counter').filter({ hasText: '205 / 200 characters — 5 too many' }).waitFor();
    await reporter.getByLabel('Title').fill(title);
    await reporter.getByTestId('title-counter').filter({ hasText: `${title.length} / 200 characters` }).waitFor();
    await reporter.getByLabel('Description').fill('The projector says "no signal" with every laptop since this morning.');
    await reporter.getByRole('button', { name: 'Report incident' }).click();
    await reporter.waitForURL(/\/incidents\/INC-\d{6,}$/);
    const key = reporter.url().split('/').at(-1)!;
    await reporter.getByTestId('incident-title').filter({ hasText: title }).waitFor();
    assert.equal(await reporter.locator('[data-status="OPEN"]').count() > 0, true);

    await reporter.getByRole('link', { name: 'Incidents' }).first().click();
    await reporter.getByTestId('incident-row').filter({ hasText: title }).waitFor();

    // Staff of IT start work, write a note for colleagues and a comment for the reporter, and resolve it.
    const staff = await signIn('staff1.it@example.com');
    await staff.getByTestId('incident-row').filter({ hasText: title }).click();
    await staff.waitForURL(new RegExp(`/incidents/${key}$`));
    await staff.getByRole('button', { name: 'Start work' }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Start work' }).click();
    await staff.locator('[data-status="IN_PROGRESS"]').first().waitFor();

    await staff.getByRole('switch', { name: /Internal note/ }).click();
    await staff.getByLabel('Comment').fill('Cable in the floor box looks damaged; ordering a new one.');
    await staff.getByRole('button', { name: 'Add note' }).click();
    await staff.getByTestId('internal-note').filter({ hasText: 'Cable in the floor box' }).waitFor();

    await staff.getByLabel('Comment').fill('We replaced the HDMI cable; it works again.');
    await staff.getByRole('button', { name: 'Comment', exact: true }).click();
    await staff.getByTestId('comment').filter({ hasText: 'We replaced the HDMI cable' }).waitFor();

    await staff.getByRole('button', { name: 'Resolve' }).click();
    await staff.getByRole('dialog').getByLabel('How was it resolved?').fill('New cable fitted.');
    await staff.getByRole('dialog').getByRole('button', { name: 'Resolve' }).click();
    await staff.locator('[data-status="RESOLVED"]').first().waitFor();

    // The reporter sees where it stands and the public comment, and nothing of the note.
    await reporter.goto(`${portalUrl}/incidents/${key}`);
    await reporter.locator('[data-status="RESOLVED"]').first().waitFor();
    await reporter.getByTestId('comment').filter({ hasText: 'We replaced the HDMI cable' }).waitFor();
    // Who answered, by name (the people on an incident, not the directory).
    await reporter.getByTestId('comment').filter({ hasText: 'Daniel Okafor' }).waitFor();
    assert.equal(await reporter.getByTestId('internal-note').count(), 0);
    assert.equal(await reporter.getByText('Cable in the floor box').count(), 0);
    assert.equal(await reporter.getByRole('switch', { name: /Internal note/ }).count(), 0, 'no internal-note toggle for reporters');
    // The history runs in the same conversation: the reason given when it was resolved.
    await reporter.getByTestId('incident-conversation').getByText('New cable fitted.').waitFor();
    assert.equal(await reporter.getByText(/internal note/i).count(), 0, 'not even that a note was written');
    // What a reporter may do with a resolved incident: close it, or say it is not fixed.
    await reporter.getByRole('button', { name: 'Close' }).waitFor();
    await reporter.getByRole('button', { name: 'Not fixed: re-open' }).waitFor();

    // Signing out ends the session: the next visit asks to sign in again.
    await reporter.getByRole('button', { name: 'Account menu' }).click();
    await reporter.getByRole('menuitem', { name: 'Sign out' }).click();
    await reporter.waitForURL(/\/login/);
    await reporter.goto(`${portalUrl}/incidents`);
    await reporter.waitForURL(/\/login\?next=/);
  });

  test('a sign-in link whose next page is elsewhere (another host, however written) lands on the portal\'s incidents', async () => {
    for (const next of ['/%5Cevil.example', '/%09/evil.example', '//evil.example', 'https://evil.example', 'javascript:alert(document.domain)']) {
      const page = await web.newPage();
      const context = page.context();
      await page.goto(`${portalUrl}/login?next=${next}`);
      await page.getByLabel('Email').fill('reporter1.it@example.com');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${portalUrl}/incidents`);
      assert.equal(new URL(page.url()).origin, portalUrl, next);
      await context.close();
    }
  });

  test('a sign-in form cannot be sent before the page\'s script runs (no password in an address), and takes the focus once it can', async () => {
    // The page as the server sends it, before (here: without) its script: nothing to type into
    // or press, so no click can make the browser send the form itself, as a GET that would put the
    // password into the address, the history and the server's logs.
    const bare = await web.browser.newContext({ javaScriptEnabled: false });
    try {
      for (const path of ['/login?next=%2Fincidents', '/register', '/forgot-password', '/reset-password?token=x']) {
        const page = await bare.newPage();
        await page.goto(`${portalUrl}${path}`);
        const fields = page.locator('form input, form button');
        assert.ok((await fields.count()) > 0, `${path} has a form`);
        assert.equal(await page.locator('form input:enabled, form button:enabled').count(), 0, `${path}: every field and button is disabled`);
        assert.equal(await page.locator('form').first().getAttribute('method'), 'post', path);
      }
    } finally {
      await bare.close();
    }
    // With its script the form works, and the email field has the focus the page gives it.
    const page = await web.newPage();
    await page.goto(`${portalUrl}/login`);
    await page.locator('input[type="email"]:focus').waitFor();
    await page.context().close();
  });

  test('every page carries a strict Content-Security-Policy with a fresh nonce: the portal works under it, and a script without the nonce does not run', async () => {
    const first = await fetch(`${portalUrl}/login`);
    const second = await fetch(`${portalUrl}/login`);
    const policy = first.headers.get('content-security-policy') ?? '';
    const scriptSrc = policy.split(';').map((directive) => directive.trim()).find((directive) => directive.startsWith('script-src')) ?? '';
    assert.match(scriptSrc, /'nonce-[A-Za-z0-9+/=]{16,}'/, policy);
    assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/, policy);
    assert.match(policy, /object-src 'none'/);
    assert.match(policy, /frame-ancestors 'none'/);
    assert.notEqual(scriptSrc, (second.headers.get('content-security-policy') ?? '').split(';').find((directive) => directive.trim().startsWith('script-src'))?.trim(), 'a nonce per response');
    // Every script Next.js rendered carries this response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc)![1]!;
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    assert.ok(scripts.length > 0);
    for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), tag);

    const violations: string[] = [];
    const page = await web.newPage();
    const context = page.context();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${portalUrl}/login?next=%2Fincidents`);
    await page.getByLabel('Email').fill('reporter1.it@example.com');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${portalUrl}/incidents`);
    await page.locator('a[href="/incidents/new"]').first().waitFor();
    assert.deepEqual(violations, [], 'the portal itself breaks no rule of its policy');
    // Markup an attacker slipped into the page (the classic XSS: an inline handler) does not run.
    await page.evaluate(`(() => {
      const injected = document.createElement('div');
      injected.innerHTML = '<img src="data:," onload="window.__injected = true" onerror="window.__injected = true">';
      document.body.append(injected);
    })()`);
    await waitFor('the browser to report the refused handler', () => violations.length > 0, { timeoutMs: 5_000 });
    assert.equal(await page.evaluate('window.__injected'), undefined);
    await context.close();
  });

  test('a person turns off status-change emails in the notification settings, and the choice is saved for them alone', async () => {
    const page = await signIn('reporter2.it@example.com');
    await page.getByRole('link', { name: /Notifications/ }).first().click();
    await page.getByRole('button', { name: 'Settings' }).click();
    const byEmail = page.getByRole('switch', { name: 'Status changes by email' });
    assert.equal(await byEmail.getAttribute('aria-checked'), 'true', 'both channels are on until a person turns one off');
    await byEmail.click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Notification settings saved').waitFor();

    // What notification-service now holds for this person, read with their own token.
    const login = await fetch(`${platform.gatewayUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'reporter2.it@example.com', password: DEMO_PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const saved = await fetch(`${platform.gatewayUrl}/notifications/preferences`, { headers: { Authorization: `Bearer ${accessToken}` } });
    const { items } = (await saved.json()) as { items: { eventType: string; email: boolean; inApp: boolean }[] };
    assert.deepEqual(items.find((item) => item.eventType === 'incident.status_changed'), { eventType: 'incident.status_changed', email: false, inApp: true });
    assert.ok(items.filter((item) => item.eventType !== 'incident.status_changed').every((item) => item.email && item.inApp));

    // Opened again, the dialog shows the saved choice.
    await page.getByRole('button', { name: 'Settings' }).click();
    assert.equal(await page.getByRole('switch', { name: 'Status changes by email' }).getAttribute('aria-checked'), 'false');
    await page.context().close();
  });

  test('an admin connects another system with a service account (its secret shown once works at /auth/token), revokes it, and reads the mail log', async () => {
    const page = await signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${portalUrl}/admin`);
    await page.waitForURL(`${portalUrl}/admin/users`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Integrations' }).click();
    await page.waitForURL(`${portalUrl}/admin/integrations`);
    await page.getByRole('button', { name: 'New service account' }).click();
    await page.getByLabel('Name').fill('Monitoring');
    await page.getByRole('checkbox', { name: /Report and update incidents/ }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    const secret = (await page.getByTestId('client-secret').textContent())!.trim();
    const clientId = (await page.locator('p.font-mono').first().textContent())!.trim();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: /^Monitoring/ }).waitFor();

    const token = () =>
      fetch(`${platform.gatewayUrl}/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
      });
    const granted = await token();
    assert.equal(granted.status, 200, 'the id and secret the dialog showed are the real credentials');
    assert.match(((await granted.json()) as { scope: string }).scope, /incidents:write/);

    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Monitoring revoked').waitFor();
    assert.equal((await token()).status, 401, 'a revoked account gets no token');

    // The mail log: the demo organisation's receipts and updates went out through the local mailbox.
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Mail' }).click();
    await page.waitForURL(`${portalUrl}/admin/mail`);
    await page.getByRole('cell', { name: /@example\.com/ }).first().waitFor();
    assert.ok((await page.getByText('Sent', { exact: true }).count()) > 0);
    await page.context().close();
  });

  test('an admin finds on Event health the receipt notification-service could not store, replays it once the fault is gone, and the mail goes out once', async () => {
    const db = platform.notifications.db;
    await db.raw("create or replace function refuse_mail() returns trigger language plpgsql as $$ begin raise exception 'deliveries is read-only during the restore'; end $$");
    await db.raw('create trigger refuse_mail before insert on deliveries for each row execute function refuse_mail()');
    const login = await fetch(`${platform.gatewayUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'reporter1.it@example.com', password: DEMO_PASSWORD }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const categories = (await (await fetch(`${platform.gatewayUrl}/categories`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as { items: { id: string; name: string }[] };
    const filed = await fetch(`${platform.gatewayUrl}/incidents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
      // Hardware takes no automatic assignment in the demo (Network does): the receipt is the one event parked.
      body: JSON.stringify({ title: `Badge reader at the side door ${Date.now()}`, description: 'Red light only.', categoryId: categories.items.find((category) => category.name === 'Hardware')!.id }),
    });
    assert.equal(filed.status, 201);
    const incident = (await filed.json()) as { id: string; key: string };
    await waitFor('the receipt event parked', async () => (await db('parked_events').where({ subject: incident.id, status: 'parked' })).length === 1);
    await db.raw('drop trigger refuse_mail on deliveries');
    await db.raw('drop function refuse_mail()');
    const receipts = () => platform.smtp.to('reporter1.it@example.com').filter((mail) => mail.headers.get('x-incident-key') === incident.key);
    assert.equal(receipts().length, 0);

    const page = await signIn(ADMIN.email, ADMIN.password);
    await page.goto(`${portalUrl}/admin`);
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Event health' }).click();
    await page.waitForURL(/\/admin\/events$/);
    const row = page.getByRole('row').filter({ hasText: 'deliveries is read-only during the restore' });
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /incident\.created/);
    assert.match((await row.textContent()) ?? '', /3 attempts/);
    await page.getByText('Receiving events').first().waitFor();
    await screenshot(page, 'event-health-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'event-health-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    await row.getByRole('button', { name: 'Replay incident.created' }).click();
    await page.getByText(/handed back to Notifications/).waitFor();
    await page.getByText('No events are waiting').waitFor();
    await waitFor('the receipt mailed', async () => receipts().length === 1);

    // Resolved events stay listed, with who replayed them.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Replayed' }).click();
    await page.getByRole('row').filter({ hasText: 'deliveries is read-only during the restore' }).waitFor();
    await screenshot(page, 'event-health-replayed');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal(receipts().length, 1, 'the receipt went out once');
    await page.context().close();
  });
});

import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@desk/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../config.js';
import { seedDemo } from '../demo-seed.js';
import { ensurePortalBuild, startPortal, type RunningPortal } from '../portal.js';
import { ADMIN, startPlatform, type PlatformOptions, type RunningPlatform } from './platform.js';

// The set-up of every browser test of the portal: the real platform (every service, Postgres,
// RabbitMQ), the production build of the portal served as the launcher serves it, and Debian's
// Chromium (apt-get install chromium; tests never download a browser).

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Set to a directory to keep screenshots of the pages the tests visit. */
export const SCREENSHOTS = process.env.PORTAL_SCREENSHOTS;
export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface PortalInBrowser {
  platform: RunningPlatform;
  portal: RunningPortal;
  browser: Browser;
  portalUrl: string;
  /** A page in a browser context of its own (its own cookies, so its own session). */
  newPage(width?: number): Promise<Page>;
  /**
   * Signs in on a page of its own: asks for `landing`, is sent to sign in, and back. Stops at
   * the second step when the account has one (`expectLanding: false`).
   */
  signIn(email: string, options?: { password?: string; width?: number; landing?: string; expectLanding?: boolean }): Promise<Page>;
  /** Keeps a full-page screenshot when PORTAL_SCREENSHOTS is set. */
  screenshot(page: Page, name: string): Promise<void>;
  /** The same at desktop and phone widths (`<name>-desktop.png`, `<name>-phone.png`), back to desktop after. */
  screenshotBothWidths(page: Page, name: string, back?: { width: number; height: number }): Promise<void>;
  /** Asserts the page is no wider than a phone at a phone's width, then goes `back` (desktop by default). */
  assertFitsPhone(page: Page, what: string, back?: { width: number; height: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startPortalInBrowser(options: { platform?: PlatformOptions; seedDemo?: boolean; demoHistoryWeeks?: number } = {}): Promise<PortalInBrowser> {
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  await ensurePortalBuild(() => undefined);
  const port = await freePort();
  const portalUrl = `http://127.0.0.1:${port}`;
  const platform = await startPlatform({ ...options.platform, gateway: { CORS_ORIGINS: portalUrl, ...options.platform?.gateway } });
  let portal: RunningPortal | undefined;
  try {
    // The demo as `npm start` seeds it, with weeks of history when asked (replayed through this
    // platform's incident-service); without, only today's incidents.
    if (options.seedDemo) {
      const history = options.demoHistoryWeeks ? { incidents: platform.incidents } : {};
      await seedDemo({ identityUrl: platform.identityUrl, incidentUrl: platform.incidentUrl, ...history }, ADMIN, () => undefined, { historyWeeks: options.demoHistoryWeeks ?? 0 });
    }
    portal = await startPortal({ port, host: '127.0.0.1', apiUrl: platform.gatewayUrl, publicApiUrl: platform.gatewayUrl });
    // Playwright gives every launch a fresh, temporary profile (its own --user-data-dir).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    const running: RunningPortal = portal;

    const newPage = async (width = DESKTOP.width): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width, height: DESKTOP.height } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    };
    const screenshot = async (page: Page, name: string): Promise<void> => {
      if (SCREENSHOTS) await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    };
    return {
      platform,
      portal: running,
      browser,
      portalUrl,
      newPage,
      async signIn(email, { password = DEMO_PASSWORD, width, landing = '/incidents', expectLanding = true } = {}) {
        const page = await newPage(width);
        await page.goto(`${portalUrl}${landing}`);
        // Not signed in: the portal sends the person to sign in, and back afterwards.
        await page.waitForURL(new RegExp(`/login\\?next=${encodeURIComponent(landing).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password', { exact: true }).fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // The address is the point: what the page shows next is waited for by each test's own
        // locators, so a busy machine's slow subresources do not count against the sign-in.
        if (expectLanding) {
          try {
            await page.waitForURL(`${portalUrl}${landing}`, { waitUntil: 'commit', timeout: 60_000 });
          } catch (error) {
            // Say what the page shows instead (a refusal, an error, a page still loading).
            const shown = await page
              .locator('[role="alert"], main')
              .allInnerTexts()
              .catch(() => []);
            throw new Error(`signing in as ${email} did not reach ${landing} in 60 s; the page is at ${page.url()} showing: ${JSON.stringify(shown.join(' | ').slice(0, 500))}`, { cause: error });
          }
        }
        return page;
      },
      screenshot,
      async screenshotBothWidths(page, name, back = DESKTOP) {
        if (!SCREENSHOTS) return;
        // From the top: a full-page picture of a scrolled page draws the sticky header where it sticks.
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
        await page.setViewportSize(PHONE);
        await page.waitForTimeout(300);
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-phone.png`), fullPage: true });
        await page.setViewportSize(back);
      },
      async assertFitsPhone(page, what, back = DESKTOP) {
        await page.setViewportSize(PHONE);
        await page.waitForTimeout(400);
        const width = await page.evaluate<number>('document.documentElement.scrollWidth');
        assert.ok(width <= PHONE.width, `${what} is ${width} px wide at ${PHONE.width} px`);
        await page.setViewportSize(back);
      },
      async close() {
        await browser.close();
        await running.stop();
        await platform.close();
      },
    };
  } catch (error) {
    await portal?.stop();
    await platform.close();
    throw error;
  }
}

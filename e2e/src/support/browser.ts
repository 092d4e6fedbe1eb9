import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/** Screenshots of the portal's pages (git-ignored test artifacts). */
export const PORTAL_ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'portal');

/**
 * Debian's Chromium (`apt-get install -y chromium`), or CHROMIUM_PATH. Missing is a failure with
 * the install hint, never a skipped test.
 */
export function chromiumExecutable(): string {
  const executable = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executable)) {
    throw new Error(`Chromium not found at ${executable}: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome executable`);
  }
  return executable;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(PORTAL_ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    timeout: 30_000,
    // Containers and CI machines run as root without a user namespace sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/**
 * Console errors and uncaught page errors of a page, for "no console errors". A fetch the server
 * answers with 400, 403, 404 or 409 is logged by Chromium as "Failed to load resource"; the tests
 * provoke those on purpose (validation, not permitted), so only those are let through.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of (400|403|404|409)/.test(message.text())) return;
    errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

export interface PortalPage {
  page: Page;
  errors: string[];
  close: () => Promise<void>;
}

export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };

export async function openPortal(browser: Browser, options: BrowserContextOptions = DESKTOP): Promise<PortalPage> {
  const context = await browser.newContext({ locale: 'zh-CN', acceptDownloads: true, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = collectErrors(page);
  return { page, errors, close: () => context.close() };
}

/**
 * Inputs, selects and text areas without a label (a <label>, aria-label or aria-labelledby). The
 * browser-side code is a string: this project compiles without the DOM library.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => (el.labels ? el.labels.length : 0) === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(PORTAL_ARTIFACTS, `${name}.png`), fullPage: true });
}

/** True when the canvas inside `selector` has at least one non-transparent pixel. */
export async function canvasHasPixels(page: Page, selector: string): Promise<boolean> {
  return page.evaluate<boolean>(`(() => {
    const canvas = document.querySelector(${JSON.stringify(selector)} + ' canvas');
    const context = canvas && canvas.getContext('2d');
    if (!canvas || !context || canvas.width === 0 || canvas.height === 0) return false;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  })()`);
}

/** True when the page is no wider than its viewport (nothing to scroll sideways on a phone). */
export async function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
}

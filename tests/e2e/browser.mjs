// Shared set-up for the end-to-end tests: Debian's Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { join } from 'node:path';

export const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? 'target/screenshots';

// Flags verified on this kind of machine (shared/WEB-BLUETOOTH-TESTING.md): as root, no
// network chatter, and the experimental platform features that Web Bluetooth needs headless.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--enable-experimental-web-platform-features',
];

/**
 * Chromium with a fresh profile, one context and one page; `context.close()` ends it all.
 * The app's service worker is blocked unless a test asks for it (`serviceWorkers: 'allow'`):
 * Playwright cannot route a request that a service worker answers, and a first visit has
 * none anyway.
 */
export async function launch({ width = 1280, height = 800, serviceWorkers = 'block' } = {}) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
  const context = await browser.newContext({ viewport: { width, height }, serviceWorkers });
  context.on('close', () => browser.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { browser, context, page, errors };
}

/** Saves a full-page screenshot as target/screenshots/<name>.png. */
export async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

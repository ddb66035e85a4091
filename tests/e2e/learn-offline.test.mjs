// Installable and offline: after one visit the app opens with no network, and Learn works
// there (the journey, the practice remote with its body map, the diary).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';

test('after the first visit Learn opens and works offline', async () => {
  const { context, page, errors } = await launch({ width: 360, height: 740, serviceWorkers: 'allow' });
  try {
    await page.goto(`${BASE_URL}/learn`);
    // The page names its manifest, and the manifest what an install needs.
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel=manifest]');
      return (await fetch(link.href)).json();
    });
    assert.equal(manifest.start_url, '/learn');
    assert.equal(manifest.display, 'standalone');
    assert.ok(manifest.icons.some((i) => i.sizes === '512x512'), 'a 512 px icon');
    // The service worker is installed and controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await page.reload();
    await page.getByTestId('mode-learn').waitFor();
    assert.equal(await page.getByTestId('journey-title').innerText(), 'Why your feet hurt');
    await page.getByTestId('journey-next').click();
    assert.match(await page.getByTestId('journey-picture').getAttribute('aria-label'), /epidural space/);

    // The remote answers and its body map is worked out by the field worker, from the cache.
    await page.getByTestId('remote-power').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=remote-screen]')?.textContent.startsWith('On'));
    for (let i = 0; i < 3; i++) await page.getByTestId('remote-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=remote-working]')?.hidden, null, { timeout: 60000 });
    assert.equal(await page.getByTestId('remote-no-map').isVisible(), false, 'the map is drawn offline');
    assert.match(await page.getByTestId('felt-regions').innerText(), /^Tingling in:/);

    // The diary saves, and keeps what it saved across another offline reload.
    await page.getByTestId('diary-pain-1').fill('5');
    await page.getByTestId('diary-pain-1').press('Tab');
    await page.getByTestId('diary-note-1').fill('Offline, at home');
    // Another address of the app opens offline too.
    await page.goto(`${BASE_URL}/learn`);
    assert.equal(await page.getByTestId('diary-pain-1').inputValue(), '5');
    assert.equal(await page.getByTestId('diary-note-1').inputValue(), 'Offline, at home');
    await screenshot(page, 'learn-offline');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

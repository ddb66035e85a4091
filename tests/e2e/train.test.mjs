// Train mode as a trainee uses it: pick a therapy, probe a contact, read the scope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';

test('the oscilloscope shows each therapy from stim-core, balanced', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    const scope = page.getByTestId('oscilloscope');
    await scope.waitFor();
    assert.match(await page.getByTestId('scope-charge').innerText(), /400 nC/);

    // Keyboard: focus the therapy list and choose the burst.
    await page.getByTestId('therapy').focus();
    await page.getByTestId('therapy').selectOption({ label: 'Burst (5 × 1 ms at 500 Hz, 40 Hz)' });
    await page.waitForFunction(() => document.querySelector('[data-testid=scope-charge]')?.textContent.includes('1000 nC'));
    assert.match(await page.getByTestId('scope-balance').innerText(), /charge-balanced/);
    await screenshot(page, 'train-scope-burst');

    await page.getByTestId('therapy').selectOption({ label: '10 kHz, 30 µs' });
    await page.waitForFunction(() => document.querySelector('[data-testid=scope-charge]')?.textContent.includes('22.5 nC'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

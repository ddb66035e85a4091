// Device mode with the virtual device: connect, load, start, amplitude, refusal, stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';

test('the virtual device runs a program and refuses an unsafe amplitude in words', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/device`);
    await page.getByTestId('connect-virtual').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=identity]')?.textContent.includes('Virtual device · protocol 2'));
    assert.equal(await page.getByTestId('device-state').innerText(), 'Idle');

    await page.getByTestId('load').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=loaded-program]')?.textContent.includes('tonic 50 Hz 200 µs'));
    await page.getByTestId('start').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=device-state]')?.textContent === 'Running');
    await page.getByTestId('amp-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=amplitude]')?.textContent === '2.1 mA');

    // The preset's patient range ends at 6 mA: step up to it, then one step more.
    for (let i = 0; i < 39; i++) await page.getByTestId('amp-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=amplitude]')?.textContent === '6.0 mA');
    await page.getByTestId('amp-up').click();
    const message = page.getByTestId('device-message').getByRole('alert');
    await message.waitFor();
    assert.match(await message.innerText(), /6\.1 mA is outside the allowed range of 0\.0 to 6\.0 mA/);
    // The last good amplitude stays.
    await page.waitForFunction(() => document.querySelector('[data-testid=amplitude]')?.textContent === '6.0 mA');

    // Live telemetry: pulses count up while it runs.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=pulses]')?.textContent) > 20);
    await screenshot(page, 'device-virtual-running');

    await page.getByTestId('emergency-stop').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=device-state]')?.textContent === 'Emergency-stopped');
    const log = (await page.getByTestId('log-text').allInnerTexts()).join('\n');
    assert.match(log, /EmergencyStop\nDone/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a browser without Web Bluetooth says so and offers the virtual device', async () => {
  const { context, page, errors } = await launch();
  try {
    // As in Firefox and Safari: no navigator.bluetooth at all.
    await page.addInitScript(() => { delete Navigator.prototype.bluetooth; });
    await page.goto(`${BASE_URL}/device`);
    const note = page.getByTestId('no-bluetooth');
    await note.waitFor();
    assert.match(await note.innerText(), /cannot use Bluetooth devices \(Web Bluetooth\).*Chrome or Edge.*virtual device/);
    assert.equal(await page.getByTestId('connect-bluetooth').isDisabled(), true);
    await page.getByTestId('connect-virtual').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=identity]')?.textContent.includes('Virtual device'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the console on a phone and on a wide screen: an event, a refusal and the log, nothing overflowing', async () => {
  for (const width of [360, 1440]) {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      await page.goto(`${BASE_URL}/device`);
      await page.getByTestId('connect-virtual').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=identity]')?.textContent.includes('Virtual device'));
      await page.getByTestId('load').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=loaded-program]')?.textContent.includes('tonic 50 Hz'));
      await page.getByTestId('start').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=device-state]')?.textContent === 'Running');
      await page.getByTestId('amp-up').click();
      // Button 1 on the (virtual) board: an event arrives and is shown.
      await page.getByTestId('virtual-button-1').click();
      await page.waitForFunction(() => document.querySelector('[data-testid=device-events]')?.textContent.includes('Button 1 pressed on the board: stimulation stopped'));
      await page.waitForFunction(() => document.querySelector('[data-testid=device-state]')?.textContent === 'Emergency-stopped');
      // Start while emergency-stopped: refused, in words.
      await page.getByTestId('start').click();
      await page.getByTestId('device-message').getByRole('alert').waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `no sideways scrolling at ${width} px`);
      await screenshot(page, `device-console-${width}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

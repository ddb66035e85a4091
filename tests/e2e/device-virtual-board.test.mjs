// Device mode in Chromium against the virtual dev board: the page's Web Bluetooth
// operations go, through Chromium's emulated peripheral and a bumble central, to the
// firmware's own Bluetooth app (stim-ble) on a virtual controller (RootCanal).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { emulateBoard } from './emulated-board.mjs';
import { startVirtualBoard } from './virtual-board.mjs';

const until = (page, id, predicate) =>
  page.waitForFunction(([id, source]) => new Function('t', `return ${source}`)(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''), [id, predicate]);

/**
 * Waits until the app has nothing in flight: its log stops growing. Over a real stack each
 * operation takes a few connection events, and a press while the app still reads would
 * interleave differently from the virtual device, where everything answers at once.
 */
async function settle(page) {
  let lines = -1;
  for (;;) {
    const now = (await page.getByTestId('log-text').allInnerTexts()).length;
    if (now === lines) return;
    lines = now;
    await page.waitForTimeout(400);
  }
}

/** Load the tonic preset, start, 2 steps up, telemetry, then stop as `stop` says. */
async function session(page, stop) {
  await settle(page);
  await page.getByTestId('load').click();
  await until(page, 'loaded-program', "t.includes('tonic 50 Hz')");
  await settle(page);
  await page.getByTestId('start').click();
  await until(page, 'device-state', "t === 'Running'");
  await settle(page);
  await page.getByTestId('amp-up').click();
  await until(page, 'amplitude', "t === '2.1 mA'");
  await settle(page);
  await page.getByTestId('amp-up').click();
  await until(page, 'amplitude', "t === '2.2 mA'");
  await settle(page);
  await page.getByTestId('read-telemetry').click();
  await until(page, 'impedance', "t.includes('E1')");
  await settle(page);
  await stop();
  await until(page, 'device-state', "t === 'Emergency-stopped'");
  await settle(page);
}

/**
 * The log's words, without the identity (virtual or board) and the app's notes; numbers
 * that move with the clock (uptime, battery, pulses and charge so far) are masked, as the
 * virtual board runs on the host's clock. Both pages use `?clock=step`: nothing polls, so
 * the requests come in the same order.
 */
const transcript = async (page) =>
  (await page.getByTestId('log-text').allInnerTexts())
    .filter((l) => !l.startsWith('Identity:') && !l.startsWith('connected to'))
    .map((l) => l.replace(/\d+(\.\d+)? ?(ms|%|h|pulses|phases|µC|nC|pC)\b/g, '#$2'));

test('Device mode pairs with and programs the firmware\'s own Bluetooth stack, as it does the virtual device', async () => {
  let virtual;
  {
    const { context, page, errors } = await launch();
    try {
      await page.goto(`${BASE_URL}/device?clock=step`);
      await page.getByTestId('connect-virtual').click();
      await until(page, 'identity', "t.includes('Virtual device')");
      await session(page, () => page.getByTestId('emergency-stop').click());
      virtual = await transcript(page);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const board = await startVirtualBoard();
  let launched;
  try {
    launched = await launch();
  } catch (e) {
    await board.stop();
    throw e;
  }
  const { browser, context, page, errors } = launched;
  try {
    await page.goto(`${BASE_URL}/device?clock=step`);
    const emulated = await emulateBoard(browser, context, page, { backend: board });
    await page.getByTestId('connect-bluetooth').click();
    await until(page, 'identity', "t.includes('Dev board · protocol 2')");
    await session(page, () => page.getByTestId('emergency-stop').click());
    const stack = await transcript(page);
    await screenshot(page, 'device-virtual-board');
    assert.ok(virtual.length > 20, `a real session: ${virtual.length} lines`);
    assert.deepEqual(stack, virtual);

    // Button 1 on the board: its notification reaches the page, which reads the event.
    // (The emulation cannot push a notification: the board's doorbell is passed on as
    // a read from the test's script. During the session the app found every reply by
    // reading, as docs/protocol.md allows; only this event waits for the doorbell.)
    await page.getByTestId('clear-fault').click();
    await until(page, 'device-state', "t === 'Idle'");
    await page.getByTestId('start').click();
    await until(page, 'device-state', "t === 'Running'");
    await settle(page);
    board.onDoorbell(() => emulated.ringDoorbell().catch(() => {}));
    await board.pressButton1();
    await until(page, 'device-events', "t.includes('Button 1 pressed on the board: stimulation stopped')");
    await until(page, 'device-state', "t === 'Emergency-stopped'");
    await settle(page); // no operation left in flight when the page closes
    assert.deepEqual(errors, []);
  } catch (e) {
    console.log((await page.getByTestId('log-text').allInnerTexts()).slice(-12).map((l) => `# ${l}`).join('\n'));
    console.log(`# message: ${await page.getByTestId('device-message').textContent().catch(() => '')}`);
    throw e;
  } finally {
    board.onDoorbell(() => {});
    await context.close();
    await board.stop();
  }
});

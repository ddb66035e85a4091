// Device mode over Web Bluetooth against an emulated board that runs the real device
// server; the same scripted session on the virtual device must give the same transcript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { emulateBoard } from './emulated-board.mjs';

const text = (page, id) => page.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '', id);
const until = (page, id, predicate) =>
  page.waitForFunction(([id, source]) => new Function('t', `return ${source}`)(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''), [id, predicate]);

/** The scripted session: load the tonic preset, start, 2 steps up, telemetry, emergency stop. */
async function script(page) {
  await page.getByTestId('load').click();
  await until(page, 'loaded-program', "t.includes('tonic 50 Hz')");
  await page.getByTestId('start').click();
  await until(page, 'device-state', "t === 'Running'");
  await page.getByTestId('amp-up').click();
  await until(page, 'amplitude', "t === '2.1 mA'");
  await page.getByTestId('amp-up').click();
  await until(page, 'amplitude', "t === '2.2 mA'");
  await page.getByTestId('read-telemetry').click();
  await until(page, 'impedance', "t.includes('E1')");
  await page.getByTestId('emergency-stop').click();
  await until(page, 'device-state', "t === 'Emergency-stopped'");
}

/** The log's words, without the identity (which rightly differs: virtual or board) and the app's notes. */
const transcript = async (page) =>
  (await page.getByTestId('log-text').allInnerTexts()).filter((l) => !l.startsWith('Identity:') && !l.startsWith('connected to'));

async function connectBoard(page) {
  await page.getByTestId('connect-bluetooth').click();
  await until(page, 'identity', "t.includes('Dev board · protocol 2')");
}

test('the board and the virtual device answer the same session identically', async () => {
  let virtual;
  {
    const { context, page, errors } = await launch();
    try {
      await page.goto(`${BASE_URL}/device?clock=step`);
      await page.getByTestId('connect-virtual').click();
      await until(page, 'identity', "t.includes('Virtual device')");
      await script(page);
      virtual = await transcript(page);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const { browser, context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/device?clock=step`);
    const board = await emulateBoard(browser, context, page);
    await connectBoard(page);
    await script(page);
    const bluetooth = await transcript(page);
    assert.ok(virtual.length > 20, `a real session: ${virtual.length} lines`);
    assert.deepEqual(bluetooth, virtual);
    assert.ok(board.operations.write >= 15 && board.operations.read >= 15, JSON.stringify(board.operations));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a lost link reconnects, re-subscribes and finds the program still running', async () => {
  const { browser, context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/device?clock=step`);
    const board = await emulateBoard(browser, context, page);
    await connectBoard(page);
    await page.getByTestId('load').click();
    await until(page, 'loaded-program', "t.includes('tonic 50 Hz')");
    await page.getByTestId('start').click();
    await until(page, 'device-state', "t === 'Running'");
    assert.equal(board.operations.subscribe, 1);
    // The board's dropped pulses reach Device mode with its telemetry.
    await page.getByTestId('read-telemetry').click();
    await until(page, 'dropped-pulses', "t === 'none'");
    board.dropPulses(3);
    await page.getByTestId('read-telemetry').click();
    await until(page, 'dropped-pulses', "t.startsWith('3 (each dropped whole')");

    await board.disconnect();
    await until(page, 'device-message', "t.includes('Reconnected. The board kept its program (program 1: tonic 50 Hz 200 µs [E4− E5+] 2.0 mA programmed); it is running.')");
    assert.equal(board.operations.connection, 2, 'connected twice');
    assert.equal(board.operations.subscribe, 2, 'subscribed again after reconnecting');
    await screenshot(page, 'device-bluetooth-reconnected');

    // A reply corrupted on the way: a clear message, no crash, and the next command works.
    board.corruptNextRead();
    await page.getByTestId('read-telemetry').click();
    await until(page, 'device-message', "t.includes('corrupted on the way')");
    await page.getByTestId('emergency-stop').click();
    await until(page, 'device-state', "t === 'Emergency-stopped'");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

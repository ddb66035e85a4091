// The link never hangs and never lies: Device mode over Web Bluetooth against an emulated
// board (the real device server) that misbehaves on demand, as a dropped or noisy link,
// an unpaired board or a pressed button would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { emulateBoard } from './emulated-board.mjs';

const text = (page, id) => page.evaluate((id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? '', id);
const until = (page, id, predicate, timeout = 10_000) =>
  page.waitForFunction(([id, source]) => new Function('t', `return ${source}`)(document.querySelector(`[data-testid=${id}]`)?.textContent ?? ''), [id, predicate], { timeout });
const logTexts = (page) => page.getByTestId('log-text').allInnerTexts();

/** A board connected, with the tonic preset loaded and running. */
async function running(options = {}, path = '/device?clock=step') {
  const session = await launch(options.viewport ?? {});
  const { browser, context, page } = session;
  await page.goto(`${BASE_URL}${path}`);
  const board = await emulateBoard(browser, context, page, options);
  await page.getByTestId('connect-bluetooth').click();
  await until(page, 'identity', "t.includes('Dev board')");
  await page.getByTestId('load').click();
  await until(page, 'loaded-program', "t.includes('tonic 50 Hz')");
  await page.getByTestId('start').click();
  await until(page, 'device-state', "t === 'Running'");
  return { ...session, board };
}

test('an emergency stop goes first: it does not wait behind a write the board never answers', async () => {
  const { context, page, errors, board } = await running();
  try {
    board.holdNextWrite();
    await page.getByTestId('amp-up').click();
    await page.waitForFunction(() => true);
    const pressed = Date.now();
    await page.getByTestId('emergency-stop').click();
    await until(page, 'device-state', "t === 'Emergency-stopped'", 1_900);
    assert.ok(Date.now() - pressed < 1_900, 'before the hung write timed out (2 s)');
    assert.equal(board.state(), 'emergency-stopped');
    // Logged once sent; the amplitude change never was (it is logged as given up).
    const sentLines = await page.locator('[data-testid=log-line].sent [data-testid=log-text]').allInnerTexts();
    assert.equal(sentLines.filter((l) => l === 'EmergencyStop').length, 1);
    assert.ok(!sentLines.some((l) => l.startsWith('SetAmplitude')), sentLines.join('\n'));
    const failed = await page.locator('[data-testid=log-line].failed [data-testid=log-text]').allInnerTexts();
    assert.deepEqual(failed, ['SetAmplitude: program 1 to 2.1 mA: Given up: the emergency stop went first.']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a write left unanswered by a dropped link ends in words, and the last good state stays', async () => {
  const { context, page, errors, board } = await running();
  try {
    board.holdWrites();
    await page.getByTestId('stop').click();
    await until(page, 'device-message', "t.includes('did not confirm a write within 2.0 s')", 15_000);
    await until(page, 'device-message', "t.includes('It is not known whether the stop reached the board')", 15_000);
    assert.equal(await text(page, 'device-state'), 'Running', 'the last state the board reported');
    await screenshot(page, 'device-write-unanswered');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('background reads that fail say so, keep the last state, and say when the device answers again', async () => {
  const { context, page, errors, board } = await running({ stepped: false }, '/device');
  try {
    board.holdWrites();
    await until(page, 'device-message', "t.includes('The background status read failed: The device did not confirm a write within 2.0 s')", 10_000);
    assert.equal(await text(page, 'device-state'), 'Running');
    await board.releaseWrites();
    await until(page, 'device-message', "t === 'The device answers again.'", 10_000);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('after a damaged reply the app reads the status and says whether the command took effect', async () => {
  const { context, page, errors, board } = await running();
  try {
    // The reply to the change is damaged on the way; the change itself arrived.
    board.corruptNextRead();
    await page.getByTestId('amp-up').click();
    await until(page, 'device-message', "t.includes('corrupted on the way') && t.includes('The amplitude change reached the board: program 1 is set to 2.1 mA.')");
    // The request is damaged on the way: the board rejects it, and nothing changed.
    board.corruptNextWrite();
    await page.getByTestId('amp-up').click();
    await until(page, 'device-message', "t.includes('The amplitude change did not reach the board; the board still runs 2.1 mA.')");
    assert.equal(board.targetUa(0), 2100);
    await until(page, 'amplitude', "t === '2.1 mA'");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a command the link dropped under is judged once reconnected', async () => {
  const { context, page, errors, board } = await running();
  try {
    // The link drops as the change is sent (the emulation cannot drop a link under a
    // write it holds: the drop then never reaches the page).
    const dropped = board.disconnect();
    await page.getByTestId('amp-up').click();
    await dropped;
    await until(page, 'device-message', "t.includes('Reconnected.') && t.includes('The amplitude change did not reach the board; the board still runs 2.0 mA.')", 15_000);
    assert.equal(board.targetUa(0), 2000);
    await until(page, 'amplitude', "t === '2.0 mA'");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('chunks left over from a damaged reply do not fail the next command', async () => {
  const { context, page, errors, board } = await running();
  try {
    // Telemetry comes in 4 chunks: the second is lost, so the third and fourth are left over.
    board.loseNextChunkAfter(1);
    await page.getByTestId('read-telemetry').click();
    await until(page, 'device-message', "t.includes('could not be read')");
    await page.getByTestId('emergency-stop').click();
    await until(page, 'device-state', "t === 'Emergency-stopped'");
    assert.equal(await text(page, 'device-message'), '', 'no error: the command worked');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an event reaches the user: Button 1 on the board shows in Device mode', async () => {
  // The page clock: the app polls in the background and so reads what waits.
  const { context, page, errors, board } = await running({ stepped: false }, '/device');
  try {
    board.pressButton1();
    await until(page, 'device-events', "t.includes('Button 1 pressed on the board: stimulation stopped')", 5_000);
    await until(page, 'device-state', "t === 'Emergency-stopped'");
    const log = await logTexts(page);
    assert.ok(log.some((l) => l.includes('StateChanged: emergency-stopped')), log.join('\n'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the doorbell: a notification makes the app read the waiting event at once', async () => {
  // The stepped clock: nothing polls, so only the doorbell can bring the event in.
  const { context, page, errors, board } = await running({ stepped: false });
  try {
    board.pressButton1();
    await page.waitForTimeout(500);
    assert.equal(await page.getByTestId('device-events').count(), 0, 'nothing read it yet');
    await board.ringDoorbell();
    await until(page, 'device-events', "t.includes('Button 1 pressed on the board: stimulation stopped')", 3_000);
    await until(page, 'device-state', "t === 'Emergency-stopped'");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an unpaired board reads as not paired, not as a connected console', async () => {
  const { browser, context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/device?clock=step`);
    await emulateBoard(browser, context, page, { unbonded: true });
    await page.getByTestId('connect-bluetooth').click();
    await until(page, 'device-message', "t.includes('Not paired: press Button 2 on the board, then connect again.')");
    assert.equal(await page.getByTestId('identity').count(), 0, 'no console with a blank identity');
    assert.equal(await page.getByTestId('connect-bluetooth').isVisible(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a board that never completes the connection ends in words, not a spinner', async () => {
  const { browser, context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/device?clock=step`);
    await emulateBoard(browser, context, page, { unreachable: true });
    await page.getByTestId('connect-bluetooth').click();
    await until(page, 'device-message', "t.includes('The board did not complete the connection within 10.0 s')", 15_000);
    assert.equal(await page.getByTestId('connect-bluetooth').isVisible(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('disconnect really disconnects: a later drop calls nothing and throws nothing', async () => {
  const { context, page, errors, board } = await running();
  try {
    await page.getByTestId('disconnect').click();
    await page.getByTestId('connect-bluetooth').waitFor();
    await board.disconnect();
    await page.waitForTimeout(1_500);
    assert.equal(board.operations.connection, 1, 'no reconnection after a disconnect');
    assert.equal(await page.getByTestId('reconnecting').count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('quick presses of amplitude + are not lost: five from 2.0 mA give 2.5 mA on the board', async () => {
  const { context, page, errors, board } = await running();
  try {
    for (let i = 0; i < 5; i++) await page.getByTestId('amp-up').click();
    await until(page, 'amplitude-detail', "t.includes('target 2.5 mA') && !t.includes('sending')");
    assert.equal(board.targetUa(0), 2500);
    assert.equal(await text(page, 'amplitude'), '2.5 mA');
    // Quiet now (the stepped clock: no polls): the page's own reads must not ring the
    // doorbell, or every drain would read again, for ever.
    const reads = board.operations.read;
    await page.waitForTimeout(1_000);
    assert.equal(board.operations.read, reads, 'no reads while nothing happens');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the log: times, raw chunks both ways, polls on demand, follows the newest line, downloads', async () => {
  const { context, page, errors } = await launch({ width: 360, height: 800 });
  try {
    await page.goto(`${BASE_URL}/device`);
    await page.getByTestId('connect-virtual').click();
    await until(page, 'identity', "t.includes('Virtual device')");
    await page.getByTestId('load').click();
    await until(page, 'loaded-program', "t.includes('tonic 50 Hz')");
    const first = page.getByTestId('log-line').first();
    assert.match(await first.innerText(), /^\d\d:\d\d:\d\d\.\d{3} → Identify/);
    const hex = await page.getByTestId('log-hex').allInnerTexts();
    assert.ok(hex.some((h) => /^[0-9a-f]{2}( [0-9a-f]{2})+/.test(h)), hex.join('\n'));
    // Background polls are hidden until asked for.
    await page.waitForTimeout(2_200);
    assert.ok(!(await logTexts(page)).includes('ReadTelemetry'));
    await page.getByTestId('log-show-polls').check();
    assert.ok((await logTexts(page)).includes('ReadTelemetry'));
    // It follows the newest line...
    for (let i = 0; i < 8; i++) await page.getByTestId('amp-up').click();
    await until(page, 'amplitude-detail', "t.includes('target 2.8 mA') && !t.includes('sending')");
    await page.waitForTimeout(300);
    const atEnd = () => page.getByTestId('log').evaluate((ol) => ol.scrollTop + ol.clientHeight >= ol.scrollHeight - 8);
    assert.equal(await atEnd(), true, 'the newest line is in view');
    // ...unless the reader scrolled up.
    await page.getByTestId('log').evaluate((ol) => { ol.scrollTop = 0; ol.dispatchEvent(new Event('scroll')); });
    await page.waitForTimeout(1_500);
    assert.equal(await page.getByTestId('log').evaluate((ol) => ol.scrollTop), 0);
    // No sideways scrolling on a phone.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    await screenshot(page, 'device-log-360');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('log-download').click()]);
    const saved = await readFile(await download.path(), 'utf8');
    assert.match(saved, /^SCS Studio protocol log\n/);
    assert.match(saved, /→ SetAmplitude: program 1 to 2\.1 mA\n {4}[0-9a-f]{2} /);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Train mode as a trainee uses it: place and program a lead, read a safety refusal, work a
// scenario to its debrief, undo, and reopen the bench from its link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { violations } from './axe.mjs';

const text = (page, id) => page.getByTestId(id).innerText();
const solved = (page) => page.waitForSelector('[data-testid=field-view] svg', { timeout: 60000 });

test('place a lead, program it, and see the field, fibres, body map and pulses', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    await solved(page);
    await page.getByTestId('lead-level').selectOption('3'); // T9
    await solved(page);
    // E3 − E4 + E5 −? Cycle E5 (slot 4) from + to off, then E3 (slot 2) to −: a new pair.
    await page.getByTestId('contact-4').click();
    assert.equal(await page.getByTestId('contact-4').getAttribute('aria-label'), 'E5: off');
    assert.equal(await text(page, 'train-amplitude'), '0.0 mA', 'a change of contacts resets the amplitude');
    await page.getByTestId('contact-4').click();
    await page.getByTestId('contact-4').click();
    assert.equal(await page.getByTestId('contact-4').getAttribute('aria-label'), 'E5: anode');
    for (let i = 0; i < 30; i++) await page.getByTestId('train-amp-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=felt-regions]')?.textContent.includes('Tingling in'));
    assert.match(await text(page, 'field-legend'), /fibres fire/);
    // The other sections, from the side and from behind.
    for (const [plane, name] of [['sagittal', 'Sagittal section'], ['coronal', 'Coronal section'], ['axial', 'Axial section']]) {
      await page.getByTestId('field-plane').selectOption(plane);
      assert.match(await page.locator('[data-testid=field-view] svg').getAttribute('aria-label'), new RegExp(name));
    }
    assert.match(await text(page, 'scope-charge'), /900 nC/); // 3 mA × 300 µs
    // Zoom the oscilloscope to 2 ms and pan by half a window.
    await page.getByTestId('scope-window').selectOption('2000');
    await page.getByTestId('scope-later').click();
    assert.equal(await text(page, 'scope-from'), 'from 1.0 ms');
    assert.match(await text(page, 'scope-balance'), /charge-balanced/);
    await screenshot(page, 'train-programmed');
    assert.deepEqual(await violations(page), []);

    // Undo twice: back to 2.8 mA; and the link restores the bench.
    await page.getByTestId('undo').click();
    await page.getByTestId('undo').click();
    assert.equal(await text(page, 'train-amplitude'), '2.8 mA');
    const link = await page.getByTestId('share-link').inputValue();
    await page.goto(link);
    await solved(page);
    assert.equal(await text(page, 'train-amplitude'), '2.8 mA');
    assert.equal(await page.getByTestId('lead-level').inputValue(), '3');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a refused program reads in words, and fixing it completes the scenario', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    await page.getByTestId('scenario').selectOption({ label: 'Fix a program refused for charge' });
    // 4 mA × 1 ms on a 0.1225 cm² contact: 4 µC, 32.66 µC/cm² per phase.
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent.includes('charge density'));
    assert.equal(await text(page, 'train-refusal'), "Program 1: at the patient range's top of 4.0 mA, E4 would receive 4.00 µC before the recharge, a charge density of 32.66 µC/cm², above the limit of 30.0 µC/cm²; lower the top of the patient range, the pulse width or the pulses before the recharge.");
    assert.match(await text(page, 'scenario-score'), /^Target regions 0 of 4/);
    // Too much charge: step down until stim-core accepts it (Shannon's k allows 2.9 mA).
    for (let i = 0; i < 20 && (await text(page, 'train-refusal')) !== ''; i++) await page.getByTestId('train-amp-down').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent === '');
    await solved(page);
    await page.getByTestId('scenario-finish').click();
    assert.match(await text(page, 'scenario-debrief'), /Charge per phase is amplitude × pulse width/);
    await screenshot(page, 'train-scenario');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Every scenario, met and failed: tests/e2e/train-scenarios.test.mjs.

test('bad input in a number box says why in words and keeps the value, the undo history and the program', async () => {
  const { context, page, errors } = await launch({ width: 360, height: 800 });
  try {
    await page.goto(`${BASE_URL}/train`);
    const rate = page.getByTestId('wave-rate');
    await rate.fill('40');
    await rate.press('Tab');
    assert.equal(await rate.inputValue(), '40');
    // A decimal, a comma decimal, letters, a negative, too many, an empty box.
    for (const [typed, words] of [
      ['3.5', '“3.5” is not a whole number (digits only, like 40)'],
      ['5,5', '“5,5” is not a whole number (digits only, like 40)'],
      ['abc', '“abc” is not a whole number (digits only, like 40)'],
      ['-1', '“-1” is outside 1–65535'],
      ['70000', '“70000” is outside 1–65535'],
      ['', 'An empty box is not a whole number (digits only, like 40)'],
    ]) {
      await rate.fill('');
      if (typed) await rate.pressSequentially(typed);
      await rate.press('Tab');
      assert.equal(await text(page, 'train-refusal'), `${words}: the rate stays 40 Hz.`, typed);
      assert.equal(await rate.inputValue(), '40', `${typed}: the box shows the rate kept`);
    }
    assert.match(await page.getByTestId('share-link').inputValue(), /rate=40&/);
    // A share typed badly keeps the share; the next good change clears the message.
    const share = page.getByTestId('share-3');
    await share.fill('');
    await share.press('Tab');
    assert.match(await text(page, 'train-refusal'), /E4's share stays 100 %\.$/);
    assert.equal(await share.inputValue(), '100');
    // E4 is the only cathode: it carries all of its side, whatever is typed, and says so.
    await share.fill('50');
    await share.press('Tab');
    assert.equal(await text(page, 'train-refusal'), "E4's share is 100 %, not 50 %: the shares of a sign add to 100 %, and every active contact keeps at least 1 %.");
    assert.equal(await share.inputValue(), '100');
    await page.getByTestId('undo').click();
    assert.equal(await rate.inputValue(), '50', 'undo takes back the last good change');
    assert.equal(await text(page, 'train-refusal'), '');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Device mode has no accessibility violations either', async () => {
  const { context, page } = await launch();
  try {
    await page.goto(`${BASE_URL}/device`);
    await page.getByTestId('connect-virtual').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=identity]')?.textContent.includes('Virtual device'));
    assert.deepEqual(await violations(page), []);
  } finally {
    await context.close();
  }
});

test('the lead is dragged on the spine, and moved with the arrow keys', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    await solved(page);
    const spine = page.getByTestId('spine-lead');
    await spine.scrollIntoViewIfNeeded();
    const box = await spine.boundingBox();
    // The drawing spans x −20…20 mm and z from 20 mm above T6's centre over 235 mm;
    // T10's centre is 104 mm below T6's, and 3 mm right of the midline.
    const at = (x, z) => [box.x + ((x + 20) / 40) * box.width, box.y + ((20 - z) / 235) * box.height];
    const [fromX, fromY] = at(0, -52);
    const [toX, toY] = at(3, -104);
    await page.mouse.move(fromX, fromY);
    await page.mouse.down();
    await page.mouse.move(toX, toY, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent === 'Middle of the lead at T10, 3 mm right of the midline.');
    assert.equal(await page.getByTestId('lead-level').inputValue(), '4');
    await solved(page);
    await spine.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent === 'Middle of the lead at T9, 2 mm right of the midline.');
    assert.match(new URL(page.url()).search, /level=3&offset=2/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('current steering and pulse parameters are checked by stim-core, in words', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    await solved(page);
    await page.getByTestId('contact-2').click(); // E3 −: two cathodes share 50/50
    assert.equal(await page.getByTestId('share-2').inputValue(), '50');
    // A typed share re-divides the rest of its sign: E4 follows to 60 %.
    await page.getByTestId('share-2').fill('40');
    await page.getByTestId('share-2').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=share-3]')?.value === '60');
    assert.equal(await text(page, 'train-refusal'), '');
    for (let i = 0; i < 20; i++) await page.getByTestId('train-amp-up').click();
    // Steering moves a tenth of a contact a press and keeps the amplitude; the centroid
    // drawn on the picture moves up by a tenth of the 7 mm pitch.
    const centroidY = async () => Number(await page.locator('[data-testid=spine-centroid] circle').getAttribute('cy'));
    const before = await centroidY();
    await page.getByTestId('steer-up').click(); // centroid 2.6 → 2.5
    await page.waitForFunction(() => document.querySelector('[data-testid=share-3]')?.value === '50');
    assert.ok(Math.abs(before - (await centroidY()) - 0.7) < 0.05, `centroid from ${before} to ${await centroidY()}`);
    assert.equal(await page.getByTestId('share-2').inputValue(), '50');
    await page.getByTestId('steer-down').click();
    await page.getByTestId('steer-down').click(); // 2.7: E3 30 %, E4 70 %
    await page.waitForFunction(() => document.querySelector('[data-testid=share-3]')?.value === '70');
    assert.equal(await text(page, 'train-amplitude'), '2.0 mA');
    await page.getByTestId('steer-left').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent.includes('needs a second lead'));
    // The scope has a channel for each active contact: E3, E4 and E5.
    assert.deepEqual(await page.locator('[data-testid=oscilloscope] .scope-label').allTextContents(), ['E3', 'E4', 'E5']);
    assert.match(await text(page, 'scope-balance'), /charge-balanced at every contact/);
    await page.getByTestId('steer-focus').click(); // one pole: guard anodes on both sides (+ − − +)
    await page.waitForFunction(() => document.querySelector('[data-testid=contact-1]')?.getAttribute('aria-label') === 'E2: anode');
    assert.equal(await page.getByTestId('contact-4').getAttribute('aria-label'), 'E5: anode');
    assert.equal(await text(page, 'train-refusal'), '');
    await page.getByTestId('wave-width').fill('1200');
    await page.getByTestId('wave-width').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent.includes('pulse width is 1200 µs; it must be from 20 to 1000 µs'));
    // Burst: its own parameters, each within its range.
    await page.getByTestId('waveform').selectOption('1');
    assert.equal(await page.getByTestId('wave-width').inputValue(), '1000');
    assert.equal(await page.getByTestId('burst-pulses').inputValue(), '5');
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent === '');
    await page.getByTestId('burst-intra').fill('1200');
    await page.getByTestId('burst-intra').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent.includes('the rate within a burst is 1200 Hz; it must be from 100 to 1000 Hz'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a custom stage train is edited in stages, soft start ramps the scope, and the field refines at rest', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    await solved(page);
    // The coarse field comes first; with the lead at rest the fine grid follows.
    await page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 120000 });
    assert.equal(await text(page, 'field-status'), '');
    await page.getByTestId('waveform').selectOption('3');
    await page.waitForSelector('[data-testid=stages]');
    assert.equal(await page.getByTestId('stage-1-current').inputValue(), '0');
    // Recharge made smaller (−250 ‰ for 400 µs against +1000 ‰ for 200 µs): unbalanced.
    await page.getByTestId('stage-2-current').fill('-250');
    await page.getByTestId('stage-2-current').press('Tab');
    await page.waitForFunction(() => /balance/i.test(document.querySelector('[data-testid=train-refusal]')?.textContent));
    // A fourth stage with the missing recharge: −250 ‰ for 400 µs.
    await page.getByTestId('stage-add').click();
    await page.getByTestId('stage-3-duration').fill('400');
    await page.getByTestId('stage-3-duration').press('Tab');
    await page.getByTestId('stage-3-current').fill('-250');
    await page.getByTestId('stage-3-current').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=train-refusal]')?.textContent === '');
    assert.match(await page.getByTestId('share-link').inputValue(), /stages=200:1000\.50:0\.400:-250\.400:-250/);
    // Soft start: the scope plays the ramp, so the first window's pulses are small.
    for (let i = 0; i < 20; i++) await page.getByTestId('train-amp-up').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=scope-charge]')?.textContent.includes('400 nC')); // 2 mA × 200 µs
    await page.getByTestId('soft-start').fill('1000');
    await page.getByTestId('soft-start').press('Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid=scope-ramp]')?.textContent.includes('over 1000 ms'));
    assert.match(await text(page, 'scope-charge'), /16\.0 nC/); // the pulse at 40 ms: 80 µA × 200 µs
    assert.match(await text(page, 'scope-balance'), /charge-balanced/);
    await screenshot(page, 'train-custom-train');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

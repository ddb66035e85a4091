// Fibres with membranes in Train: once the lead's fine field is shown and the program
// rests, the field workers simulate every fibre as an MRG axon; the page says which
// criterion answered, gives the membrane's perception and discomfort thresholds, and draws
// the first fibre's strength–duration curve with the rheobase and chronaxie that emerge.
// The patient's thresholds are then the membrane's. A longer pulse lowers the membrane's
// perception threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOT_DIR, BASE_URL } from './browser.mjs';
import { violations } from './axe.mjs';
import { membrane, text } from './bench.mjs';

const fine = (page) => page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 180000 });
const criterion = (page) => page.getByTestId('threshold-criterion').getAttribute('data-criterion');
const perception = async (page) => Number((await page.getByTestId('threshold-criterion').innerText()).match(/Perception (\d+\.\d\d) mA/)[1]);

for (const width of [1440, 360]) {
  test(`at ${width} px, the membrane model answers once the lead rests, with its strength–duration curve`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      await page.goto(`${BASE_URL}/train`);
      await page.getByTestId('scenario').selectOption('feet');
      await fine(page);
      const took = await membrane(page);
      const words = await page.getByTestId('threshold-criterion').innerText();
      console.log(`[${width}] membrane answered ${took.toFixed(0)} ms after the fine field: ${words}`);
      assert.match(words, /^Membrane model \(each fibre an MRG myelinated axon, McIntyre, Richardson & Grill 2002\): the body map, the patient and the scenario score come from it\. Perception \d+\.\d\d mA, discomfort \d+\.\d\d mA\.$/);
      const first = await perception(page);
      assert.ok(first > 0.5 && first < 25.5, `perception ${first} mA`);
      // The patient's thresholds are the membrane's.
      const patient = Number((await text(page, 'patient-thresholds')).match(/^Perception (\d+\.\d) mA · /)[1]);
      assert.ok(Math.abs(patient - first) <= 0.051, `the patient's perception ${patient} mA, the membrane's ${first} mA`);
      // The curve: a point per width that fires, falling with the width.
      const curve = page.getByTestId('sd-curve');
      await curve.waitFor({ timeout: 30000 });
      await curve.scrollIntoViewIfNeeded();
      const ys = await curve.locator('circle').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
      assert.ok(ys.length >= 4, `${ys.length} points`);
      assert.ok(ys.every((y, i) => i === 0 || y >= ys[i - 1] - 0.01), `thresholds fall with the width: ${ys}`);
      assert.match(await page.getByTestId('sd-words').innerText(), /^Rheobase \d+\.\d\d mA \(threshold of a 1 ms pulse\) · chronaxie \d+ µs: they emerge from the membrane model\.$/);
      assert.match(await curve.locator('svg').getAttribute('aria-label'), /^Threshold against pulse width: 30 µs: /);
      await page.locator('.panel', { has: page.getByTestId('sd-curve') }).screenshot({ path: `${SCREENSHOT_DIR}/train-membrane-${width}.png` });
      assert.deepEqual(await violations(page), []);

      // A longer pulse: the preview answers at once, the membrane after a rest, lower.
      // (Once the drag preview's atlas is solved, so the workers are warm and free: the
      // first answer above waited for an atlas level to give way.)
      await page.waitForFunction(() => document.querySelector('[data-testid=preview-ready]')?.textContent.startsWith('Drag a lead'), null, { timeout: 180000 });
      await page.getByTestId('wave-width').fill('450');
      await page.getByTestId('wave-width').press('Tab');
      await page.waitForFunction(() => document.querySelector('[data-testid=threshold-criterion]')?.dataset.criterion === 'preview');
      const warm = await membrane(page);
      const longer = await perception(page);
      console.log(`[${width}] perception ${first} mA at the start's width, ${longer} mA at 450 µs, answered ${warm.toFixed(0)} ms after the change (300 ms of it the program's rest)`);
      assert.ok(longer < first, `450 µs: ${longer} mA, before: ${first} mA`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

// The virtual patient in Train: raised step by step, the patient feels nothing, then a
// light tingling somewhere, then says it is too strong; the body map says each region's
// intensity in words, and the painful area's coverage in figures. A refused program is
// not felt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SCREENSHOT_DIR, BASE_URL } from './browser.mjs';
import { violations } from './axe.mjs';
import { membrane } from './bench.mjs';

const text = (page, id) => page.getByTestId(id).innerText();
// The fine field, so that the thresholds do not move while the amplitude rises.
const fine = (page) => page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 180000 });
const panel = (page) => page.locator('.panel', { has: page.getByTestId('body-map') });

for (const width of [1440, 360]) {
  test(`at ${width} px, the patient answers as the amplitude rises: nothing, a region, too strong`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      await page.goto(`${BASE_URL}/train`);
      // The first exercise: both feet hurt. It starts at 0 mA.
      await page.getByTestId('scenario').selectOption('feet');
      await fine(page);
      // The membrane model's thresholds: a step of the amplitude keeps them.
      await membrane(page);
      assert.equal(await text(page, 'train-amplitude'), '0.0 mA');
      assert.equal(await text(page, 'patient-says'), 'Patient: “Nothing yet.”');
      assert.equal(await text(page, 'felt-regions'), 'No tingling.');
      const thresholds = await text(page, 'patient-thresholds');
      const [, perception, comfortable, discomfort] = thresholds.match(/^Perception (\d+\.\d) mA · comfortable (\d+\.\d) mA · discomfort (\d+\.\d) mA$/).map(Number);
      assert.ok(perception < comfortable && comfortable < discomfort, thresholds);
      assert.match(await text(page, 'body-coverage'), /^Painful area covered 0 % \(0 of 4 regions\); tingling outside it: 0 of 0 regions felt\.$/);

      // Up 0.1 mA at a time, as the clinician does on the table.
      const said = [];
      let light;
      for (let i = 0; i < 120; i++) {
        await page.getByTestId('train-amp-up').click();
        const answer = await text(page, 'patient-says');
        if (said.at(-1) !== answer) said.push(answer);
        const ma = Number((await text(page, 'train-amplitude')).split(' ')[0]);
        if (!light && answer.includes('light tingling')) {
          light = { ma, answer, map: await text(page, 'felt-regions'), coverage: await text(page, 'body-coverage') };
          if (width === 360) await panel(page).screenshot({ path: `${SCREENSHOT_DIR}/train-patient-${width}-light.png` });
        }
        if (answer.includes('too strong')) break;
      }
      console.log(`[${width}] ${thresholds}\n  ${said.join('\n  ')}`);
      assert.equal(said[0], 'Patient: “Nothing yet.”', said.join(' / '));
      assert.ok(light, `a light tingling came first: ${said.join(' / ')}`);
      // The first region is felt at the perception threshold (± the 0.1 mA step).
      assert.ok(Math.abs(light.ma - perception) <= 0.15, `felt at ${light.ma} mA, perception ${perception} mA`);
      assert.match(light.answer, /^Patient: “I feel a light tingling in (my|both) .+\.”$/);
      assert.match(light.map, /^Tingling in: .+ \((left|right|both sides), mild\)/);
      assert.match(light.coverage, /^Painful area covered \d+ % \(\d of 4 regions\); tingling outside it: \d+ of \d+ regions felt\.$/);
      const last = said.at(-1);
      assert.match(last, /^Patient: “That's strong in my .+ — too strong, please turn it down\.”$/);
      // Too strong at the discomfort threshold, and the map says where, in words.
      const ma = Number((await text(page, 'train-amplitude')).split(' ')[0]);
      assert.ok(Math.abs(ma - discomfort) <= 0.15, `too strong at ${ma} mA, discomfort ${discomfort} mA`);
      assert.match(await text(page, 'felt-regions'), /, too strong\)/);
      // Strong comes between light and too strong.
      assert.ok(said.some((s) => s.includes('strong tingling')), said.join(' / '));
      // Every band of the map is clipped to the body's outline.
      const unclipped = await page.evaluate(() => [...document.querySelectorAll('[data-testid=body-map] polygon')]
        .filter((p) => !p.closest('g[clip-path]')?.getAttribute('clip-path').startsWith('url(#body-clip-')).length);
      assert.equal(unclipped, 0);
      await panel(page).screenshot({ path: `${SCREENSHOT_DIR}/train-patient-${width}.png` });
      assert.deepEqual(await violations(page), []);

      // A program stim-core refuses does not run: nothing is felt.
      await page.getByTestId('wave-width').fill('1200');
      await page.getByTestId('wave-width').press('Tab');
      await page.waitForFunction(() => document.querySelector('[data-testid=patient-says]')?.textContent.includes('refused'));
      assert.equal(await text(page, 'felt-regions'), 'No tingling.');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

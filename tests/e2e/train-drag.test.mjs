// Train mode as a clinician moves a lead: while the lead is dragged the field, the fibres
// that fire and the body map follow the hand from the precomputed preview, labelled as a
// preview; when it is let go, the field of the new placement is solved without freezing
// the page. Frame gaps are measured in the page with requestAnimationFrame.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';

const text = (page, id) => page.getByTestId(id).innerText();

/** Starts recording frame times in the page. */
const recordFrames = (page) => page.evaluate(() => {
  window.frameTimes = [];
  const tick = (t) => { window.frameTimes.push(t); window.frameLoop = requestAnimationFrame(tick); };
  window.frameLoop = requestAnimationFrame(tick);
});

/** The longest gap between frames since recording started (ms), and the frames seen. */
const longestGap = (page) => page.evaluate(() => {
  cancelAnimationFrame(window.frameLoop);
  const t = window.frameTimes;
  let gap = 0;
  for (let i = 1; i < t.length; i++) gap = Math.max(gap, t[i] - t[i - 1]);
  return { gap, frames: t.length };
});

for (const width of [1440, 360]) {
  test(`at ${width} px, the field and body map follow a dragged lead, and the full field follows without freezing the page`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      // E4 − E5 + at 3 mA: below threshold over T8's thick CSF, above it lower down.
      await page.goto(`${BASE_URL}/train?amp=3000`);
      await page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 60000 });
      await page.waitForFunction(() => document.querySelector('[data-testid=preview-ready]')?.textContent.includes('at every level'), null, { timeout: 180000 });
      const spine = page.getByTestId('spine-lead');
      await spine.scrollIntoViewIfNeeded();
      const box = await spine.boundingBox();
      // The drawing spans x −20…20 mm and z from 20 mm above T6's centre over 235 mm.
      const at = (x, z) => [box.x + ((x + 20) / 40) * box.width, box.y + ((20 - z) / 235) * box.height];
      await recordFrames(page);
      await page.mouse.move(...at(0, -52));
      await page.mouse.down();
      const seen = [];
      for (let level = 3; level <= 5; level++) {
        await page.mouse.move(...at(1, -26 * level), { steps: 4 });
        await page.waitForFunction((name) => document.querySelector('[data-testid=spine-caption]')?.textContent.includes(`at ${name},`), ['T9', 'T10', 'T11'][level - 3]);
        const legend = await text(page, 'field-legend');
        assert.match(legend, /Preview from precomputed fields/, 'the field is labelled as a preview');
        assert.match(await text(page, 'field-status'), /^Preview while you drag/);
        seen.push(`${legend.match(/(\d+) fibres fire/)[1]} | ${await text(page, 'felt-regions')}`);
      }
      if (width === 360) await screenshot(page, 'train-drag-preview-360');
      else await screenshot(page, 'train-drag-preview');
      const dragging = await longestGap(page);
      assert.ok(new Set(seen).size >= 2, `the fibres and the body map change while dragging: ${seen.join(' / ')}`);
      assert.ok(dragging.gap < 100, `longest frame gap while dragging ${dragging.gap.toFixed(0)} ms`);

      await recordFrames(page);
      await page.mouse.up();
      await page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 60000 });
      const solving = await longestGap(page);
      console.log(`# ${width} px: longest frame gap while dragging ${dragging.gap.toFixed(0)} ms (${dragging.frames} frames), while solving ${solving.gap.toFixed(0)} ms (${solving.frames} frames)`);
      assert.equal(await text(page, 'spine-caption'), 'Middle of the lead at T11, 1 mm right of the midline.');
      assert.ok(solving.gap < 150, `longest frame gap while the field is solved ${solving.gap.toFixed(0)} ms`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

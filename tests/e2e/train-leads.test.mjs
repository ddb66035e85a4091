// Two leads in Train, as most trials for painful diabetic neuropathy place them: add a
// second 1 × 8 by the controls, stagger it by keyboard, program E9 and E12 on it, see a
// pair beyond the stimulator's 16 contacts refused in words, switch lead kinds quickly
// while a solve runs, and reopen the bench with both leads from its link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { violations } from './axe.mjs';

const text = (page, id) => page.getByTestId(id).innerText();
const label = (page, id) => page.getByTestId(id).getAttribute('aria-label');
/** Waits until the field on screen is the fine field of the placement on screen. */
const fine = (page) => page.waitForFunction(() => {
  const legend = document.querySelector('[data-testid=field-legend]')?.textContent ?? '';
  return legend.includes('Fine grid') && !legend.includes('previous placement');
}, null, { timeout: 120000 });

for (const width of [1440, 360]) {
  test(`a second lead at ${width} px: staggered by keyboard, E9 and E12 programmed, restored from its link`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      await page.goto(`${BASE_URL}/train`);
      await fine(page);
      await page.getByTestId('lead-2-kind').selectOption('8');
      assert.match(await label(page, 'contacts-lead-2'), /Lead 2: E9–E16/);
      // Stagger the second lead 6 mm down the cord with the arrow keys.
      await page.getByTestId('lead-2-shift').focus();
      for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowLeft');
      assert.equal(await page.getByTestId('lead-2-shift').inputValue(), '-6');
      assert.match(await page.getByTestId('lead-2-place').innerText(), /Stagger along the cord: -6 mm/);
      // E9 − and E12 + on the second lead.
      await page.getByTestId('contact-8').click();
      await page.getByTestId('contact-11').click();
      await page.getByTestId('contact-11').click();
      assert.equal(await label(page, 'contact-8'), 'E9: cathode');
      assert.equal(await label(page, 'contact-11'), 'E12: anode');
      for (let i = 0; i < 20; i++) await page.getByTestId('train-amp-up').click();
      assert.equal(await text(page, 'train-amplitude'), '2.0 mA');
      await fine(page);
      assert.match(await page.evaluate(() => document.documentElement.dataset.fieldSolved), / \+ 2 4\.0$/, 'both leads solved');
      assert.equal(await text(page, 'train-refusal'), '');
      await screenshot(page, `train-two-leads-${width}`);
      assert.deepEqual(await violations(page), []);

      // A 1 × 16 beside a 1 × 8 needs 24 contacts: refused in words, nothing changes.
      await page.getByTestId('lead-kind').selectOption('16');
      assert.match(await text(page, 'train-refusal'), /24 contacts/);
      assert.equal(await page.getByTestId('lead-kind').inputValue(), '8');
      assert.equal(await label(page, 'contact-8'), 'E9: cathode');

      // The link restores both leads and the program on the second.
      const link = await page.getByTestId('share-link').inputValue();
      assert.match(link, /lead2=8&level2=2&offset2=4&shift2=-6/);
      await page.goto(link);
      await fine(page);
      assert.equal(await page.getByTestId('lead-2-kind').inputValue(), '8');
      assert.equal(await page.getByTestId('lead-2-shift').inputValue(), '-6');
      assert.equal(await label(page, 'contact-8'), 'E9: cathode');
      assert.equal(await label(page, 'contact-11'), 'E12: anode');
      assert.equal(await text(page, 'train-amplitude'), '2.0 mA');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('switching 1 × 16 → E12/E13 → 1 × 8 → paddle while solves run: no error, the paddle is shown', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${BASE_URL}/train`);
    await page.waitForSelector('[data-testid=lead-kind]');
    // Without waiting for any solve.
    await page.getByTestId('lead-kind').selectOption('16');
    await page.getByTestId('contact-11').click();
    await page.getByTestId('contact-12').click();
    assert.equal(await label(page, 'contact-12'), 'E13: cathode');
    await page.getByTestId('lead-kind').selectOption('8');
    assert.equal(await page.getByTestId('contact-11').count(), 0, 'E12 is gone with the 1 × 16');
    await page.getByTestId('lead-kind').selectOption('paddle');
    await page.getByTestId('lead-kind').selectOption('16');
    await page.getByTestId('lead-kind').selectOption('paddle');
    assert.equal(await text(page, 'train-amplitude'), '0.0 mA');
    // A paddle cannot take a second lead.
    await page.getByTestId('lead-2-kind').selectOption('8');
    assert.match(await text(page, 'train-refusal'), /contacts/);
    assert.equal(await page.getByTestId('lead-2-kind').inputValue(), 'none');
    await fine(page);
    assert.match(await label(page, 'contact-15'), /^E16: /, 'the paddle has 16 contacts');
    assert.equal(await page.getByTestId('field-view').locator('svg').count(), 1);
    await screenshot(page, 'train-paddle-1440');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the second lead is dragged on the picture, and the arrow keys move the lead whose contact has the keyboard', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${BASE_URL}/train?lead=8&level=2&offset=0&lead2=8&level2=2&offset2=4&shift2=0`);
    const caption = () => text(page, 'spine-caption');
    assert.equal(await caption(), 'Middle of lead 1 at T8, on the midline; lead 2 at T8, 4 mm right of the midline.');
    const spine = page.getByTestId('spine-lead');
    await spine.scrollIntoViewIfNeeded();
    const box = await spine.boundingBox();
    // The drawing spans x −20…20 mm and z from 20 mm above T6's centre over 235 mm; T8's centre is at −52 mm.
    const at = (x, z) => [box.x + ((x + 20) / 40) * box.width, box.y + ((20 - z) / 235) * box.height];
    // Take hold of lead 2 (4 mm right; lead 1 is 4 mm away) and drag it a level down, 2 mm further out.
    await page.mouse.move(...at(4, -45));
    await page.mouse.down();
    await page.mouse.move(...at(6, -71), { steps: 8 });
    assert.match(await caption(), /lead 2 at T9, 6 mm right of the midline\.$/, 'the preview follows the hand');
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent
      === 'Middle of lead 1 at T8, on the midline; lead 2 at T9, 6 mm right of the midline.');
    assert.equal(await page.getByTestId('lead-2-level').inputValue(), '3', 'the controls follow');
    assert.match(await page.getByTestId('share-link').inputValue(), /level2=3&offset2=6/);
    assert.equal(await label(page, 'contact-8'), 'E9: off', 'a drag is not a tap');
    // The keys move the lead of the contact that has the keyboard.
    // Twice: the contact keeps the keyboard when the lead is drawn anew.
    await page.getByTestId('spine-contact-9').focus();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent.endsWith('lead 2 at T10, 6 mm right of the midline.'));
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'spine-contact-9');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent.endsWith('lead 2 at T11, 6 mm right of the midline.'));
    await page.getByTestId('spine-contact-2').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await caption(), 'Middle of lead 1 at T8, 1 mm left of the midline; lead 2 at T11, 6 mm right of the midline.');
    // Undo takes back one move at a time.
    await page.getByTestId('undo').click();
    assert.equal(await caption(), 'Middle of lead 1 at T8, on the midline; lead 2 at T11, 6 mm right of the midline.');
    assert.match(await page.getByTestId('lateral-view').getAttribute('aria-label'), /the leads lie on the dorsal dura/);
    await screenshot(page, 'train-two-leads-dragged');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// Train mode's spine picture as a pain fellow uses it: the AP picture shows the levels and
// the numbered contacts; a contact is programmed on the picture by click or by keyboard
// (polarity and share in its label; the amplitude goes back to zero); the field over the
// spine shows the potential, the field strength or the activating function with its
// units; the lead is still dragged; at 360 px the picture sits above the controls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL, SCREENSHOT_DIR } from './browser.mjs';
import { violations } from './axe.mjs';

const text = (page, id) => page.getByTestId(id).innerText();
const label = (page, id) => page.getByTestId(id).getAttribute('aria-label');
const fine = (page) => page.waitForFunction(() => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 120000 });

test('the picture shows the levels and numbered contacts; contacts are programmed on it by pointer and keyboard; the field shows in units', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    // E4 − E5 + at 3 mA.
    await page.goto(`${BASE_URL}/train?amp=3000`);
    await fine(page);
    const spine = page.getByTestId('spine-lead');
    const words = await spine.locator('text').allTextContents();
    for (const level of ['T6', 'T8', 'T10', 'T12', 'L1']) assert.ok(words.includes(level), `level ${level} is labelled`);
    for (const n of [1, 4, 8]) assert.ok(words.includes(`E${n}`), `contact E${n} is numbered`);
    assert.equal(await label(page, 'spine-contact-3'), 'E4: cathode, 100 %');
    assert.ok(words.includes('−100%') && words.includes('+100%'), 'signs and shares are written on the lead');
    assert.match(await label(page, 'lateral-view'), /over 5\.2 mm of dorsal CSF/);

    // The field over the spine, in three quantities with their units.
    assert.match(await text(page, 'spine-legend'), /^\s*Potential at the dorsal columns: 0 – \d+ mV/);
    await page.getByTestId('spine-quantity').selectOption('1');
    assert.match(await text(page, 'spine-legend'), /Field strength at the dorsal columns: 0 – [\d.]+ V\/m;/);
    await page.getByTestId('spine-quantity').selectOption('2');
    assert.match(await text(page, 'spine-legend'), /Activating function \(depolarising part\) at the dorsal columns: 0 – [\d.]+ mV\/mm²/);
    await page.getByTestId('spine-quantity').selectOption('0');

    // A tap on E3 on the picture makes it a second cathode: 50 % each, amplitude to zero;
    // the lead does not move.
    const caption = await text(page, 'spine-caption');
    await page.getByTestId('spine-contact-2').click();
    assert.equal(await label(page, 'spine-contact-2'), 'E3: cathode, 50 %');
    assert.equal(await label(page, 'spine-contact-3'), 'E4: cathode, 50 %');
    assert.equal(await label(page, 'contact-2'), 'E3: cathode', 'the contact buttons agree');
    assert.equal(await text(page, 'train-amplitude'), '0.0 mA', 'a change of contacts resets the amplitude');
    assert.equal(await text(page, 'spine-caption'), caption, 'a tap is not a drag');

    // By keyboard: Enter and Space cycle the focused contact.
    await page.getByTestId('spine-contact-2').focus();
    await page.keyboard.press('Enter');
    assert.equal(await label(page, 'spine-contact-2'), 'E3: anode, 50 %');
    await page.keyboard.press(' ');
    assert.equal(await label(page, 'spine-contact-2'), 'E3: off');
    assert.equal(await label(page, 'spine-contact-3'), 'E4: cathode, 100 %');

    // Dragging still moves the lead: from its middle at T8 to T10, 3 mm right.
    await spine.scrollIntoViewIfNeeded();
    const box = await spine.boundingBox();
    const at = (x, z) => [box.x + ((x + 20) / 40) * box.width, box.y + ((20 - z) / 235) * box.height];
    await page.mouse.move(...at(0, -52));
    await page.mouse.down();
    await page.mouse.move(...at(3, -104), { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(() => document.querySelector('[data-testid=spine-caption]')?.textContent === 'Middle of the lead at T10, 3 mm right of the midline.');
    assert.equal(await label(page, 'spine-contact-3'), 'E4: cathode, 100 %', 'the drag cycled no contact');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const width of [1440, 360]) {
  test(`at ${width} px the picture, the lateral view and the field sit beside or above the controls`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      // E4 − E5 + at 4 mA, 2 mm right of the midline at T9: dorsal columns and roots fire.
      await page.goto(`${BASE_URL}/train?amp=4000&level=3&offset=2`);
      await fine(page);
      await page.waitForFunction(() => document.querySelector('[data-testid=spine-legend]')?.textContent.includes('Firing'));
      const picture = await page.getByTestId('spine-lead').boundingBox();
      const lateral = await page.getByTestId('lateral-view').boundingBox();
      const controls = await page.getByTestId('train-amp-up').boundingBox();
      assert.ok(picture.x + picture.width <= width && lateral.x + lateral.width <= width, 'the pictures fit the width');
      assert.ok(Math.abs(lateral.y - picture.y) < 2, 'the lateral view is beside the AP picture');
      if (width === 360) assert.ok(picture.y < controls.y, 'the picture is above the controls');
      else assert.ok(picture.x + picture.width < controls.x, 'the picture is beside the controls');
      // A swipe on the picture scrolls the page (a phone is scrolled there); only a touch on a lead drags it.
      assert.equal(await page.getByTestId('spine-lead').evaluate((e) => getComputedStyle(e).touchAction), 'pan-y pinch-zoom');
      assert.equal(await page.getByTestId('spine-lead-1').evaluate((e) => getComputedStyle(e).touchAction), 'none');
      await screenshot(page, `train-spine-${width}`);
      // And the screen as the user sees it with the picture in view.
      await page.getByTestId('spine-view').evaluate((e) => e.scrollIntoView());
      await page.screenshot({ path: `${SCREENSHOT_DIR}/train-spine-${width}-view.png` });
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

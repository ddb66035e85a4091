// Working Train's bench through its controls, as a trainee does: contacts pressed, the
// amplitude stepped, the fine field awaited.
import assert from 'node:assert/strict';

export const text = (page, id) => page.getByTestId(id).innerText();

/** Waits until the fine field of the placement on screen is solved. */
export const solved = (page) => page.waitForFunction(
  () => document.querySelector('[data-testid=field-legend]')?.textContent.includes('Fine grid'), null, { timeout: 90000 });

/**
 * Waits until the membrane model has answered for the field and program on screen (the
 * body map, the patient and the scenario score are then its); returns how long it took
 * (ms, page clock).
 */
export async function membrane(page) {
  const since = await page.evaluate(() => performance.now());
  await page.waitForFunction(
    () => document.querySelector('[data-testid=threshold-criterion]')?.dataset.criterion === 'membrane', null, { timeout: 60000 });
  return (await page.evaluate(() => performance.now())) - since;
}

/** Sets the lead contacts (0 = E1) to these cathodes and anodes, the rest off, by pressing them. */
export async function setContacts(page, cathodes, anodes) {
  const contacts = await page.locator('.contact-lead .contact-button').count();
  for (let slot = 0; slot < contacts; slot++) {
    const want = cathodes.includes(slot) ? 'cathode' : anodes.includes(slot) ? 'anode' : 'off';
    for (let i = 0; i < 3; i++) {
      const label = await page.getByTestId(`contact-${slot}`).getAttribute('aria-label');
      if (label.endsWith(`: ${want}`)) break;
      await page.getByTestId(`contact-${slot}`).click();
    }
  }
}

/** Steps the amplitude with the − and + buttons to `ma` (one decimal). */
export async function setAmplitude(page, ma) {
  const want = `${ma.toFixed(1)} mA`;
  for (let i = 0; i < 80; i++) {
    const now = await text(page, 'train-amplitude');
    if (now === want) return;
    await page.getByTestId(parseFloat(now) < ma ? 'train-amp-up' : 'train-amp-down').click();
  }
  assert.fail(`amplitude stuck at ${await text(page, 'train-amplitude')}, wanted ${want}: ${await text(page, 'train-refusal')}`);
}

// Several programs on the leads, as clinical programmers' areas: in the two-leads
// scenario a program for each lead covers each foot at its own amplitude, and the
// membrane model finds what the scenario's lesson says: each lead alone, off the midline,
// brings its own side's abdomen with its foot, so the goal is not met; choosing a program
// shows its contacts and amplitude; the link restores both; a waveform with no room for
// two programs in its period is refused in words, and removing a program lets it run. At
// 1440 and 360 px, without accessibility violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot, BASE_URL } from './browser.mjs';
import { violations } from './axe.mjs';
import { text, solved, membrane, setContacts, setAmplitude } from './bench.mjs';

const label = (page, id) => page.getByTestId(id).getAttribute('aria-label');
const pressed = (page, id) => page.getByTestId(id).getAttribute('aria-pressed');
// The membrane model's verdict: both feet covered, and a side effect (each side's abdomen).
const judgedWithAbdomen = async (page) => {
  await membrane(page);
  assert.equal(await text(page, 'scenario-score'), 'Target regions 4 of 4 · side effects: 2');
  assert.doesNotMatch(await text(page, 'patient-says'), /not in my|too strong/);
  assert.match(await text(page, 'felt-regions'), /abdomen/);
};

for (const width of [1440, 360]) {
  test(`at ${width} px, a program for each lead covers each foot at its own amplitude`, async () => {
    const { context, page, errors } = await launch({ width, height: 900 });
    try {
      await page.goto(`${BASE_URL}/train?scenario=two-leads`);
      await solved(page);
      // Program 1 on the left lead: E8 − E7 +, enough for the left foot, not the right instep.
      await setContacts(page, [7], [6]);
      await setAmplitude(page, 2.6);
      assert.equal(await text(page, 'area-1'), 'Program 1 · 2.6 mA');
      assert.equal(await pressed(page, 'area-1'), 'true');
      assert.ok(await page.getByTestId('area-remove').isDisabled(), 'one program always stays');
      await membrane(page);
      assert.match(await text(page, 'patient-says'), /not in my right instep/);

      // Program 2 starts on the same contacts at zero, and is the one edited.
      await page.getByTestId('area-add').click();
      assert.equal(await pressed(page, 'area-2'), 'true');
      assert.equal(await pressed(page, 'area-1'), 'false');
      assert.equal(await text(page, 'train-amplitude'), '0.0 mA');
      assert.equal(await label(page, 'contact-7'), 'E8: cathode');
      await setContacts(page, [11], [10]);
      await setAmplitude(page, 2.6);
      assert.equal(await text(page, 'area-2'), 'Program 2 · 2.6 mA');
      assert.equal(await text(page, 'area-1'), 'Program 1 · 2.6 mA', 'program 1 keeps its amplitude');
      await judgedWithAbdomen(page);
      // The field drawn is the edited program's; what fires is every program's.
      assert.match(await text(page, 'spine-legend'), / of program 2 at the dorsal columns.*Firing \(all programs\)/);
      await screenshot(page, `train-programs-${width}`);
      assert.deepEqual(await violations(page), []);

      // Choosing program 1 shows its contacts and amplitude; nothing else changes.
      await page.getByTestId('area-1').click();
      assert.equal(await pressed(page, 'area-1'), 'true');
      assert.equal(await text(page, 'train-amplitude'), '2.6 mA');
      assert.equal(await label(page, 'contact-7'), 'E8: cathode');
      assert.equal(await label(page, 'contact-11'), 'E12: off');
      await judgedWithAbdomen(page);

      // The link restores both programs and the one edited.
      const link = await page.getByTestId('share-link').inputValue();
      assert.match(link, /&area2=/);
      await page.goto(link);
      await solved(page);
      assert.equal(await text(page, 'area-2'), 'Program 2 · 2.6 mA');
      assert.equal(await pressed(page, 'area-1'), 'true');
      await judgedWithAbdomen(page);

      // 10 kHz: no room for two programs' pulses in a 100 µs period.
      await page.getByTestId('waveform').selectOption('2');
      assert.match(await text(page, 'train-refusal'), /Program 2 finds no room in the period.*remove a program/);
      assert.match(await text(page, 'patient-says'), /I feel nothing/);
      await page.getByTestId('area-remove').click();
      assert.equal(await page.getByTestId('area-2').count(), 0);
      assert.equal(await text(page, 'train-refusal'), '');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

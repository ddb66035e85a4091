// Train mode's scenarios as a trainee works them: every scenario loads and fails as it
// starts, with a debrief that goes region by region; five are met through the controls
// with the program a clinician would choose; a lead the story fixes cannot be dragged or
// moved by keys, nor by a link; a link restores the scenario and the section; the debrief
// has no accessibility violations, at 1440 and 360 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, screenshot, BASE_URL, SCREENSHOT_DIR } from './browser.mjs';
import { violations } from './axe.mjs';
import { text, solved, setContacts, setAmplitude } from './bench.mjs';

/** Chooses a scenario by its title. */
const choose = (page, title) => page.getByTestId('scenario').selectOption({ label: title });

/** Presses Finish and returns the debrief's text. */
async function finish(page) {
  await page.getByTestId('scenario-finish').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=scenario-debrief]')?.textContent.length > 0);
  return text(page, 'scenario-debrief');
}

const TITLES = [
  'Both feet in painful diabetic neuropathy',
  'One leg, sparing the other and the abdomen',
  'A lead that migrated one level',
  'A lateral lead: a band around the abdomen',
  'An open contact',
  '10 kHz without paresthesia mapping',
  'Burst programming',
  'The same coverage at a lower amplitude',
  'Fix a program refused for charge',
  'High impedance: out of voltage',
  'Both feet with two staggered leads',
  'A short circuit between two contacts',
];

test('every scenario loads, fails as it starts, and its debrief reads region by region', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train`);
    const options = await page.getByTestId('scenario').locator('option').allInnerTexts();
    assert.deepEqual(options.slice(1), TITLES, 'the twelve scenarios, in order');
    for (const title of TITLES) {
      await choose(page, title);
      assert.ok((await text(page, 'scenario-goal')).length > 40, `${title}: a goal in words`);
      const debrief = await finish(page);
      assert.match(debrief, /^Not yet: the goal is not met\./, `${title} fails as it starts`);
      assert.match(debrief, /✗ /, `${title}: the debrief names what failed`);
      if (title !== '10 kHz without paresthesia mapping' && title !== 'Burst programming') {
        assert.match(debrief, /(left|right) (sole and little toe|top of the foot and big toe|front of the thigh)/, `${title}: region by region`);
      }
    }
    // The impedance check names the short before any program is tried.
    await choose(page, 'A short circuit between two contacts');
    assert.equal(await text(page, 'impedance-summary'), 'Out of range: E5 short circuit (90 Ω), E6 short circuit (90 Ω). Programs cannot use them.');
    await page.locator('[data-testid=impedances] summary').click();
    assert.equal(await text(page, 'impedance-5'), 'E6: 90 Ω, short circuit: do not use it');
    // Her old program uses E5: refused, and the oscilloscope plays nothing.
    assert.match(await text(page, 'scope-refusal'), /^Nothing is played: Program 1: E5 measures 90 Ω, which means a short circuit/);
    // A refused program fails with the refusal in words.
    await choose(page, 'An open contact');
    assert.match(await finish(page), /stim-core refuses this program, so it cannot run: Program 1: E4 measures 25000 Ω, which means an open circuit/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// These go through the controls as a trainee would, and end with "Goal met.".
const PASSES = [
  {
    title: 'Both feet with two staggered leads',
    // E8 (lead 1, left) − beside E12 (lead 2, right) −, E7 and E11 +: both sides at once.
    program: async (page) => { await setContacts(page, [7, 11], [6, 10]); await setAmplitude(page, 3.0); },
    lesson: /A cathode on each lead at the same height/,
  },
  {
    title: 'Fix a program refused for charge',
    // 1 ms at 1.5 mA on E4 with the case: 1.5 µC, within 30 µC/cm² and Shannon's k = 1.85,
    // and comfortable (2 mA of 1 ms pulses is too strong).
    program: async (page) => setAmplitude(page, 1.5),
    lesson: /Charge per phase is amplitude × pulse width/,
  },
  {
    title: 'An open contact',
    // E5 − E6 +: the neighbours of the open E4.
    program: async (page) => { await setContacts(page, [4], [5]); await setAmplitude(page, 2.5); },
    lesson: /no current can be delivered through it/,
  },
  {
    title: 'The same coverage at a lower amplitude',
    // E7 − E8 +: the caudal pair, over thinner CSF.
    program: async (page) => { await setContacts(page, [6], [7]); await setAmplitude(page, 2.0); },
    lesson: /guarded cathode \(\+ − \+\) narrows the field and raises the threshold/,
  },
  {
    title: '10 kHz without paresthesia mapping',
    // Over T10, E2 − E3 + lie either side of the T9–T10 disc; 10 kHz at 2 mA.
    program: async (page) => {
      await page.getByTestId('lead-level').selectOption('4');
      await setContacts(page, [1], [2]);
      await page.getByTestId('waveform').selectOption('2');
      await setAmplitude(page, 2.0);
    },
    lesson: /placed the leads anatomically over T8–T11/,
  },
];

test('five scenarios are met through the controls, and the debrief has no accessibility violations', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${BASE_URL}/train`);
    for (const { title, program, lesson } of PASSES) {
      await choose(page, title);
      await program(page);
      await solved(page);
      await page.waitForFunction(() => document.querySelector('[data-testid=scenario-score]')?.textContent.includes('goal met'), null, { timeout: 30000 })
        .catch(async () => assert.fail(`${title}: ${await text(page, 'scenario-score')}`));
      const debrief = await finish(page);
      assert.match(debrief, /^Goal met\./, `${title}: ${debrief}`);
      assert.doesNotMatch(debrief, /✗/, title);
      assert.match(debrief, lesson, title);
      if (title !== '10 kHz without paresthesia mapping') {
        for (const side of ['left', 'right']) {
          assert.match(debrief, new RegExp(`${side} sole and little toe: covered`), title);
          assert.match(debrief, new RegExp(`${side} top of the foot and big toe: covered`), title);
        }
        assert.match(debrief, /abdomen: spared/, title);
      }
    }
    const panel = page.locator('.panel', { has: page.getByTestId('scenario') });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'train-scenario-debrief.png') });
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a lead the story fixes cannot be moved: controls disabled with the reason, drag and keys refused', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${BASE_URL}/train`);
    await choose(page, 'A lead that migrated one level');
    assert.equal(await text(page, 'lead-locked'), 'The story fixes the lead over T10, on the midline: it cannot be moved. Program its contacts.');
    for (const id of ['lead-kind', 'lead-level', 'lead-offset']) assert.ok(await page.getByTestId(id).isDisabled(), `${id} is disabled`);
    await solved(page);
    const caption = 'Middle of the lead at T10, on the midline.';
    assert.equal(await text(page, 'spine-caption'), caption);
    const spine = page.getByTestId('spine-lead');
    await spine.scrollIntoViewIfNeeded();
    const box = await spine.boundingBox();
    // The drawing spans x −20…20 mm and z from 20 mm above T6's centre over 235 mm; T10's centre is at −104 mm.
    const at = (x, z) => [box.x + ((x + 20) / 40) * box.width, box.y + ((20 - z) / 235) * box.height];
    await page.mouse.move(...at(0, -104));
    await page.mouse.down();
    await page.mouse.move(...at(3, -52), { steps: 6 });
    assert.equal(await text(page, 'spine-caption'), caption, 'no drag preview');
    await page.mouse.up();
    await spine.focus();
    for (const key of ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']) await page.keyboard.press(key);
    assert.equal(await text(page, 'spine-caption'), caption, 'no move by keys');
    assert.match(await page.getByTestId('share-link').inputValue(), /level=4&offset=0&/);
    // In free practice the lead moves again.
    await page.getByTestId('scenario').selectOption('free');
    await spine.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await text(page, 'spine-caption'), 'Middle of the lead at T11, on the midline.');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('at 360 px a scenario is met and its debrief reads, without accessibility violations', async () => {
  const { context, page, errors } = await launch({ width: 360, height: 800 });
  try {
    await page.goto(`${BASE_URL}/train`);
    await choose(page, 'A lead that migrated one level');
    // E8 − E7 +: the cathode back where E4 was before the lead moved up (26 mm, four contacts).
    await setContacts(page, [7], [6]);
    await setAmplitude(page, 2.0);
    await solved(page);
    await page.waitForFunction(() => document.querySelector('[data-testid=scenario-score]')?.textContent.includes('goal met'), null, { timeout: 30000 });
    const debrief = await finish(page);
    assert.match(debrief, /^Goal met\./);
    assert.match(debrief, /move the active contacts the other way along the lead/);
    const panel = page.locator('.panel', { has: page.getByTestId('scenario') });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: join(SCREENSHOT_DIR, 'train-scenario-debrief-360.png') });
    await screenshot(page, 'train-scenarios-360');
    assert.deepEqual(await violations(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a link restores the scenario and the section, and cannot move a lead the story fixes', async () => {
  const { context, page, errors } = await launch({ width: 1440, height: 900 });
  try {
    await page.goto(`${BASE_URL}/train`);
    await choose(page, 'Both feet with two staggered leads');
    await setContacts(page, [7, 11], [6, 10]);
    await setAmplitude(page, 1.5);
    await page.getByTestId('field-plane').selectOption('sagittal');
    const link = await page.getByTestId('share-link').inputValue();
    assert.match(link, /scenario=two-leads/);
    assert.match(link, /section=sagittal/);
    // The same link with lead 2 moved: the story's leads come back.
    const moved = link.replace(/level2=\d+/, 'level2=7').replace(/offset2=-?\d+/, 'offset2=8');
    assert.notEqual(moved, link);
    const opened = await context.newPage();
    await opened.goto(moved);
    assert.equal(await opened.getByTestId('scenario').inputValue(), 'two-leads');
    assert.equal(await opened.getByTestId('field-plane').inputValue(), 'sagittal');
    assert.equal(await opened.getByTestId('train-amplitude').innerText(), '1.5 mA');
    assert.equal(await opened.getByTestId('contact-11').getAttribute('aria-label'), 'E12: cathode');
    assert.equal(await opened.getByTestId('spine-caption').innerText(),
      'Middle of lead 1 at T9, 3 mm left of the midline; lead 2 at T10, 3 mm right of the midline.');
    assert.equal(await opened.getByTestId('lead-locked').innerText(), 'The story fixes lead 1 over T9, 3 mm left of the midline; lead 2 over T10, 3 mm right of the midline: they cannot be moved. Program their contacts.');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

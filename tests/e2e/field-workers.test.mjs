// Field solves run in Web Workers: the page keeps drawing while the fine field is solved,
// and a newer placement cancels an older solve, whose field never shows.
//
// The page marks its solves on the root element (src/field_solve/mod.rs):
// data-field-solving / data-field-solved = "<level> <offset mm> <cell mm across>" (0.50 is
// the fine grid), data-field-solve = "workers" | "unavailable", data-field-cancelled = a count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, BASE_URL } from './browser.mjs';

// Longest frame gap allowed while the fine field is solved, ms. The goal is one frame
// (16.7 ms at 60 Hz), and that is what this machine measured with its cores free: 16.8 ms
// in each of three runs (a fine 1 × 16, two workers, 2.3–3.5 s). With two busy loops
// competing for the two cores it measured 50 ms, once, while the fields were taken in.
// The bound is twice that, for a CI machine shared with other builds. The in-page solve
// of a 1 × 8 measured 150 ms (its set-up, which cannot be sliced) and 50 ms per slice: it
// would fail the bound (the page no longer solves: the solver is only in the workers).
const LONGEST_GAP_MS = 100;

/** Records in the page every frame (requestAnimationFrame) and every change of the
 * solve marks, each with its time. */
function record() {
  window.frames = [];
  window.marks = [];
  const tick = (t) => { window.frames.push(t); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  const root = document.documentElement;
  new MutationObserver((changes) => {
    for (const c of changes) window.marks.push({ at: performance.now(), name: c.attributeName, value: root.getAttribute(c.attributeName) });
  }).observe(root, { attributes: true, attributeFilter: ['data-field-solving', 'data-field-solved', 'data-field-cancelled'] });
}

const mark = (page, name) => page.evaluate((n) => document.documentElement.getAttribute(n), name);
const solved = (page, placement) => page.waitForFunction(
  (p) => document.documentElement.dataset.fieldSolved === p, placement, { timeout: 60000 });
const solving = (page, placement) => page.waitForFunction(
  (p) => document.documentElement.dataset.fieldSolving === p, placement, { timeout: 60000 });

/** When (page time) mark `name` first took `value`, at or after `from`. */
const when = (marks, name, value, from = 0) => marks.find((m) => m.name === name && m.value === value && m.at >= from)?.at;

/** The longest gap between frames drawn from `from` to `to` (page time), ms. */
function longestGap(frames, from, to) {
  const inside = frames.filter((t) => t >= from && t <= to);
  let longest = 0;
  let at = 0;
  for (let i = 1; i < inside.length; i++) {
    if (inside[i] - inside[i - 1] > longest) [longest, at] = [inside[i] - inside[i - 1], inside[i] - from];
  }
  const gaps = inside.slice(1).map((t, i) => t - inside[i]).sort((a, b) => b - a).slice(0, 6).map((g) => g.toFixed(0));
  return { longest, at, gaps, frames: inside.length };
}

test('the fine field is solved in workers while the page keeps drawing', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train?lead=16`);
    await solved(page, '2 0.0 0.50');
    assert.equal(await mark(page, 'data-field-solve'), 'workers');
    assert.ok(Number(await mark(page, 'data-field-workers')) >= 1);
    await page.evaluate(record);
    await page.getByTestId('lead-level').selectOption('4'); // T10: a new placement
    await solved(page, '4 0.0 0.50');
    assert.equal(await mark(page, 'data-field-solve'), 'workers', 'the fine field came from the workers');
    assert.match(await page.getByTestId('field-legend').innerText(), /Fine grid/);
    const { frames, marks } = await page.evaluate(() => ({ frames: window.frames, marks: window.marks }));
    const from = when(marks, 'data-field-solving', '4 0.0 0.50');
    const to = when(marks, 'data-field-solved', '4 0.0 0.50');
    const gap = longestGap(frames, from, to);
    console.log(`fine 1 × 16 in workers: ${((to - from) / 1000).toFixed(2)} s, ${gap.frames} frames, longest gap ${gap.longest.toFixed(1)} ms ending ${gap.at.toFixed(0)} ms in; longest: ${gap.gaps.join(', ')} ms`);
    assert.ok(gap.frames > 10, `frames were drawn while solving: ${gap.frames}`);
    assert.ok(gap.longest <= LONGEST_GAP_MS, `longest frame gap while solving: ${gap.longest.toFixed(1)} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without workers the page says so in words, and programming still works', async () => {
  const { context, page, errors } = await launch();
  try {
    // The worker's script cannot load: the pool gives up; the page never solves on its own
    // (the solver lives only in the worker's bundle).
    await page.route('**/field-worker_loader.js', (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(`${BASE_URL}/train`);
    await page.waitForFunction(() => document.documentElement.dataset.fieldSolve === 'unavailable', null, { timeout: 30000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=field-status]')?.textContent.includes('could not start the background workers'));
    // Programming and its safety checks go on: a charge refusal still reads in words.
    await page.getByTestId('wave-width').fill('1000');
    await page.getByTestId('wave-width').press('Tab');
    for (let i = 0; i < 25; i++) await page.getByTestId('train-amp-up').click();
    assert.match(await page.getByTestId('train-refusal').innerText(), /Not raised to/);
    // The 404 of the worker's script is the one console error.
    assert.ok(errors.every((e) => e.includes('404')), errors.join('\n'));
  } finally {
    await context.close();
  }
});

test('a newer placement cancels the older solve, whose field never shows', async () => {
  const { context, page, errors } = await launch();
  try {
    await page.goto(`${BASE_URL}/train?lead=16`);
    await solved(page, '2 0.0 0.50');
    await page.evaluate(record);
    const cancelled = Number((await mark(page, 'data-field-cancelled')) ?? 0);
    await page.getByTestId('lead-level').selectOption('4');
    await solving(page, '4 0.0 0.50'); // the fine solve of T10 has begun…
    await page.waitForTimeout(300); // …and is under way in the workers
    const changed = await page.evaluate(() => performance.now());
    await page.getByTestId('lead-level').selectOption('5'); // T11 makes it stale
    await solved(page, '5 0.0 0.50');
    assert.equal(await mark(page, 'data-field-solve'), 'workers');
    assert.ok(Number(await mark(page, 'data-field-cancelled')) > cancelled, 'the stale solve was cancelled');
    const marks = await page.evaluate(() => window.marks);
    assert.equal(when(marks, 'data-field-solved', '4 0.0 0.50'), undefined, "T10's fine field never showed");
    // What the cancel costs the next placement: fresh workers load (about 0.1 s) and run
    // their first solve in freshly compiled code. Measured here, on a machine shared with
    // other builds: the coarse field after a cancel took about twice a warm coarse solve
    // (0.8 → 1.7–2.2 s, 1.8 → 3.7 s), counted from the change. Logged, not asserted.
    const warm = when(marks, 'data-field-solved', '4 0.0 1.00') - when(marks, 'data-field-solving', '4 0.0 1.00');
    const coarse = when(marks, 'data-field-solved', '5 0.0 1.00', changed) - changed;
    console.log(`coarse 1 × 16 with warm workers: ${warm.toFixed(0)} ms; T11's coarse field after the cancel: ${coarse.toFixed(0)} ms from the change`);
    assert.match(await page.getByTestId('field-legend').innerText(), /Fine grid/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

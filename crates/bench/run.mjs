// Wasm side of `cargo xtask bench`: loads the wasm-bindgen (nodejs) build given as the
// first argument and prints the same lines as the native binary.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const bench = createRequire(import.meta.url)(process.argv[2]);
const CASES = ['tonic-8', '10khz-16', 'interleaved-4'];
const EVENTS = 5_000_000;
const RUNS = 5;

/** The fastest of `runs` timings of `f` (seconds) and its last result. */
function best(runs, f) {
  let fastest = Infinity;
  let result;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = f();
    fastest = Math.min(fastest, (performance.now() - started) / 1000);
  }
  return [fastest, result];
}

CASES.forEach((name, index) => {
  bench.run_engine_case(index, EVENTS / 10); // warm up (and let the JIT tier up)
  const [seconds, simulated] = best(RUNS, () => bench.run_engine_case(index, EVENTS));
  console.log(`engine ${name} ${EVENTS} ${seconds} ${simulated}`);
});

const system = new bench.FieldSolve();
const [solveSeconds, iterations] = best(3, () => system.solve());
console.log(`field solve ${system.cells()} ${solveSeconds} ${iterations}`);
const setup = best(3, () => bench.setup_16());
console.log(`field setup-16 0 ${setup[0]} ${setup[1]}`);
// The whole 1 × 16 on one thread (best of 2; a few seconds each).
const sixteen = best(2, () => bench.unit_fields_16());
console.log(`field unit-fields-16 0 ${sixteen[0]} ${sixteen[1]}`);
const single = best(1, () => bench.unit_fields_16_one_at_a_time());
console.log(`field one-at-a-time-16 0 ${single[0]} ${single[1]}`);
const updates = new bench.FieldUpdates();
updates.update(4.0); // warm up
const [updateSeconds, coverage] = best(20, () => updates.update(4.0));
console.log(`field update ${updates.cells()} ${updateSeconds} ${coverage}`);
// The drag preview: one atlas level from scratch, and one drag step of each lead.
const level = best(1, () => bench.atlas_level());
console.log(`field atlas-level 0 ${level[0]} ${level[1]}`);
const drag = new bench.DragPreview();
for (const contacts of [8, 16]) {
  drag.step(contacts, 2.0); // warm up
  const [seconds, fired] = best(20, () => drag.step(contacts, 2.0));
  console.log(`field preview-${contacts} 0 ${seconds} ${fired}`);
}

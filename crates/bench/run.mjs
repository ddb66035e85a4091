// Wasm side of `cargo xtask bench`: loads the wasm-bindgen (nodejs) build given as the
// first argument and prints the same lines as the native binary. The 1 × 16 is also solved
// by worker threads, each with its own instance of the module and its share of the
// contacts, as the app's field workers (Web Workers) solve it.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const bench = createRequire(import.meta.url)(isMainThread ? process.argv[2] : workerData);
if (!isMainThread) {
  // A field worker: solves each share it is given, answers with the most iterations.
  parentPort.on('message', ([first, end]) => parentPort.postMessage(bench.unit_fields_16_share(first, end)));
  parentPort.postMessage('ready');
} else {
  main();
}

/** `n` worker threads, each with the module loaded (load time is not timed: the app
 * starts its workers once and reuses them). */
async function startWorkers(n) {
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: process.argv[2] });
    worker.once('message', () => resolve(worker));
    worker.once('error', reject);
  })));
}

/** Wall-clock seconds for `workers` to solve the 1 × 16 shared as the app shares it,
 * and the most iterations of any contact. */
async function solveShared(workers) {
  const bounds = bench.shares_16(workers.length);
  const started = performance.now();
  const answers = await Promise.all(workers.slice(0, bounds.length / 2).map((worker, i) => new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage([bounds[2 * i], bounds[2 * i + 1]]);
  })));
  return [(performance.now() - started) / 1000, Math.max(...answers)];
}

async function main() {
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
  // The 1 × 16 in field workers: one, then one per core (at most 4, as in the app).
  for (const n of [1, Math.min(4, availableParallelism())]) {
    const workers = await startWorkers(n);
    let fastest = Infinity;
    for (let run = 0; run < 2; run++) fastest = Math.min(fastest, (await solveShared(workers))[0]);
    console.log(`field workers-16-${n === 1 ? 'one' : 'all'} 0 ${fastest} ${n}`);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const updates = new bench.FieldUpdates();
  updates.update(4.0); // warm up
  const [updateSeconds, coverage] = best(20, () => updates.update(4.0));
  console.log(`field update ${updates.cells()} ${updateSeconds} ${coverage}`);
  const [membraneSeconds, sims] = best(2, () => updates.membrane());
  console.log(`field membrane 0 ${membraneSeconds} ${sims}`);
  const [growthSeconds, growth] = best(1, () => updates.growth());
  console.log(`field ecap-growth ${growth.length / 2} ${growthSeconds} 0`);
  const [loopSeconds, last] = best(20, () => bench.closed_loop_second(growth));
  console.log(`field closed-loop-second 50 ${loopSeconds} ${last}`);
  // The drag preview: one atlas level from scratch, and one drag step of each lead.
  const level = best(1, () => bench.atlas_level());
  console.log(`field atlas-level 0 ${level[0]} ${level[1]}`);
  const drag = new bench.DragPreview();
  for (const contacts of [8, 16]) {
    drag.step(contacts, 2.0); // warm up
    const [seconds, fired] = best(20, () => drag.step(contacts, 2.0));
    console.log(`field preview-${contacts} 0 ${seconds} ${fired}`);
  }
}

// Wasm side of `cargo xtask bench`: loads the wasm-bindgen (nodejs) build given as the
// first argument and prints the same lines as the native binary.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const bench = createRequire(import.meta.url)(process.argv[2]);
const CASES = ['tonic-8', '10khz-16', 'interleaved-4'];
const EVENTS = 5_000_000;
const RUNS = 5;

CASES.forEach((name, index) => {
  bench.run_engine_case(index, EVENTS / 10); // warm up (and let the JIT tier up)
  let best = Infinity;
  let simulated = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    simulated = bench.run_engine_case(index, EVENTS);
    best = Math.min(best, (performance.now() - started) / 1000);
  }
  console.log(`engine ${name} ${EVENTS} ${best} ${simulated}`);
});

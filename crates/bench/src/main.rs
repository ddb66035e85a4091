//! Native side of `cargo xtask bench`: times each workload, prints one line per case:
//! `engine <case> <events> <best seconds> <simulated µs>`.

use std::time::Instant;

use scs_bench::{run_engine, ENGINE_CASES};

/// Events per timed run: long enough (~0.1 s) to dwarf the timer's resolution.
const EVENTS: u32 = 5_000_000;
/// Timed runs per case; the fastest counts (the others met a busier machine).
const RUNS: usize = 5;

fn main() {
    for (case, (name, _)) in ENGINE_CASES.iter().enumerate() {
        run_engine(case, EVENTS / 10); // warm up
        let mut best = f64::MAX;
        let mut simulated = 0.0;
        for _ in 0..RUNS {
            let started = Instant::now();
            simulated = run_engine(case, EVENTS);
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("engine {name} {EVENTS} {best} {simulated}");
    }
}

//! Native side of `cargo xtask bench`: times each workload, prints one line per case:
//! `engine <case> <events> <best seconds> <simulated µs>` and
//! `field <case> <cells> <best seconds> <iterations or coverage>` (for `memory-*`:
//! `field <case> <cells> <bytes> <contacts>`).
//! With a directory argument it also writes the contact solve's system there, for the
//! SciPy/pyamg reference (`pyamg_reference.py`) to solve the same matrix.

use std::time::Instant;

use scs_bench::field::{
    contact_system, reference_system, setup_16, solve_bytes_16, solve_contact, unit_fields_16,
    unit_fields_16_one_at_a_time, unit_fields_16_share, Updates, FINER,
};
use scs_bench::preview::{atlas_level, Drag};
use scs_bench::{run_engine, ENGINE_CASES};
use spine_field::anatomy::LEVELS;
use spine_field::lead::{Lead, LeadKind};
use spine_field::model::{grid_for, Resolution, BATCH};

/// Events per timed run: long enough (~0.1 s) to dwarf the timer's resolution.
const EVENTS: u32 = 5_000_000;
/// Timed runs per case; the fastest counts (the others met a busier machine).
const RUNS: usize = 5;

/// The fastest of `runs` timings of `f`, and its last result.
fn best<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut fastest = f64::MAX;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        last = Some(f());
        fastest = fastest.min(started.elapsed().as_secs_f64());
    }
    (fastest, last.expect("at least one run"))
}

fn main() -> std::io::Result<()> {
    for (case, (name, _)) in ENGINE_CASES.iter().enumerate() {
        run_engine(case, EVENTS / 10); // warm up
        let (seconds, simulated) = best(RUNS, || run_engine(case, EVENTS));
        println!("engine {name} {EVENTS} {seconds} {simulated}");
    }
    let (op, b) = reference_system();
    if let Some(dir) = std::env::args().nth(1) {
        export(&dir, &op, &b)?;
    }
    let (seconds, iterations) = best(3, || solve_contact(&op, &b));
    println!("field solve {} {seconds} {iterations}", op.len());
    // Refinement: the middle contact (E8) of a 1 × 16 on three grids.
    for (name, resolution) in [
        ("grid-coarse", Resolution::COARSE),
        ("grid-fine", Resolution::FINE),
        ("grid-finer", FINER),
    ] {
        let (op, b) = contact_system(LeadKind::PERCUTANEOUS_16, resolution, 7);
        let (seconds, iterations) = best(2, || solve_contact(&op, &b));
        println!("field {name} {} {seconds} {iterations}", op.len());
    }
    let (seconds, depth) = best(3, setup_16);
    println!("field setup-16 0 {seconds} {depth}");
    let (seconds, iterations) = best(2, unit_fields_16);
    let sixteen = grid_for(&[Lead::at(LeadKind::PERCUTANEOUS_16, 2)], Resolution::FINE);
    println!(
        "field unit-fields-16 {} {seconds} {iterations}",
        sixteen.cells()
    );
    // The same on native threads, shared as the app shares it among its field workers.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let (seconds, _) = best(2, || {
        std::thread::scope(|scope| {
            for share in field_worker::shares(16, threads) {
                scope.spawn(move || unit_fields_16_share(share));
            }
        })
    });
    println!("field threads-16 {} {seconds} {threads}", sixteen.cells());
    let (seconds, iterations) = best(1, unit_fields_16_one_at_a_time);
    println!(
        "field one-at-a-time-16 {} {seconds} {iterations}",
        sixteen.cells()
    );
    let mut updates = Updates::new();
    let (seconds, coverage) = best(20, || updates.update(4.0));
    println!("field update {} {seconds} {coverage}", updates.cells());
    // Every fibre's membrane threshold: on one thread, and dealt to two threads as the
    // page deals them to its field workers (alternate ranks of the preview's thresholds).
    let (fibres, stimulus) = updates.membrane_drives();
    let (seconds, sims) = best(2, || Updates::membrane(&fibres, &stimulus));
    println!("field membrane {} {seconds} {sims}", fibres.len());
    let mut order: Vec<usize> = (0..fibres.len()).collect();
    order.sort_by(|&a, &b| fibres[a].preview_ma.total_cmp(&fibres[b].preview_ma));
    let halves: Vec<Vec<_>> = (0..2)
        .map(|h| {
            order
                .iter()
                .skip(h)
                .step_by(2)
                .map(|&f| fibres[f].clone())
                .collect()
        })
        .collect();
    let (seconds, _) = best(2, || {
        std::thread::scope(|scope| {
            for half in &halves {
                scope.spawn(|| Updates::membrane(half, &stimulus));
            }
        })
    });
    println!("field membrane-2 {} {seconds} 2", fibres.len());
    // The ECAP growth curve a closed loop's patient is made of, and one simulated second
    // of closed loop on it.
    let (seconds, growth) = best(1, || updates.growth());
    println!("field ecap-growth {} {seconds} 0", growth.len());
    let (seconds, last) = best(20, || scs_bench::field::closed_loop_second(&growth));
    println!("field closed-loop-second 50 {seconds} {last}");
    // The unit fields at the fine resolution: one f32 per cell and contact; what a batch's
    // solve holds besides.
    let cells = sixteen.cells();
    println!("field memory-16 {cells} {} 16", 16 * cells * 4);
    println!("field memory-solve {cells} {} {BATCH}", solve_bytes_16());
    // Two 1 × 16 side by side (4 mm either side of the midline): each on its own grid.
    let pair: usize = [-4.0, 4.0]
        .map(|offset| {
            let lead = Lead {
                offset,
                ..Lead::at(LeadKind::PERCUTANEOUS_16, 2)
            };
            16 * grid_for(&[lead], Resolution::FINE).cells() * 4
        })
        .iter()
        .sum();
    println!("field memory-two-16 {cells} {pair} 32");
    // The drag preview: one atlas level, one drag step of each lead, the atlas's memory.
    let (seconds, iterations) = best(2, atlas_level);
    println!("field atlas-level 0 {seconds} {iterations}");
    let drag = Drag::new();
    for contacts in [8, 16] {
        let (seconds, fired) = best(20, || drag.step(contacts, 2.0));
        println!("field preview-{contacts} 0 {seconds} {fired}");
    }
    let per_level = drag.bytes_per_level();
    println!(
        "field memory-atlas 0 {} {}",
        per_level * LEVELS.len(),
        LEVELS.len()
    );
    Ok(())
}

/// Writes dims (3 × u64), then diag, couplings x, y, z and b (f64 each), little-endian.
fn export(dir: &str, op: &spine_field::operator::Operator, b: &[f64]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = vec![];
    for d in op.dims {
        bytes.extend_from_slice(&(d as u64).to_le_bytes());
    }
    for v in op.diag.iter().chain(op.coupling.iter().flatten()).chain(b) {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    std::fs::write(format!("{dir}/system.bin"), bytes)
}

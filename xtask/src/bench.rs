//! `cargo xtask bench`: run the benchmarks, write docs/benchmarks.md.
//!
//! Machines are noisy, so every figure is a ratio of two things measured in the same run
//! (wasm against native, ours against a reference), never an absolute time in a test.
//! Each side reports the fastest of several timed runs.

use std::fmt::Write as _;

use crate::shell::{cmd, output, project_root};
use crate::tools;
use crate::{bundle, node};

/// One line of a benchmark binary's output: `<group> <case> <events> <seconds> <simulated µs>`.
struct Measurement {
    case: String,
    events: f64,
    seconds: f64,
    simulated_us: f64,
}

fn parse(text: &str, group: &str) -> Vec<Measurement> {
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            (f.len() == 5 && f[0] == group).then(|| Measurement {
                case: f[1].to_string(),
                events: f[2].parse().unwrap_or(0.0),
                seconds: f[3].parse().unwrap_or(f64::NAN),
                simulated_us: f[4].parse().unwrap_or(0.0),
            })
        })
        .collect()
}

/// Runs every benchmark and rewrites docs/benchmarks.md with the results.
pub fn run(_args: &[String]) -> Result<(), String> {
    tools::app_build()?;
    let root = project_root();

    println!("xtask: native benchmarks (engine, field; about 30 s)");
    let system_dir = root.join("target/bench-field");
    let native = output(&mut cmd(
        "cargo",
        &[
            "run",
            "--quiet",
            "--release",
            "-p",
            "scs-bench",
            "--",
            &system_dir.to_string_lossy(),
        ],
    ))
    .ok_or("the native benchmark failed")?;
    println!("xtask: the reference solver (SciPy + pyamg) on the same system");
    let python = tools::python_reference()?;
    let reference = output(&mut cmd(
        &python.to_string_lossy(),
        &[
            "crates/bench/pyamg_reference.py",
            &system_dir.join("system.bin").to_string_lossy(),
        ],
    ))
    .ok_or("the pyamg reference failed")?;
    println!("xtask: wasm benchmarks under Node (about a minute)");
    let module = node::build("scs-bench")?;
    let wasm = output(&mut cmd(
        "node",
        &["crates/bench/run.mjs", &module.to_string_lossy()],
    ))
    .ok_or("the wasm benchmark failed")?;

    let mut report = String::from(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; the figures of one table come from one run on one \
         machine, so compare them as ratios.\n",
    );
    let _ = writeln!(
        report,
        "\nMachine: {} cores; {}; Node {}.",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        version("rustc"),
        version("node")
    );
    engine_table(
        &mut report,
        &parse(&native, "engine"),
        &parse(&wasm, "engine"),
    )?;
    field_table(
        &mut report,
        &parse(&native, "field"),
        &parse(&wasm, "field"),
        &parse(&reference, "field"),
    )?;
    preview_table(
        &mut report,
        &parse(&native, "field"),
        &parse(&wasm, "field"),
    )?;
    membrane_table(
        &mut report,
        &parse(&native, "field"),
        &parse(&wasm, "field"),
    )?;
    closed_loop_table(
        &mut report,
        &parse(&native, "field"),
        &parse(&wasm, "field"),
    )?;

    bundle::build_release()?;
    let (main, worker) = bundle::gzip_sizes()?;
    let kb = |bytes: u64| bytes as f64 / 1024.0;
    let _ = write!(
        report,
        "\n## Release bundle\n\nThe budget is for the main bundle, which the first page load \
         needs; the field worker loads at the first field solve.\n\n\
         | part | wasm (gzip) | JS (gzip) | total (gzip) |\n|---|---|---|---|\n\
         | main bundle | {:.1} KB | {:.1} KB | {:.1} KB (goal ≤ {} KB) |\n\
         | field worker | {:.1} KB | {:.1} KB | {:.1} KB |\n",
        kb(main.wasm),
        kb(main.js),
        kb(main.total()),
        bundle::BUDGET_GZIP_BYTES / 1024,
        kb(worker.wasm),
        kb(worker.js),
        kb(worker.total()),
    );
    let path = root.join("docs/benchmarks.md");
    std::fs::write(&path, &report).map_err(|e| format!("{}: {e}", path.display()))?;
    print!("{report}");
    println!("wrote {}", path.display());
    Ok(())
}

fn engine_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
) -> Result<(), String> {
    if native.is_empty() || native.len() != wasm.len() {
        return Err("the engine benchmarks printed no comparable results".into());
    }
    report.push_str(
        "\n## Pulse engine (stim-core)\n\n\
         Phase events per second for 5 million events (best of 5 runs), native and as wasm under \
         Node (V8, the engine of Chrome); the consumer reads every current of every event. \
         Real-time factor: simulated time ÷ wall time, in wasm. Goals: wasm/native ≥ 0.6, \
         ≥ 1000× real time in wasm for 10 kHz on 16 contacts.\n\n\
         | case | native (M events/s) | wasm (M events/s) | wasm / native | real time × (wasm) |\n|---|---|---|---|---|\n",
    );
    for (n, w) in native.iter().zip(wasm) {
        let _ = writeln!(
            report,
            "| {} | {:.1} | {:.1} | {:.2} | {:.0} |",
            n.case,
            n.events / n.seconds / 1e6,
            w.events / w.seconds / 1e6,
            n.seconds / w.seconds,
            w.simulated_us / 1e6 / w.seconds
        );
    }
    Ok(())
}

fn find<'a>(rows: &'a [Measurement], case: &str) -> Result<&'a Measurement, String> {
    rows.iter()
        .find(|m| m.case == case)
        .ok_or_else(|| format!("no `{case}` result"))
}

fn field_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
    reference: &[Measurement],
) -> Result<(), String> {
    // For field lines the last column is the CG iterations (solves), the multigrid's depth
    // (set-up) or the coverage (update); memory lines carry cells, bytes and contacts.
    let (solve_n, solve_w) = (find(native, "solve")?, find(wasm, "solve")?);
    let (pyamg, tuned) = (
        find(reference, "pyamg-default")?,
        find(reference, "pyamg-tuned")?,
    );
    let _ = write!(
        report,
        "\n## Field (spine-field)\n\n\
         Solver: flexible CG preconditioned by a K-cycle of aggregation multigrid with \
         per-axis coarsening by cell width (crates/spine-field/src/multigrid.rs), to a relative \
         residual of 1e-6, multigrid set-up included.\n\n\
         ### Iterations under refinement\n\n\
         The middle contact (E8) of a midline 1 × 16 at T8 on the real anatomy, from scratch, \
         native, best of 2. The grids halve the cells of the fine region in each direction; \
         the growth of 1.3 per cell outwards stays. Goal: iterations within ±20 % of the coarse \
         grid's. (The V-cycle of 2 × 2 × 2 aggregation this solver replaced needed 34, 72 and \
         135 on these grids, measured before the change at commit fcf4ed8.)\n\n\
         | grid | cells | CG iterations | solve (native) |\n|---|---|---|---|\n",
    );
    for (name, case) in [
        ("coarse (1 mm across, 1.5 mm along)", "grid-coarse"),
        ("fine (0.5, 0.75 mm; the app's final)", "grid-fine"),
        ("finer (0.25, 0.375 mm)", "grid-finer"),
    ] {
        let m = find(native, case)?;
        let _ = writeln!(
            report,
            "| {name} | {:.0} | {:.0} | {:.2} s |",
            m.events, m.simulated_us, m.seconds
        );
    }
    let (setup_n, setup_w) = (find(native, "setup-16")?, find(wasm, "setup-16")?);
    let (all_n, all_w) = (
        find(native, "unit-fields-16")?,
        find(wasm, "unit-fields-16")?,
    );
    let (one_n, one_w) = (
        find(native, "one-at-a-time-16")?,
        find(wasm, "one-at-a-time-16")?,
    );
    let (update_n, update_w) = (find(native, "update")?, find(wasm, "update")?);
    let _ = write!(
        report,
        "\n### Solves\n\n\
         The contact solve is E4 of a midline 1 × 8 at T8 on the fine grid ({cells} cells), one \
         right-hand side, best of 3; the references solve the same exported matrix with SciPy + \
         pyamg 5.4.1 (smoothed aggregation as the CG preconditioner, same tolerance, set-up \
         included, best of 2), once with pyamg's defaults and once tuned for this grid (the \
         evolution strength measure, energy-minimising prolongation, symmetric Gauss–Seidel, \
         coarsest grid ≤ 1000; why: crates/bench/pyamg_reference.py). The unit fields of a 1 × 16 \
         are all 16 contacts of a midline 1 × 16 on the fine grid ({cells16} cells) as the app \
         builds them: assembly, multigrid set-up, four batches of four right-hand sides, best of \
         2. The program update is the weighted sum of the unit fields over every cell, the \
         activation of the dorsal column and root fibres and the paresthesia map, best of 20. \
         Goals: update ≤ 8 ms in wasm; solve wasm/native ≥ 0.5; ours (wasm) faster than pyamg; \
         the 1 × 16 ≤ 2 s in wasm with 2 Web Workers.\n\n\
         | workload | native | wasm (1 thread) | wasm / native |\n|---|---|---|---|\n\
         | contact solve | {:.3} s ({:.0} iterations) | {:.3} s | {:.2} |\n\
         | unit fields of a 1 × 16 | {:.2} s (≤ {:.0} iterations per contact) | {:.2} s | {:.2} |\n\
         | of which set-up | {:.3} s ({:.0} levels) | {:.3} s | {:.2} |\n\
         | the same, one contact at a time (1 run) | {:.2} s | {:.2} s | {:.2} |\n\
         | program update | {:.2} ms | {:.2} ms | {:.2} |\n\n\
         Batching four contacts per pass makes the 1 × 16 {:.2}× as fast as one contact at a \
         time in wasm ({:.2}× native).\n\n\
         | reference on the contact solve | time | iterations | its time / ours (wasm) |\n|---|---|---|---|\n\
         | SciPy + pyamg, defaults | {:.2} s | {:.0} | {:.1} |\n\
         | SciPy + pyamg, tuned | {:.2} s | {:.0} | {:.1} |\n",
        solve_n.seconds,
        solve_n.simulated_us,
        solve_w.seconds,
        solve_n.seconds / solve_w.seconds,
        all_n.seconds,
        all_n.simulated_us,
        all_w.seconds,
        all_n.seconds / all_w.seconds,
        setup_n.seconds,
        setup_n.simulated_us,
        setup_w.seconds,
        setup_n.seconds / setup_w.seconds,
        one_n.seconds,
        one_w.seconds,
        one_n.seconds / one_w.seconds,
        update_n.seconds * 1e3,
        update_w.seconds * 1e3,
        update_n.seconds / update_w.seconds,
        one_w.seconds / all_w.seconds,
        one_n.seconds / all_n.seconds,
        pyamg.seconds,
        pyamg.simulated_us,
        pyamg.seconds / solve_w.seconds,
        tuned.seconds,
        tuned.simulated_us,
        tuned.seconds / solve_w.seconds,
        cells = solve_n.events,
        cells16 = all_n.events,
    );
    workers_table(report, native, wasm, all_n, all_w)?;
    let (fields, pair, batch) = (
        find(native, "memory-16")?,
        find(native, "memory-two-16")?,
        find(native, "memory-solve")?,
    );
    let _ = write!(
        report,
        "\nMemory at the fine resolution (f32 per cell and contact): the unit fields of a 1 × 16 \
         take {:.1} MB ({:.0} cells × 16 contacts × 4 bytes); two 1 × 16 side by side (4 mm \
         either side of the midline, each on its own grid) {:.1} MB. While solving a 1 × 16, a \
         batch of {:.0} right-hand sides holds {:.1} MB besides: the operator, the multigrid \
         hierarchy (f32), CG's f64 vectors, the cycle's scratch space, and the batch's \
         right-hand sides and solutions.\n",
        fields.seconds / 1e6,
        fields.events,
        pair.seconds / 1e6,
        batch.simulated_us,
        batch.seconds / 1e6,
    );
    Ok(())
}

fn membrane_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
) -> Result<(), String> {
    let (one_n, one_w) = (find(native, "membrane")?, find(wasm, "membrane")?);
    let two_n = find(native, "membrane-2")?;
    // The page deals the fibres to two workers: wasm on two estimated from one thread by
    // the native speed-up of the same dealing.
    let two_w = one_w.seconds * two_n.seconds / one_n.seconds;
    let _ = write!(
        report,
        "\n### Membrane thresholds\n\n\
         Every modelled fibre's threshold (the MRG double-cable axon, 5 µs backward Euler, \
         bisection to 2 % from the activating function's guess, up to 25.5 mA) for the update's \
         midline guarded cathode at T8 as a 300 µs biphasic pulse, on the fine grid; best of 2. \
         The page deals the fibres to its two field workers (alternate ranks of the preview's \
         thresholds): natively measured on two threads, in wasm estimated from one thread by \
         the same speed-up. Goal: ≤ 1 s in wasm with the workers.\n\n\
         | workload | native | wasm | wasm / native |\n|---|---|---|---|\n\
         | {} fibres, one thread ({:.0} simulations) | {:.2} s | {:.2} s | {:.2} |\n\
         | the same, two workers | {:.2} s | {:.2} s (estimated) | |\n",
        one_n.events,
        one_n.simulated_us,
        one_n.seconds,
        one_w.seconds,
        one_n.seconds / one_w.seconds,
        two_n.seconds,
        two_w,
    );
    Ok(())
}

fn closed_loop_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
) -> Result<(), String> {
    let (growth_n, growth_w) = (find(native, "ecap-growth")?, find(wasm, "ecap-growth")?);
    let (loop_n, loop_w) = (
        find(native, "closed-loop-second")?,
        find(wasm, "closed-loop-second")?,
    );
    let _ = write!(
        report,
        "\n### ECAP and closed loop\n\n\
         A closed loop's patient is an ECAP growth curve per posture: the update's program's \
         membrane thresholds, then the ECAP on E8 at {:.0} amplitudes (each fired fibre \
         simulated once more for where its action potential starts; `spine_field::membrane::ecap`). \
         One simulated second of closed loop is 50 measured pulses, stim-core's `ClosedLoop` \
         adjusting the amplitude on that curve. Goal: faster than real time in wasm.\n\n\
         | workload | native | wasm | wasm / native |\n|---|---|---|---|\n\
         | growth curve, one posture (one thread) | {:.2} s | {:.2} s | {:.2} |\n\
         | one simulated second of closed loop | {:.1} µs | {:.1} µs | {:.2} |\n\n\
         One simulated second takes {:.0} µs in wasm: {:.0} × faster than real time, once a \
         posture's growth curve is known.\n",
        growth_n.events,
        growth_n.seconds,
        growth_w.seconds,
        growth_n.seconds / growth_w.seconds,
        loop_n.seconds * 1e6,
        loop_w.seconds * 1e6,
        loop_n.seconds / loop_w.seconds,
        loop_w.seconds * 1e6,
        1.0 / loop_w.seconds,
    );
    Ok(())
}

fn preview_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
) -> Result<(), String> {
    let (level_n, level_w) = (find(native, "atlas-level")?, find(wasm, "atlas-level")?);
    let (p8_n, p8_w) = (find(native, "preview-8")?, find(wasm, "preview-8")?);
    let (p16_n, p16_w) = (find(native, "preview-16")?, find(wasm, "preview-16")?);
    let memory = find(native, "memory-atlas")?;
    let per_level = memory.seconds / memory.simulated_us;
    let _ = write!(
        report,
        "\n### Drag preview\n\n\
         While a lead is dragged, each contact takes the unit field of one contact solved at the \
         two nearest level centres and lateral offsets (crates/spine-field/src/atlas.rs), \
         translated along the cord and blended. A drag step is the lead moved to T9, 2 mm from \
         the midline, programmed E2 − E3 + at 3 mA: the active contacts' unit potentials at \
         every fibre node, which fibres fire, where they are felt, and the drawn axial section \
         (40 × 36), best of 20. Goal: ≤ 16 ms in wasm (one frame). An atlas level is nine \
         right-hand sides (0–8 mm from the midline) on their own fine grid, solved from \
         scratch, 1 run, on one thread; the app solves the eight levels in its field workers \
         (the offsets shared among them) once the first field has arrived. Error against the full fine solve (tests/preview.rs, 27 programs on \
         three leads): first-fibre thresholds within 10 % (measured at most 8.0 %), at most 4 \
         body-map regions different at 1.5 × threshold (measured at most 3).\n\n\
         | workload | native | wasm (1 thread) | wasm / native |\n|---|---|---|---|\n\
         | drag step, 1 × 8 | {:.2} ms | {:.2} ms | {:.2} |\n\
         | drag step, 1 × 16 | {:.2} ms | {:.2} ms | {:.2} |\n\
         | one atlas level (≤ {:.0} iterations) | {:.2} s | {:.2} s | {:.2} |\n\n\
         Memory: the atlas holds {:.1} MB per level, {:.1} MB for all eight.\n",
        p8_n.seconds * 1e3,
        p8_w.seconds * 1e3,
        p8_n.seconds / p8_w.seconds,
        p16_n.seconds * 1e3,
        p16_w.seconds * 1e3,
        p16_n.seconds / p16_w.seconds,
        level_n.simulated_us,
        level_n.seconds,
        level_w.seconds,
        level_n.seconds / level_w.seconds,
        per_level / 1e6,
        per_level * 8.0 / 1e6,
    );
    Ok(())
}

/// The 1 × 16 in field workers: wasm in 1 and N Node worker threads (each its own
/// instance, its share of the contacts as the app shares them), against native.
fn workers_table(
    report: &mut String,
    native: &[Measurement],
    wasm: &[Measurement],
    all_n: &Measurement,
    all_w: &Measurement,
) -> Result<(), String> {
    let (one, all) = (find(wasm, "workers-16-one")?, find(wasm, "workers-16-all")?);
    let threads = find(native, "threads-16")?;
    let n = all.simulated_us;
    let _ = write!(
        report,
        "\n### The 1 × 16 in field workers\n\n\
         Full fine-grid unit fields of the same 1 × 16, timed wall-clock from handing out the \
         shares to the last answer, best of 2. wasm runs in Node worker threads, each with its \
         own instance of the module and its share of the contacts as the app shares them among \
         its Web Workers (`field_worker::shares`: whole batches of four); every worker repeats \
         the assembly and the multigrid set-up. Loading the workers is not timed (the app \
         starts them once). Goal: ≤ 2 s with 2 workers on a 2-core machine; the cores are \
         shared with whatever else runs, so N workers are only as fast as the free cores.\n\n\
         | workload | wall time | of 1 thread (same target) |\n|---|---|---|\n\
         | wasm, 1 thread, no worker | {:.2} s | 1.00 |\n\
         | wasm, 1 worker | {:.2} s | {:.2} |\n\
         | wasm, {n:.0} workers | {:.2} s | {:.2} |\n\
         | native, 1 thread | {:.2} s | 1.00 |\n\
         | native, {:.0} threads | {:.2} s | {:.2} |\n\n\
         With {n:.0} workers the 1 × 16 takes {:.2} s in wasm: {}.\n",
        all_w.seconds,
        one.seconds,
        one.seconds / all_w.seconds,
        all.seconds,
        all.seconds / all_w.seconds,
        all_n.seconds,
        threads.simulated_us,
        threads.seconds,
        threads.seconds / all_n.seconds,
        all.seconds,
        if all.seconds <= 2.0 {
            "the goal of ≤ 2 s is met".to_string()
        } else {
            format!("{:.2} s over the goal of ≤ 2 s", all.seconds - 2.0)
        },
    );
    Ok(())
}

fn version(tool: &str) -> String {
    output(&mut cmd(tool, &["--version"]))
        .map_or_else(|| format!("{tool} ?"), |v| v.trim().to_string())
}

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

    bundle::build_release()?;
    let (wasm_gz, js_gz) = bundle::gzip_sizes()?;
    let _ = write!(
        report,
        "\n## Release bundle\n\n| part | gzip |\n|---|---|\n| wasm | {:.1} KB |\n| JS | {:.1} KB |\n| total | {:.1} KB (goal ≤ {} KB) |\n",
        wasm_gz as f64 / 1024.0,
        js_gz as f64 / 1024.0,
        (wasm_gz + js_gz) as f64 / 1024.0,
        bundle::BUDGET_GZIP_BYTES / 1024
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
    let (solve_n, solve_w, pyamg) = (
        find(native, "solve")?,
        find(wasm, "solve")?,
        find(reference, "pyamg")?,
    );
    let (update_n, update_w) = (find(native, "update")?, find(wasm, "update")?);
    let memory = find(native, "memory-16")?;
    // For field lines the last column is the CG iterations (solve) or the coverage (update).
    let _ = write!(
        report,
        "\n## Field (spine-field)\n\n\
         A midline 1 × 8 at T8 on the fine grid ({cells} cells). The contact solve is one contact's \
         field from scratch to a relative residual of 1e-6, multigrid set-up included, best of 3; \
         the reference solves the same exported matrix with SciPy + pyamg 5.4.1 (smoothed \
         aggregation as the CG preconditioner, same tolerance, set-up included). The program update \
         is the weighted sum of the unit fields over every cell, the activation of the dorsal column and root \
         fibres and the paresthesia map, best of 20. Goals: update ≤ 8 ms in wasm; solve wasm/native ≥ 0.5; \
         ours (wasm) ≤ pyamg.\n\n\
         | workload | native | wasm | wasm / native | SciPy + pyamg | pyamg / ours (wasm) |\n|---|---|---|---|---|---|\n\
         | contact solve | {:.2} s ({:.0} iterations) | {:.2} s | {:.2} | {:.2} s ({:.0} iterations) | {:.1} |\n\
         | program update | {:.2} ms | {:.2} ms | {:.2} | — | — |\n\n\
         Memory: the unit fields of a 1 × 16 at the fine resolution take {:.1} MB ({} cells × 16 \
         contacts × 4 bytes); a 1 × 8 takes {:.1} MB.\n",
        solve_n.seconds,
        solve_n.simulated_us,
        solve_w.seconds,
        solve_n.seconds / solve_w.seconds,
        pyamg.seconds,
        pyamg.simulated_us,
        pyamg.seconds / solve_w.seconds,
        update_n.seconds * 1e3,
        update_w.seconds * 1e3,
        update_n.seconds / update_w.seconds,
        // memory-16's columns: cells, bytes, contacts.
        memory.seconds / 1e6,
        memory.events,
        solve_n.events * 8.0 * 4.0 / 1e6,
        cells = solve_n.events,
    );
    Ok(())
}

fn version(tool: &str) -> String {
    output(&mut cmd(tool, &["--version"]))
        .map_or_else(|| format!("{tool} ?"), |v| v.trim().to_string())
}

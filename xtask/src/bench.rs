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

    println!("xtask: engine benchmark, native");
    let native = output(&mut cmd(
        "cargo",
        &["run", "--quiet", "--release", "-p", "scs-bench"],
    ))
    .ok_or("the native benchmark failed")?;
    println!("xtask: engine benchmark, wasm under Node");
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

fn version(tool: &str) -> String {
    output(&mut cmd(tool, &["--version"]))
        .map_or_else(|| format!("{tool} ?"), |v| v.trim().to_string())
}

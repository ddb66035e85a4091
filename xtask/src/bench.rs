//! `cargo xtask bench`: run the benchmarks, write docs/benchmarks.md.
//!
//! Machines are noisy, so every figure is a ratio of two things measured in the same run
//! (wasm against native, ours against a reference), never an absolute time in a test.

use std::fmt::Write as _;

use crate::bundle;
use crate::shell::project_root;

/// Runs every benchmark and rewrites docs/benchmarks.md with the results.
pub fn run(_args: &[String]) -> Result<(), String> {
    let mut report = String::from(
        "# Benchmarks\n\nWritten by `cargo xtask bench`; every figure of one table comes from the same run.\n",
    );
    bundle::build_release()?;
    let (wasm, js) = bundle::gzip_sizes()?;
    let _ = write!(
        report,
        "\n## Release bundle\n\n| part | gzip |\n|---|---|\n| wasm | {:.1} KB |\n| JS | {:.1} KB |\n| total | {:.1} KB (goal ≤ {} KB) |\n",
        wasm as f64 / 1024.0,
        js as f64 / 1024.0,
        (wasm + js) as f64 / 1024.0,
        bundle::BUDGET_GZIP_BYTES / 1024
    );
    let path = project_root().join("docs/benchmarks.md");
    std::fs::write(&path, report).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}

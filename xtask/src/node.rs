//! Crates compiled to wasm for Node: the benchmark's wasm side and the end-to-end tests'
//! emulated board.

use std::path::PathBuf;

use crate::shell::{cmd, project_root, run};
use crate::tools;

/// Builds `package` (a cdylib) for wasm32 in release mode and wraps it with wasm-bindgen
/// for Node; returns the path of the JS module to `require`.
pub fn build(package: &str) -> Result<PathBuf, String> {
    tools::rust_targets(&["wasm32-unknown-unknown"])?;
    tools::wasm_bindgen_cli()?;
    run(&mut cmd(
        "cargo",
        &[
            "build",
            "--release",
            "-p",
            package,
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
        ],
    ))?;
    let lib = package.replace('-', "_");
    let out_dir = project_root().join("target/node").join(package);
    let wasm = format!("target/wasm32-unknown-unknown/release/{lib}.wasm");
    run(&mut cmd(
        "wasm-bindgen",
        &[
            "--target",
            "nodejs",
            "--out-dir",
            &out_dir.to_string_lossy(),
            &wasm,
        ],
    ))?;
    Ok(out_dir.join(format!("{lib}.js")))
}

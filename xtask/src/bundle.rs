//! The app's release bundle: built by Trunk into `dist/`, measured gzip-compressed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::{cmd, project_root, run, tool_path};
use crate::tools;

/// The goal for the whole app's wasm + JS, gzip-compressed.
pub const BUDGET_GZIP_BYTES: u64 = 400 * 1024;

/// Installs the build tools if missing and builds the release bundle; returns `dist/`.
pub fn build_release() -> Result<PathBuf, String> {
    tools::app_build()?;
    // Offline: Trunk takes wasm-bindgen and wasm-opt from PATH and never downloads.
    run(cmd("trunk", &["build", "--release", "--offline"]).env("PATH", tool_path()))?;
    Ok(project_root().join("dist"))
}

/// Sizes of the bundle's code: (wasm gzip, JS gzip), in bytes.
pub fn gzip_sizes() -> Result<(u64, u64), String> {
    let dist = project_root().join("dist");
    let (mut wasm, mut js) = (0, 0);
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => wasm += gzip_len(&path)?,
            Some("js") => js += gzip_len(&path)?,
            _ => {}
        }
    }
    if wasm == 0 {
        return Err("dist/ holds no .wasm: build the bundle first".into());
    }
    Ok((wasm, js))
}

/// The length of `path` compressed by `gzip -9`, as a web server would send it.
fn gzip_len(path: &Path) -> Result<u64, String> {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .map_err(|e| format!("gzip: {e}"))?;
    if !out.status.success() {
        return Err(format!("gzip {} failed", path.display()));
    }
    Ok(out.stdout.len() as u64)
}

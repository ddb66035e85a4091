//! The app's release bundle: built by Trunk into `dist/`, measured gzip-compressed.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::shell::{cmd, project_root, run, tool_path};
use crate::tools;

/// The goal for the main bundle's wasm + JS (what the first page load needs), gzip-compressed.
pub const BUDGET_GZIP_BYTES: u64 = 400 * 1024;

/// Installs the build tools if missing and builds the release bundle; returns `dist/`.
pub fn build_release() -> Result<PathBuf, String> {
    tools::app_build()?;
    // Offline: Trunk takes wasm-bindgen and wasm-opt from PATH and never downloads.
    run(cmd("trunk", &["build", "--release", "--offline"]).env("PATH", tool_path()))?;
    Ok(project_root().join("dist"))
}

/// The gzip sizes of one part of the bundle's code, in bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sizes {
    /// Its wasm.
    pub wasm: u64,
    /// Its JS.
    pub js: u64,
}

impl Sizes {
    /// wasm + JS.
    pub fn total(self) -> u64 {
        self.wasm + self.js
    }
}

/// The field worker's files (index.html names its binary; Trunk does not hash them).
const WORKER_PREFIX: &str = "field-worker";

/// Sizes of the bundle's code: (the main bundle, the field worker). The budget is for the
/// main bundle: the worker loads only when the first field is solved.
pub fn gzip_sizes() -> Result<(Sizes, Sizes), String> {
    let dist = project_root().join("dist");
    let (mut main, mut worker) = (Sizes::default(), Sizes::default());
    let entries = std::fs::read_dir(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let part = if name.starts_with(WORKER_PREFIX) {
            &mut worker
        } else {
            &mut main
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("wasm") => part.wasm += gzip_len(&path)?,
            Some("js") => part.js += gzip_len(&path)?,
            _ => {}
        }
    }
    if main.wasm == 0 || worker.wasm == 0 {
        return Err(
            "dist/ lacks the app's or the field worker's .wasm: build the bundle first".into(),
        );
    }
    Ok((main, worker))
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

//! Running commands: print what runs, fail with the command's name when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (the parent of `xtask/`).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A command that starts in the project root.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(project_root());
    c
}

/// Runs `c`, echoing it first; an error names the command and its exit status.
pub fn run(c: &mut Command) -> Result<(), String> {
    let shown = describe(c);
    println!("$ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` failed ({status})"))
    }
}

/// Runs `c` quietly and returns its standard output, or None if it cannot run or fails.
pub fn output(c: &mut Command) -> Option<String> {
    let out = c.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(c: &Command) -> String {
    std::iter::once(c.get_program())
        .chain(c.get_args())
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// PATH with the project's npm tools (wasm-opt from `binaryen`) first.
pub fn tool_path() -> String {
    let npm_bin = project_root().join("node_modules/.bin");
    match std::env::var("PATH") {
        Ok(path) => format!("{}:{path}", npm_bin.display()),
        Err(_) => npm_bin.display().to_string(),
    }
}

//! Idempotent installs of everything the commands need, each from a package registry.
//!
//! Every function checks first and installs only what is missing or of the wrong version,
//! printing what it does. The pins and why:
//! - Trunk 0.21: 0.22 needs a newer rustc than this machine's stable.
//! - wasm-bindgen-cli: exactly Cargo.lock's wasm-bindgen, installed without `--locked`
//!   (its own lock names a crate version the registry lacks).
//! - wasm-opt: npm's `binaryen` 132 (package.json); Debian's wasm-opt 108 builds a page
//!   that throws at start-up.
//! - Chromium: Debian's current build (its archive keeps only the newest, so an exact pin
//!   would break); we require the major version the Bluetooth emulation was verified on.

use std::path::Path;

use crate::shell::{cmd, output, project_root, run};

const TRUNK_VERSION: &str = "0.21.14";
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Chromium's Bluetooth emulation over CDP was verified from this major version on.
const MIN_CHROMIUM_MAJOR: u32 = 156;

/// Adds the rustup targets that are not installed yet.
pub fn rust_targets(targets: &[&str]) -> Result<(), String> {
    let installed =
        output(&mut cmd("rustup", &["target", "list", "--installed"])).unwrap_or_default();
    for target in targets {
        if !installed.lines().any(|l| l.trim() == *target) {
            println!("xtask: installing the Rust target {target}");
            run(&mut cmd("rustup", &["target", "add", target]))?;
        }
    }
    Ok(())
}

/// Trunk, the app's build tool, at the pinned version.
pub fn trunk() -> Result<(), String> {
    let have = output(&mut cmd("trunk", &["--version"])).unwrap_or_default();
    if have.trim() == format!("trunk {TRUNK_VERSION}") {
        return Ok(());
    }
    println!(
        "xtask: installing trunk {TRUNK_VERSION} (about 7 minutes on 2 cores; once per machine)"
    );
    run(&mut cmd(
        "cargo",
        &["install", "--locked", "trunk", "--version", TRUNK_VERSION],
    ))
}

/// cargo-fuzz, at the pinned version (it runs on stable with RUSTC_BOOTSTRAP=1).
pub fn cargo_fuzz() -> Result<(), String> {
    let have = output(&mut cmd("cargo", &["fuzz", "--version"])).unwrap_or_default();
    if have.trim() == format!("cargo-fuzz {CARGO_FUZZ_VERSION}") {
        return Ok(());
    }
    println!("xtask: installing cargo-fuzz {CARGO_FUZZ_VERSION} (about a minute)");
    run(&mut cmd(
        "cargo",
        &[
            "install",
            "--locked",
            "cargo-fuzz",
            "--version",
            CARGO_FUZZ_VERSION,
        ],
    ))
}

/// The field benchmark's reference: SciPy and pyamg (PyPI, pinned) in a venv under
/// target/; returns its python.
pub fn python_reference() -> Result<std::path::PathBuf, String> {
    python_venv(
        "pyref",
        &["pyamg==5.4.1", "scipy==1.17.1", "numpy==2.4.6"],
        "the benchmark's reference",
    )
}

/// The virtual dev board's radio: RootCanal (a virtual controller; 1.10.0 runs on Debian
/// 12's glibc, later wheels do not) and bumble (a BLE central), from PyPI, pinned, in a
/// venv under target/. Returns (its python, the rootcanal binary).
pub fn virtual_radio() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let python = python_venv(
        "virtual-radio",
        &["rootcanal==1.10.0", "bumble==0.0.236"],
        "the virtual dev board's controller and central",
    )?;
    let package = output(&mut cmd(
        &python.to_string_lossy(),
        &[
            "-c",
            "import os, rootcanal; print(os.path.dirname(rootcanal.__file__))",
        ],
    ))
    .ok_or("the rootcanal package is not importable")?;
    let rootcanal = std::path::Path::new(package.trim()).join("bin/linux-x86_64/rootcanal");
    if !rootcanal.exists() {
        return Err(format!("no RootCanal binary at {}", rootcanal.display()));
    }
    Ok((python, rootcanal))
}

/// Pinned PyPI `packages` in a venv at target/`name`, installed only if missing; returns
/// its python.
fn python_venv(name: &str, packages: &[&str], what: &str) -> Result<std::path::PathBuf, String> {
    let venv = project_root().join("target").join(name);
    let python = venv.join("bin/python");
    let have = output(&mut cmd(
        &python.to_string_lossy(),
        &["-m", "pip", "freeze"],
    ))
    .unwrap_or_default();
    if packages
        .iter()
        .all(|p| have.lines().any(|l| l.trim() == *p))
    {
        return Ok(python);
    }
    println!(
        "xtask: installing {what} ({}) into target/{name}",
        packages.join(", ")
    );
    run(&mut cmd(
        "python3",
        &["-m", "venv", &venv.to_string_lossy()],
    ))?;
    let mut pip = cmd(
        &python.to_string_lossy(),
        &["-m", "pip", "install", "--quiet"],
    );
    pip.args(packages);
    run(&mut pip)?;
    Ok(python)
}

/// wasm-bindgen CLI (and its test runner) at exactly the version in Cargo.lock.
pub fn wasm_bindgen_cli() -> Result<(), String> {
    let want = locked_version("wasm-bindgen")?;
    let have = output(&mut cmd("wasm-bindgen", &["--version"])).unwrap_or_default();
    if have.trim() == format!("wasm-bindgen {want}") {
        return Ok(());
    }
    println!("xtask: installing wasm-bindgen-cli {want} to match Cargo.lock (about 2 minutes)");
    run(&mut cmd(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &want, "--force"],
    ))
}

/// The npm tools of package.json (wasm-opt, playwright-core, axe-core), from package-lock.json.
pub fn npm_packages() -> Result<(), String> {
    let root = project_root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp = root.join("node_modules/.xtask-lock-stamp");
    if std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) {
        return Ok(());
    }
    println!("xtask: installing npm tools from package-lock.json");
    run(&mut cmd("npm", &["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// Installs the Debian `packages` unless every one of `binaries` is already there.
fn debian(binaries: &[&str], packages: &[&str]) -> Result<(), String> {
    if binaries.iter().all(|b| Path::new(b).exists()) {
        return Ok(());
    }
    println!("xtask: installing Debian's {}", packages.join(" and "));
    run(&mut cmd("apt-get", &["update", "-q"]))?;
    let mut install = cmd("apt-get", &["install", "-y", "-q"]);
    install
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// What the firmware's build needs: the Cortex-M4F target; Debian's clang, for the
/// bindgen of nrf-sdc-sys and nrf-mpsl-sys (libclang alone lacks its headers); and
/// binutils for `arm-none-eabi-size`.
pub fn firmware_build() -> Result<(), String> {
    rust_targets(&["thumbv7em-none-eabihf"])?;
    debian(
        &["/usr/bin/clang", "/usr/bin/arm-none-eabi-size"],
        &["clang", "binutils-arm-none-eabi"],
    )
}

/// Debian's Chromium and ChromeDriver, for wasm-bindgen-test and Playwright.
pub fn chromium() -> Result<(), String> {
    debian(
        &["/usr/bin/chromium", "/usr/bin/chromedriver"],
        &["chromium", "chromium-driver"],
    )?;
    let version = output(&mut cmd("/usr/bin/chromium", &["--version"])).unwrap_or_default();
    let major = version
        .split_whitespace()
        .find_map(|w| w.split('.').next()?.parse::<u32>().ok())
        .unwrap_or(0);
    if major < MIN_CHROMIUM_MAJOR {
        return Err(format!(
            "Chromium {MIN_CHROMIUM_MAJOR} or newer is needed, found `{}`",
            version.trim()
        ));
    }
    Ok(())
}

/// The version of `package` that Cargo.lock pins (the first, if several).
pub fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err(format!("Cargo.lock has no package `{package}`"))
}

/// Everything the app's build needs: the wasm target, Trunk, wasm-bindgen, wasm-opt.
pub fn app_build() -> Result<(), String> {
    rust_targets(&["wasm32-unknown-unknown"])?;
    wasm_bindgen_cli()?;
    npm_packages()?;
    trunk()
}

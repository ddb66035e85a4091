//! `cargo xtask test`: every test of the project, stage by stage, with a summary.
//!
//! Stages run in order and a failure does not stop the later ones (so one run shows every
//! problem), except that the end-to-end stage needs the bundle this run built.

use std::time::Instant;

use crate::shell::{cmd, project_root, run as run_cmd};
use crate::{bundle, flag_value, fw, node, serve, tools};

/// One stage: its name (for `--only`), its heading, and what it runs.
struct Stage {
    name: &'static str,
    heading: &'static str,
    run: fn(&mut Context) -> Result<(), String>,
}

/// What stages learn from each other.
#[derive(Default)]
struct Context {
    /// Whether this run built the release bundle (None: not tried yet).
    bundle_built: Option<bool>,
    /// Only the e2e files whose name contains this (`--e2e NAME`), for working on one.
    e2e_filter: Option<String>,
}

const STAGES: &[Stage] = &[
    Stage {
        name: "fmt",
        heading: "formatting (cargo fmt --check)",
        run: fmt,
    },
    Stage {
        name: "clippy",
        heading: "lints (cargo clippy -D warnings, native and wasm32)",
        run: clippy,
    },
    Stage {
        name: "native",
        heading: "native tests of every crate",
        run: native,
    },
    Stage {
        name: "no-std",
        heading: "the core builds for the board (thumbv7em) and the browser (wasm32)",
        run: no_std,
    },
    Stage {
        name: "fuzz",
        heading: "bounded fuzzing of the protocol decoder and the device server (60 s)",
        run: fuzz,
    },
    Stage {
        name: "wasm",
        heading: "app tests in headless Chromium (wasm-bindgen-test)",
        run: wasm,
    },
    Stage {
        name: "bundle",
        heading: "release bundle (Trunk) and its size",
        run: bundle_stage,
    },
    Stage {
        name: "e2e",
        heading: "end-to-end tests (Playwright) against the release bundle",
        run: e2e,
    },
    Stage {
        name: "firmware",
        heading: "the nRF52840-DK firmware builds (release) within its size budget",
        run: firmware,
    },
    Stage {
        name: "board",
        heading:
            "the virtual dev board: the firmware's Bluetooth app on RootCanal, driven by bumble",
        run: |_| crate::board::scenarios(),
    },
];

/// Runs the stages (all, or the one named by `--only`) and prints a summary.
pub fn run(args: &[String]) -> Result<(), String> {
    let only = flag_value(args, "--only")?;
    if let Some(name) = only {
        if !STAGES.iter().any(|s| s.name == name) {
            let names: Vec<_> = STAGES.iter().map(|s| s.name).collect();
            return Err(format!("no stage `{name}`; stages: {}", names.join(", ")));
        }
    }
    let mut context = Context {
        e2e_filter: flag_value(args, "--e2e")?.map(str::to_string),
        ..Context::default()
    };
    let mut results = Vec::new();
    for stage in STAGES.iter().filter(|s| only.is_none_or(|o| o == s.name)) {
        println!("\n==== {}: {} ====", stage.name, stage.heading);
        let started = Instant::now();
        let result = (stage.run)(&mut context);
        let seconds = started.elapsed().as_secs_f32();
        match &result {
            Ok(()) => println!("---- {}: ok ({seconds:.0} s)", stage.name),
            Err(e) => println!("---- {}: FAILED ({seconds:.0} s): {e}", stage.name),
        }
        results.push((stage.name, result.is_ok()));
    }
    let failed: Vec<_> = results
        .iter()
        .filter(|(_, ok)| !ok)
        .map(|(n, _)| *n)
        .collect();
    println!("\n==== summary ====");
    for (name, ok) in &results {
        println!("  {name:8} {}", if *ok { "ok" } else { "FAILED" });
    }
    println!(
        "stages: {} passed, {} failed",
        results.len() - failed.len(),
        failed.len()
    );
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed stages: {}", failed.join(", ")))
    }
}

fn fmt(_: &mut Context) -> Result<(), String> {
    run_cmd(&mut cmd("cargo", &["fmt", "--all", "--check"]))
}

fn clippy(_: &mut Context) -> Result<(), String> {
    tools::rust_targets(&["wasm32-unknown-unknown"])?;
    run_cmd(&mut cmd(
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--exclude",
            "scs-studio",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))?;
    // The app and its field worker only ever run in the browser: lint them for their
    // real target.
    run_cmd(&mut cmd(
        "cargo",
        &[
            "clippy",
            "-p",
            "scs-studio",
            "-p",
            "field-worker",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    ))
}

fn native(_: &mut Context) -> Result<(), String> {
    run_cmd(&mut cmd(
        "cargo",
        &["test", "--workspace", "--exclude", "scs-studio"],
    ))
}

fn no_std(_: &mut Context) -> Result<(), String> {
    const TARGETS: [&str; 2] = ["thumbv7em-none-eabihf", "wasm32-unknown-unknown"];
    tools::rust_targets(&TARGETS)?;
    for target in TARGETS {
        run_cmd(&mut cmd(
            "cargo",
            &[
                "build",
                "-p",
                "stim-core",
                "-p",
                "stim-proto",
                "-p",
                "stim-fw",
                "--target",
                target,
            ],
        ))?;
    }
    Ok(())
}

/// The fuzz targets and their share of the bounded run, seconds.
const FUZZ_TARGETS: [(&str, u32); 3] = [("server", 30), ("stream", 15), ("client", 15)];

fn fuzz(_: &mut Context) -> Result<(), String> {
    tools::cargo_fuzz()?;
    let root = project_root();
    for (target, seconds) in FUZZ_TARGETS {
        // New inputs go to target/ so the committed seeds stay as they are.
        let corpus = root.join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let seeds = format!("fuzz/seeds/{target}");
        let limit = format!("-max_total_time={seconds}");
        run_cmd(
            cmd(
                "cargo",
                &[
                    "fuzz",
                    "run",
                    target,
                    &corpus.to_string_lossy(),
                    &seeds,
                    "--",
                    &limit,
                    "-print_final_stats=1",
                ],
            )
            // cargo fuzz needs nightly flags; this machine has stable only.
            .env("RUSTC_BOOTSTRAP", "1"),
        )?;
    }
    Ok(())
}

fn wasm(_: &mut Context) -> Result<(), String> {
    tools::rust_targets(&["wasm32-unknown-unknown"])?;
    tools::wasm_bindgen_cli()?;
    tools::chromium()?;
    run_cmd(
        cmd(
            "cargo",
            &[
                "test",
                "-p",
                "scs-studio",
                "--target",
                "wasm32-unknown-unknown",
            ],
        )
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "600"),
    )
}

fn bundle_stage(context: &mut Context) -> Result<(), String> {
    let built = bundle::build_release();
    context.bundle_built = Some(built.is_ok());
    built?;
    let (main, worker) = bundle::gzip_sizes()?;
    println!(
        "bundle: wasm {:.1} KB + JS {:.1} KB = {:.1} KB gzip (budget {} KB); \
         the field worker adds {:.1} KB (wasm {:.1} KB + JS {:.1} KB), loaded at the first solve",
        main.wasm as f64 / 1024.0,
        main.js as f64 / 1024.0,
        main.total() as f64 / 1024.0,
        bundle::BUDGET_GZIP_BYTES / 1024,
        worker.total() as f64 / 1024.0,
        worker.wasm as f64 / 1024.0,
        worker.js as f64 / 1024.0,
    );
    if main.total() > bundle::BUDGET_GZIP_BYTES {
        return Err(format!(
            "the main bundle is {} bytes gzip, over the budget",
            main.total()
        ));
    }
    Ok(())
}

fn e2e(context: &mut Context) -> Result<(), String> {
    match context.bundle_built {
        Some(false) => return Err("skipped: the release bundle did not build".into()),
        // `--only e2e`: build the bundle the tests need.
        None => bundle_stage(context)?,
        Some(true) => {}
    }
    tools::npm_packages()?;
    tools::chromium()?;
    let root = project_root();
    let addr = serve::spawn(root.join("dist"), "127.0.0.1:0")?;
    let screenshots = root.join("target/screenshots");
    std::fs::create_dir_all(&screenshots).map_err(|e| e.to_string())?;
    let mut tests: Vec<String> = std::fs::read_dir(root.join("tests/e2e"))
        .map_err(|e| format!("tests/e2e: {e}"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            context
                .e2e_filter
                .as_deref()
                .is_none_or(|f| name.contains(f))
        })
        .collect();
    tests.sort();
    if tests.is_empty() {
        return Err("tests/e2e holds no *.test.mjs (that --e2e names)".into());
    }
    let peripheral = node::build("node-peripheral")?;
    let (python, rootcanal, board) = crate::board::bench()?;
    let mut node = cmd("node", &["--test", "--test-concurrency=1"]);
    node.args(&tests)
        .env("PERIPHERAL", &peripheral)
        .env("VIRTUAL_RADIO_PYTHON", python)
        .env("ROOTCANAL", rootcanal)
        .env("VIRTUAL_BOARD", board)
        .env("BASE_URL", format!("http://{addr}"))
        .env("CHROMIUM", "/usr/bin/chromium")
        .env("SCREENSHOT_DIR", &screenshots);
    run_cmd(&mut node)?;
    println!("screenshots: {}", screenshots.display());
    Ok(())
}

fn firmware(_: &mut Context) -> Result<(), String> {
    let dir = project_root().join("firmware");
    run_cmd(cmd("cargo", &["fmt", "--check"]).current_dir(&dir))?;
    fw::build_and_check()?;
    run_cmd(cmd("cargo", &["clippy", "--release", "--", "-D", "warnings"]).current_dir(&dir))
}

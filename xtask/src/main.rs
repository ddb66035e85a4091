//! The project's commands, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).
//!
//! Each command installs what it is missing (idempotently, saying what it does), then works.

use std::process::ExitCode;

mod bench;
mod board;
mod bundle;
mod demo;
mod fw;
mod node;
mod serve;
mod shell;
mod test;
mod tidy;
mod tools;

const HELP: &str = "\
cargo xtask <command> [options]

Commands:
  demo [--port N]       install what is missing, build the app (release), serve it on http://127.0.0.1:8080
  test [--only STAGE] [--e2e NAME]
                        install what is missing and run every test stage (fmt, clippy, native, no-std,
                        fuzz, wasm, bundle, e2e, firmware, board); --only runs one stage;
                        --e2e NAME runs only the end-to-end files whose name contains NAME
  bench                 run the benchmarks and write docs/benchmarks.md
  fw [--flash]          build the nRF52840-DK firmware, print its flash and RAM use against the
                        budget (256 KB, 64 KB); --flash flashes it with probe-rs
  board                 run the virtual dev board (the firmware's Bluetooth app on the host) on
                        RootCanal, a virtual controller, with trouble's log; type button1 or button2
  help                  print this help
";

fn main() -> ExitCode {
    match try_main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    match command.as_deref() {
        Some("demo") => demo::run(&rest),
        Some("test") => test::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("fw") => fw::run_command(&rest),
        Some("board") => board::run_command(&rest),
        Some("help" | "--help" | "-h") => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
        None => Err(format!("no command given\n\n{HELP}")),
    }
}

/// The value after `flag` in `args`, if the flag is there.
fn flag_value<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .map(|v| Some(v.as_str()))
            .ok_or_else(|| format!("{flag} needs a value")),
    }
}
